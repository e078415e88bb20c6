// The S3 warehouse end to end, against a local S3-compatible server (s3rver): create the clicks
// table, load generated days, ingest an NDJSON file, run both access patterns (a day's scan fetches
// whole files, an element lookup only footers and row groups), travel in time, and query with SQL
// - through the library and through the CLI, which takes its S3 settings from the environment.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { loadClicks } from "../../src/clicks/load.ts";
import { queryDay, queryElement } from "../../src/clicks/queries.ts";
import { CLICKS_TABLE, createClicksTable } from "../../src/clicks/schema.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { FileCache } from "../../src/engine/read/file-cache.ts";
import { runSql } from "../../src/engine/sql-query.ts";
import { ingestFiles } from "../../src/ingest/index.ts";
import type { FileIO } from "../../src/io/file-io.ts";
import { createFileIO } from "../../src/io/resolve-file-io.ts";
import { Table } from "../../src/table/table.ts";
import { type S3TestServer, startS3Server } from "../support/s3-server.ts";

const run = promisify(execFile);
const PER_DAY = 3000;
const ELEMENT = 7;

let server: S3TestServer;
let scratch: string;
let engine: Engine;
let io: FileIO;
let catalog: Catalog;
let catalogUri: string;
let warehouse: string;
let firstDaySnapshot: bigint;
let afterLoadSnapshot: bigint;

before(async () => {
  server = await startS3Server();
  scratch = mkdtempSync(path.join(tmpdir(), "floe-e2e-s3-"));
  engine = await Engine.create({ threads: 2 });
  io = createFileIO({ s3: server.config });
  warehouse = `s3://${server.bucket}/warehouse`;
  catalogUri = `sqlite:${path.join(scratch, "catalog.db")}`;
  catalog = await openCatalog(catalogUri, { warehouse, io });
});

