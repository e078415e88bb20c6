/**
 * REST catalog figures: what the HTTP hop costs and how commits to one table scale with writers.
 * An in-process `startServer` over a SqlCatalog on SQLite in a temp warehouse; clients are
 * RestCatalog instances talking to it over loopback HTTP. loadTable and commit latency are timed
 * one request at a time (one client); throughput runs N clients appending to one fresh table at
 * once, each retrying conflicts through the table layer (metadata-only appends of one DataFile
 * entry each, as in commit-figures: the commit path never opens data files).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Catalog, TableIdentifier } from "../src/catalog/catalog.ts";
import { openCatalog } from "../src/catalog/open-catalog.ts";
import { clickTableLayout } from "../src/clicks/schema.ts";
import { isFloeError } from "../src/core/errors.ts";
import { LocalFileIO } from "../src/io/local-file-io.ts";
import { startServer } from "../src/server/serve.ts";
import { Table } from "../src/table/table.ts";
import { fakeFile } from "./commit-figures.ts";
import { type Latency, latency, repeat } from "./stats.ts";

/** Options of measureHttpFigures. */
export interface HttpFiguresOptions {
  /** Timed loadTable requests (default 200). */
  loadReps?: number;
  /** Timed single-client commits (default 100). */
  commitReps?: number;
  /** Untimed warm-up requests before each latency series (default 10). */
  warmups?: number;
  /** Concurrent client counts of the throughput runs (default [1, 4, 16]). */
  clientCounts?: number[];
  /** Commits per throughput run, split evenly over its clients (default 64). */
  commitsPerRun?: number;
}

/** One throughput run: `clients` writers appending to one table at once. */
export interface HttpThroughput {
  clients: number;
  /** Successful commits (every one of them lands: clients retry until they do). */
  commits: number;
  /** commitTable requests sent, including those that lost a race. */
  attempts: number;
  /** Attempts answered with 409 (commit conflict), each followed by a refresh and a retry. */
  conflicts: number;
  wallMs: number;
  commitsPerSecond: number;
}

/** REST catalog figures. */
export interface HttpFigures {
  /** GET loadTable through RestCatalog, on a table with `commitReps` snapshots. */
  loadTable: Latency;
  /** One append from newAppend() to the server's answer (manifest, list, metadata, swap). */
  commit: Latency;
  throughput: HttpThroughput[];
}

const NAMESPACE = ["bench"];
const START_DAY = "2025-01-01";
/** Patient enough that 16 writers all get through; short waits keep the figure about the server. */
const RETRY_PROPERTIES = {
  "commit.retry.num-retries": "1000",
  "commit.retry.min-wait-ms": "2",
  "commit.retry.max-wait-ms": "100",
  "commit.retry.total-timeout-ms": "600000",
};

/** A clicks-layout table whose writers retry patiently. */
async function createTable(catalog: Catalog, name: string): Promise<TableIdentifier> {
  const identifier = { namespace: NAMESPACE, name };
  const layout = clickTableLayout();
  await catalog.createTable(identifier, { ...layout, properties: { ...layout.properties, ...RETRY_PROPERTIES } });
  return identifier;
}

/** The catalog with commitTable counted: attempts, and those that lost to another writer. */
function countingCatalog(inner: Catalog, counts: { attempts: number; conflicts: number }): Catalog {
  const catalog = Object.create(inner) as Catalog;
  catalog.commitTable = async (identifier, requirements, updates) => {
    counts.attempts++;
    try {
      return await inner.commitTable(identifier, requirements, updates);
    } catch (error) {
      if (isFloeError(error, "commit-conflict")) counts.conflicts++;
      throw error;
    }
  };
  return catalog;
}

/** `clients` writers, each with its own RestCatalog, appending `commitsPerRun` files in total. */
async function throughputRun(url: string, warehouse: string, clients: number, commitsPerRun: number) {
  const admin = await openCatalog(url, { warehouse });
  const identifier = await createTable(admin, `throughput_${clients}`);
  await admin.close();
  const perClient = Math.max(1, Math.ceil(commitsPerRun / clients));
  const counts = { attempts: 0, conflicts: 0 };
  const catalogs = await Promise.all(Array.from({ length: clients }, () => openCatalog(url, { warehouse })));
  try {
    const tables = await Promise.all(catalogs.map((c) => Table.load(countingCatalog(c, counts), identifier)));
    const location = tables[0].location();
    const started = performance.now();
    await Promise.all(
      tables.map(async (table, client) => {
        for (let i = 0; i < perClient; i++)
          await table
            .newAppend()
            .appendFile(fakeFile(location, START_DAY, client * perClient + i))
            .commit();
      }),
    );
    const wallMs = performance.now() - started;
    const commits = clients * perClient;
    return { clients, commits, ...counts, wallMs, commitsPerSecond: (commits * 1000) / wallMs };
  } finally {
    await Promise.all(catalogs.map((c) => c.close()));
  }
}

/** Starts a server on SQLite in a temp warehouse, measures, and removes everything again. */
export async function measureHttpFigures(options: HttpFiguresOptions = {}): Promise<HttpFigures> {
  const loadReps = options.loadReps ?? 200;
  const commitReps = options.commitReps ?? 100;
  const warmups = options.warmups ?? 10;
  const warehouse = await mkdtemp(path.join(tmpdir(), "floe-bench-http-"));
  const serverCatalog = await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() });
  const server = await startServer({ catalog: serverCatalog, port: 0 });
  try {
    const client = await openCatalog(server.url, { warehouse });
    let commit: Latency;
    let loadTable: Latency;
    try {
      await client.createNamespace(NAMESPACE);
      const identifier = await createTable(client, "latency");
      const table = await Table.load(client, identifier);
      let i = 0;
      const append = () =>
        table
          .newAppend()
          .appendFile(fakeFile(table.location(), START_DAY, i++))
          .commit();
      commit = latency(await repeat(commitReps, warmups, append));
      loadTable = latency(await repeat(loadReps, warmups, () => client.loadTable(identifier)));
    } finally {
      await client.close();
    }
    const throughput: HttpThroughput[] = [];
    for (const clients of options.clientCounts ?? [1, 4, 16])
      throughput.push(await throughputRun(server.url, warehouse, clients, options.commitsPerRun ?? 64));
    return { loadTable, commit, throughput };
  } finally {
    await server.close();
    await serverCatalog.close();
    await rm(warehouse, { recursive: true, force: true });
  }
}
