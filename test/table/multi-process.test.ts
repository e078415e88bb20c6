// OS processes appending through the table layer to one table of a SQLite catalog, and a process
// killed between writing its manifests and committing.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { Table } from "../../src/table/table.ts";
import type { TableWorkerArgs } from "../support/table-append-worker.ts";
import { DAY_SPEC, SCHEMA, dataFile, livePaths } from "./fixtures.ts";

const WORKER = path.join(import.meta.dirname, "..", "support", "table-append-worker.ts");
const WRITERS = 8;
const COMMITS = 25;

let dir: string;
let uri: string;
let catalog: Catalog;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "floe-table-mp-"));
  uri = `sqlite:${path.join(dir, "catalog.db")}`;
  catalog = await openCatalog(uri, { warehouse: dir });
  await catalog.createNamespace(["clicks"]);
});

after(async () => {
  await catalog.close();
  await rm(dir, { recursive: true, force: true });
});

function spawnWorker(args: TableWorkerArgs): {
  child: ChildProcess;
  lines: AsyncIterable<string>;
  done: Promise<string>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(args)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const waiting: ((line: string) => void)[] = [];
  child.stdout!.on("data", (chunk) => {
    stdout += chunk;
    if (stdout.includes("\n")) for (const resolve of waiting.splice(0)) resolve(stdout.split("\n")[0]);
  });
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`worker ${args.prefix} ended with ${code ?? signal}: ${stderr}`));
    });
  });
  const lines = {
    async *[Symbol.asyncIterator]() {
      yield await new Promise<string>((resolve) => {
        if (stdout.includes("\n")) resolve(stdout.split("\n")[0]);
        else waiting.push(resolve);
      });
    },
  };
  return { child, lines, done };
}

async function createTable(name: string): Promise<Table> {
  const identifier = { namespace: ["clicks"], name };
  const loaded = await catalog.createTable(identifier, {
    schema: SCHEMA,
    partitionSpec: DAY_SPEC,
    properties: {
      "commit.retry.num-retries": "1000",
      "commit.retry.min-wait-ms": "5",
      "commit.retry.max-wait-ms": "100",
      "commit.manifest.min-count-to-merge": "5",
    },
  });
  return new Table(catalog, loaded);
}

test("8 processes x 25 appends at once to one SQLite-catalog table: 200 snapshots, every file exactly once", async () => {
  const table = await createTable("events");
  const base = {
    mode: "append" as const,
    uri,
    warehouse: dir,
    namespace: ["clicks"],
    table: "events",
    commits: COMMITS,
  };
  const outputs = await Promise.all(
    Array.from({ length: WRITERS }, (_, w) => spawnWorker({ ...base, prefix: `w${w}` }).done),
  );
  assert.equal(outputs.length, WRITERS);
  await table.refresh();
  const expected = Array.from({ length: WRITERS }, (_, w) =>
    Array.from({ length: COMMITS }, (_, i) => `w${w}-${i}.parquet`),
  )
    .flat()
    .sort();
  assert.deepEqual(await livePaths(table), expected);
  const snapshots = table.snapshots();
  assert.equal(snapshots.length, WRITERS * COMMITS);
  assert.deepEqual(
    snapshots.map((s) => s["sequence-number"]).sort((a, b) => (a < b ? -1 : 1)),
    Array.from({ length: WRITERS * COMMITS }, (_, i) => BigInt(i + 1)),
  );
  assert.equal(table.currentSnapshot()!.summary["total-data-files"], String(WRITERS * COMMITS));
  // One linear history: each snapshot's parent is the one before it.
  const bySequence = [...snapshots].sort((a, b) => (a["sequence-number"] < b["sequence-number"] ? -1 : 1));
  for (let i = 1; i < bySequence.length; i++)
    assert.equal(bySequence[i]["parent-snapshot-id"], bySequence[i - 1]["snapshot-id"]);
});

test("a writer killed just before its commit leaves the table at its previous snapshot", async () => {
  const table = await createTable("crash");
  await table
    .newAppend()
    .appendFiles([dataFile("before-1.parquet"), dataFile("before-2.parquet")])
    .commit();
  const previous = table.currentSnapshot()!;

  const worker = spawnWorker({
    mode: "crash",
    uri,
    warehouse: dir,
    namespace: ["clicks"],
    table: "crash",
    prefix: "doomed",
    commits: 1,
  });
  let ready = "";
  for await (const line of worker.lines) ready = line;
  const announced = JSON.parse(ready) as { ready: boolean; manifestList: string };
  assert.equal(announced.ready, true);
  assert.ok(existsSync(announced.manifestList.replace(/^file:\/\//, "")), "the worker wrote its manifest list");
  worker.child.kill("SIGKILL");
  await assert.rejects(worker.done, /SIGKILL/);

  const reloaded = await Table.load(catalog, table.identifier);
  assert.equal(reloaded.currentSnapshot()!["snapshot-id"], previous["snapshot-id"]);
  assert.equal(reloaded.metadataLocation, table.metadataLocation);
  assert.deepEqual(await livePaths(reloaded), ["before-1.parquet", "before-2.parquet"]);

  await reloaded.newAppend().appendFile(dataFile("after.parquet")).commit();
  assert.deepEqual(await livePaths(reloaded), ["after.parquet", "before-1.parquet", "before-2.parquet"]);
  assert.equal(reloaded.currentSnapshot()!["parent-snapshot-id"], previous["snapshot-id"]);
  assert.equal(reloaded.currentSnapshot()!["sequence-number"], 2n);
});