after(async () => {
  engine?.close();
  await catalog?.close();
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const countOf = async (sql: string): Promise<number> => {
  const [row] = await engine.all<{ count: bigint }>(sql);
  return Number(row.count);
};

test("create, load and ingest write the table's files and metadata to S3", async () => {
  const table = await createClicksTable(catalog, CLICKS_TABLE);
  assert.ok(table.location().startsWith(`${warehouse}/`), table.location());
  const load = await loadClicks(engine, table, {
    days: 3,
    perDay: PER_DAY,
    start: "2025-01-01",
    seed: 3,
    elements: 50,
  });
  assert.equal(load.rows, 3n * BigInt(PER_DAY));
  firstDaySnapshot = load.days[0].snapshotId as bigint;

  const ndjson = path.join(scratch, "late-clicks.ndjson");
  const clicks = Array.from({ length: 5 }, (_, i) =>
    JSON.stringify({
      event_id: `00000000-0000-4000-8000-00000000000${i}`,
      element_id: ELEMENT,
      event_time: `2025-01-02T12:0${i}:00`,
      country: "NL",
    }),
  );
  writeFileSync(ndjson, `${clicks.join("\n")}\n`);
  const ingested = await ingestFiles(engine, table, [ndjson], { deadLetter: path.join(scratch, "dead.ndjson") });
  assert.equal(ingested.committed, 5);
  assert.equal(ingested.rejected, 0);
  afterLoadSnapshot = load.days[2].snapshotId as bigint;

  // Everything the table holds lives in the bucket: metadata, manifests, data files.
  const objects: string[] = [];
  for await (const file of io.list(`${table.location()}/`)) objects.push(file.path);
  assert.ok(objects.some((p) => p.endsWith(".metadata.json")));
  assert.ok(objects.some((p) => p.endsWith(".avro")));
  assert.ok(objects.filter((p) => p.endsWith(".parquet")).length >= 4);
});

test("a day's scan fetches whole files; an element lookup fetches footers and row groups only", async () => {
  const table = await Table.load(catalog, CLICKS_TABLE);
  const day = await queryDay(engine, table, "2025-01-02", { count: true });
  assert.equal(await countOf(day.sql), PER_DAY + 5);
  assert.equal(day.explain.remote.files.sparse, 0);
  assert.ok(day.explain.remote.files.wholeFetched + day.explain.remote.files.wholeCached >= 2);
  assert.ok(day.explain.remote.metadata.getRequests > 0);

  // The dashboard lookup reads one column: days without a whole copy are read sparsely.
  const element = await queryElement(engine, table, ELEMENT, {
    from: "2025-01-01",
    to: "2025-01-03",
    count: true,
    columns: ["event_time"],
  });
  const [expected] = await runSql(
    engine,
    catalog,
    `SELECT count(*) AS count FROM clicks.events WHERE element_id = ${ELEMENT}`,
    { fileCache: new FileCache({ directory: path.join(scratch, "sql-cache") }) },
  );
  assert.equal(await countOf(element.sql), Number(expected.count));
  assert.ok(Number(expected.count) > 5);
  const remote = element.explain.remote;
  assert.deepEqual(remote.files, { local: 0, wholeFetched: 0, wholeCached: 2, sparse: 2 });
  assert.equal(remote.footers.fetched, 2);
  assert.ok(remote.data.bytesFetched <= 3 * remote.rowGroupBytes);
  assert.ok(element.explain.rowGroups !== null && element.explain.rowGroups.considered >= 4);
});

test("time travel reads older snapshots from S3, in the library and in SQL", async () => {
  const table = await Table.load(catalog, CLICKS_TABLE);
  const firstDay = await queryDay(engine, table, "2025-01-01", { count: true, snapshotId: firstDaySnapshot });
  assert.equal(await countOf(firstDay.sql), PER_DAY);
  const secondDayThen = await queryDay(engine, table, "2025-01-02", { count: true, snapshotId: firstDaySnapshot });
  assert.equal(await countOf(secondDayThen.sql), 0);
  const rows = await runSql(
    engine,
    catalog,
    `SELECT (SELECT count(*) FROM clicks.events AT (VERSION => ${afterLoadSnapshot})) AS before_ingest,
            (SELECT count(*) FROM clicks.events) AS now`,
  );
  assert.deepEqual(rows, [{ before_ingest: BigInt(3 * PER_DAY), now: BigInt(3 * PER_DAY + 5) }]);
});

test("SQL over the S3 table aggregates inside DuckDB", async () => {
  const rows = await runSql(
    engine,
    catalog,
    "SELECT CAST(event_time AS DATE)::VARCHAR AS day, count(*) AS clicks FROM clicks.events GROUP BY 1 ORDER BY 1",
  );
  assert.deepEqual(
    rows.map((r) => [r.day, Number(r.clicks)]),
    [
      ["2025-01-01", PER_DAY],
      ["2025-01-02", PER_DAY + 5],
      ["2025-01-03", PER_DAY],
    ],
  );
});

test("the CLI reaches the S3 warehouse with endpoint, region, path style and credentials from the environment, or from flags and a config file", async () => {
  const env = {
    ...process.env,
    FLOE_S3_ENDPOINT: server.endpoint,
    FLOE_S3_REGION: "us-east-1",
    FLOE_S3_PATH_STYLE: "true",
    AWS_ACCESS_KEY_ID: server.config.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.config.secretAccessKey,
  };
  const main = path.join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      main,
      "--warehouse",
      warehouse,
      "--catalog",
      catalogUri,
      "--json",
      "sql",
      `SELECT count(*) AS n FROM clicks.events WHERE element_id = ${ELEMENT} AND event_time >= TIMESTAMP '2025-01-02 12:00:00' AND event_time < TIMESTAMP '2025-01-02 12:05:00'`,
    ],
    { env, cwd: path.join(import.meta.dirname, "..", "..") },
  );
  assert.match(stdout, /"n":\s*"?5"?/);

  // The same settings from flags and a config file (credentials only there), with none in the
  // environment; `floe query element --explain` reports the storage traffic of the lookup.
  const configFile = path.join(scratch, "floe-config.json");
  writeFileSync(
    configFile,
    JSON.stringify({ s3: { accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey } }),
  );
  const bareEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("FLOE_") && !key.startsWith("AWS_")),
  );
  const explained = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      main,
      "--warehouse",
      warehouse,
      "--catalog",
      catalogUri,
      "--config",
      configFile,
      "--s3-endpoint",
      server.endpoint,
      "--s3-region",
      "us-east-1",
      "--s3-path-style",
      "--json",
      "query",
      "element",
      "clicks.events",
      String(ELEMENT),
      "--from",
      "2025-01-01",
      "--to",
      "2025-01-03",
      "--count",
      "--explain",
    ],
    { env: bareEnv, cwd: path.join(import.meta.dirname, "..", "..") },
  );
  const report = JSON.parse(explained.stderr.slice(explained.stderr.indexOf("{"))) as Record<string, unknown>;
  assert.ok(Number(report["get-requests"]) > 0, explained.stderr);
  assert.ok(Number(report["bytes-fetched"]) > 0, explained.stderr);
  assert.equal(report["rows-returned"], 1);
});
