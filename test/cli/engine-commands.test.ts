// Runs the real `floe` binary against a temporary warehouse: sql, clicks, query and ingest.
// Data is tiny (2 days x 2,000 clicks); independent invocations run in parallel.
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseJson } from "../../src/core/json.ts";
import { type CliRun, runFloeProcess } from "../support/floe-cli.ts";

type Run = CliRun;

type JsonRow = Record<string, unknown>;

describe("floe sql, clicks, query and ingest", () => {
  let dir: string;
  let warehouse: string;
  const floe = (...args: string[]): Promise<Run> => runFloeProcess(["--warehouse", warehouse, ...args], dir);
  const ok = async (...args: string[]): Promise<Run> => {
    const run = await floe(...args);
    assert.equal(run.code, 0, `floe ${args.join(" ")}: ${run.stderr}`);
    return run;
  };
  const json = async (...args: string[]) => parseJson((await ok("--json", ...args)).stdout) as unknown;
  const sqlRows = async (query: string, ...flags: string[]) => (await json("sql", query, ...flags)) as JsonRow[];
  const byEventId = (rows: JsonRow[]) => [...rows].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));

  let snapshots: { "snapshot-id": number | bigint; committed: string }[];
  let loadOutput: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "floe-cli-engine-"));
    warehouse = path.join(dir, "warehouse");
    loadOutput = (
      await ok(
        "clicks",
        "load",
        "--days",
        "2",
        "--per-day",
        "2000",
        "--start",
        "2025-01-01",
        "--elements",
        "50",
        "--seed",
        "7",
      )
    ).stdout;
    snapshots = (await json("snapshots", "clicks.events")) as typeof snapshots;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("clicks load: one snapshot per day and a summary line with rows, files, bytes, seconds, rows/s", () => {
    assert.match(
      loadOutput,
      /^loaded 4000 rows into clicks\.events: 2 files, \d+ bytes \(.+\), [\d.]+ s, \d+ rows\/s\n$/,
    );
    assert.equal(snapshots.length, 2);
  });

  test("sql: table, json (exact int64), csv to stdout and parquet to a file", async () => {
    const exported = path.join(dir, "export.parquet");
    const [table, exact, csv, toFile] = await Promise.all([
      ok("sql", "SELECT element_id, event_time FROM clicks.events ORDER BY event_time, event_id", "--limit", "3"),
      sqlRows(
        "SELECT count(*) AS n, 9007199254740993::BIGINT AS big, (-9223372036854775807 - 1)::BIGINT AS lowest FROM clicks.events",
      ),
      ok(
        "sql",
        "SELECT element_id, count(*) AS n FROM clicks.events GROUP BY element_id ORDER BY element_id",
        "--format",
        "csv",
      ),
      ok(
        "sql",
        "SELECT * FROM clicks.events WHERE event_time < TIMESTAMP '2025-01-02'",
        "--format",
        "parquet",
        "--output",
        exported,
      ),
    ]);

    const lines = table.stdout.trimEnd().split("\n");
    assert.deepEqual(lines[0].split(/\s+/), ["element_id", "event_time"]);
    assert.equal(lines.length, 2 + 3 + 1, "header, rule, 3 rows, footer");
    assert.match(lines[2], /^\d+\s+2025-01-01 \d\d:\d\d:\d\d/);
    assert.match(lines[5], /first 3 rows; more exist/);

    assert.deepEqual(exact, [{ n: 4000, big: 9007199254740993n, lowest: -9223372036854775808n }]);

    const csvLines = csv.stdout.trimEnd().split("\n");
    assert.equal(csvLines[0], "element_id,n");
    const csvTotal = csvLines.slice(1).reduce((sum, line) => sum + Number(line.split(",")[1]), 0);
    assert.equal(csvTotal, 4000);

    assert.match(toFile.stdout, /^wrote 2000 rows to .*export\.parquet \(parquet\)/);
    assert.deepEqual(
      await sqlRows(
        `SELECT count(*) AS n, (SELECT count(*) FROM (SELECT * FROM clicks.events WHERE event_time < TIMESTAMP '2025-01-02'
           EXCEPT ALL SELECT * FROM read_parquet('${exported}'))) AS missing FROM read_parquet('${exported}')`,
      ),
      [{ n: 2000, missing: 0 }],
    );
  });

  test("sql: time travel by --snapshot, --ref, --as-of, the AT clause and iceberg_scan", async () => {
    const [first, second] = snapshots;
    const location = ((await json("table", "describe", "clicks.events")) as { location: string }).location;
    const count = "SELECT count(*) AS n FROM clicks.events";
    const [bySnapshot, byTime, inSql, conflicting] = await Promise.all([
      sqlRows(count, "--snapshot", String(first["snapshot-id"])),
      sqlRows(count, "--as-of", first.committed),
      // --ref for the unqualified reference; AT clauses and iceberg_scan pick their own snapshots.
      sqlRows(
        `SELECT (SELECT count(*) FROM clicks.events) AS by_ref,
                (SELECT count(*) FROM clicks.events AT (VERSION => ${first["snapshot-id"]})) AS at_first,
                (SELECT count(*) FROM clicks.events AT (TIMESTAMP => '${second.committed}')) AS at_second,
                (SELECT count(*) FROM iceberg_scan('${location}')) AS scan_current,
                (SELECT count(*) FROM iceberg_scan('${location}', snapshot_id => ${first["snapshot-id"]})) AS scan_first`,
        "--ref",
        "main",
      ),
      floe("sql", count, "--snapshot", "1", "--ref", "main"),
    ]);
    assert.deepEqual(bySnapshot, [{ n: 2000 }]);
    assert.deepEqual(byTime, [{ n: 2000 }]);
    assert.deepEqual(inSql, [{ by_ref: 4000, at_first: 2000, at_second: 4000, scan_current: 4000, scan_first: 2000 }]);
    assert.equal(conflicting.code, 2);
    assert.match(conflicting.stderr, /choose one of --snapshot, --as-of and --ref/);
  });

  test("clicks generate: ndjson per day, one csv file, parquet; deterministic by seed", async () => {
    const flags = ["--days", "2", "--per-day", "300", "--start", "2025-03-01", "--elements", "20", "--seed", "3"];
    const ndjsonDir = path.join(dir, "gen-ndjson");
    const csvFile = path.join(dir, "gen.csv");
    const parquetFile = path.join(dir, "gen.parquet");
    const [ndjson, csv] = await Promise.all([
      ok("clicks", "generate", ...flags, "--format", "ndjson", "--out", ndjsonDir),
      ok("clicks", "generate", ...flags, "--format", "csv", "--out", csvFile),
      ok("clicks", "generate", ...flags, "--format", "parquet", "--out", parquetFile),
    ]);
    assert.match(ndjson.stdout, /^wrote 600 rows to 2 ndjson files/);
    assert.match(csv.stdout, /^wrote 600 rows to 1 csv files/);
    assert.deepEqual(readdirSync(ndjsonDir).sort(), ["clicks-2025-03-01.ndjson", "clicks-2025-03-02.ndjson"]);
    const firstDay = readFileSync(path.join(ndjsonDir, "clicks-2025-03-01.ndjson"), "utf8").trimEnd().split("\n");
    assert.equal(firstDay.length, 300);
    const record = JSON.parse(firstDay[0]) as JsonRow;
    assert.match(String(record.event_time), /^2025-03-01 /);
    assert.equal(readFileSync(csvFile, "utf8").trimEnd().split("\n").length, 601, "header + 600 rows");
    // The same seed gives the same rows in every format.
    const [same] = await sqlRows(
      `SELECT (SELECT count(*) FROM (SELECT event_id, element_id FROM read_parquet('${parquetFile}')
                 EXCEPT SELECT event_id, element_id FROM read_csv('${csvFile}'))) AS differ,
              (SELECT count(DISTINCT event_id) FROM read_json_auto('${ndjsonDir}/*.ndjson')) AS ids`,
    );
    assert.deepEqual(same, { differ: 0, ids: 600 });
  });

  test("query day and query element return what the same filter returns through floe sql", async () => {
    // 4,000 clicks over 50 elements: even the rarest element has clicks on each day.
    const element = "7";
    const [dayRows, daySql, elementRows, elementSql, elementCsv] = await Promise.all([
      json("query", "day", "clicks.events", "2025-01-02") as Promise<JsonRow[]>,
      sqlRows(
        "SELECT * FROM clicks.events WHERE event_time >= TIMESTAMP '2025-01-02' AND event_time < TIMESTAMP '2025-01-03'",
      ),
      json("query", "element", "clicks.events", element, "--from", "2025-01-01", "--to", "2025-01-01") as Promise<
        JsonRow[]
      >,
      sqlRows(`SELECT * FROM clicks.events WHERE element_id = ${element} AND event_time < TIMESTAMP '2025-01-02'`),
      ok(
        "query",
        "element",
        "clicks.events",
        element,
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-01",
        "--count",
        "--format",
        "csv",
      ),
    ]);
    assert.equal(dayRows.length, 2000);
    assert.deepEqual(byEventId(dayRows), byEventId(daySql));
    assert.ok(elementRows.length > 0);
    assert.deepEqual(byEventId(elementRows), byEventId(elementSql));
    assert.equal(elementCsv.stdout, `count\n${elementSql.length}\n`);
  });

  test("query --explain: files and row groups considered = pruned + read, bytes, rows and phase times", async () => {
    const totalBytes = BigInt(/2 files, (\d+) bytes/.exec(loadOutput)?.[1] ?? "-1");
    const [day, element, atFirst] = await Promise.all([
      ok("--json", "query", "day", "clicks.events", "2025-01-01", "--count", "--explain"),
      ok("--json", "query", "element", "clicks.events", "7", "--from", "2025-01-01", "--to", "2025-01-02", "--explain"),
      ok(
        "--json",
        "query",
        "day",
        "clicks.events",
        "2025-01-02",
        "--count",
        "--snapshot",
        String(snapshots[0]["snapshot-id"]),
      ),
    ]);
    type Counts = { considered: number; pruned: number; read: number };
    type Explain = {
      files: Counts;
      "row-groups": Counts;
      "bytes-read": number | bigint;
      "records-in-files-read": number;
      "rows-returned": number;
      "planning-ms": number;
      "execution-ms": number;
      snapshot: number | bigint;
      filter: string;
    };
    const dayExplain = parseJson(day.stderr) as Explain;
    assert.deepEqual(parseJson(day.stdout), [{ count: 2000 }]);
    assert.deepEqual(dayExplain.files, { considered: 2, pruned: 1, read: 1 });
    assert.equal(dayExplain["records-in-files-read"], 2000);
    assert.equal(dayExplain["rows-returned"], 1);
    const dayBytes = BigInt(dayExplain["bytes-read"]);
    assert.ok(dayBytes > 0n && dayBytes < totalBytes);
    assert.equal(BigInt(dayExplain.snapshot), BigInt(snapshots[1]["snapshot-id"]));
    assert.match(dayExplain.filter, /event_time/);

    const elementExplain = parseJson(element.stderr) as Explain;
    const rows = parseJson(element.stdout) as JsonRow[];
    assert.equal(elementExplain["rows-returned"], rows.length);
    assert.ok(rows.every((row) => row.element_id === 7));
    assert.deepEqual(elementExplain.files, { considered: 2, pruned: 0, read: 2 });
    assert.equal(BigInt(elementExplain["bytes-read"]), totalBytes);
    for (const explain of [dayExplain, elementExplain]) {
      for (const counts of [explain.files, explain["row-groups"]])
        assert.equal(counts.considered, counts.pruned + counts.read);
      assert.ok(explain["row-groups"].considered >= explain.files.read);
      assert.ok(explain["planning-ms"] >= 0 && explain["execution-ms"] >= 0);
    }
    // The first snapshot holds only the first day.
    assert.deepEqual(parseJson(atFirst.stdout), [{ count: 0 }]);
    assert.equal(atFirst.stderr, "");
  });

  test("ingest: rejects go to the dead letter and exit 11; --allow-rejects exits 0", async () => {
    const inputs = path.join(dir, "ingest");
    await Promise.all([
      ok("clicks", "load", "--table", "staging.clicks", "--days", "1", "--per-day", "10", "--elements", "5"),
      ok(
        "clicks",
        "generate",
        "--days",
        "2",
        "--per-day",
        "40",
        "--start",
        "2025-05-01",
        "--format",
        "ndjson",
        "--out",
        inputs,
      ),
    ]);
    const bad = JSON.stringify({ event_id: "bad", element_id: "not-a-number", event_time: "2025-05-01 10:00:00" });
    appendFileSync(path.join(inputs, "clicks-2025-05-01.ndjson"), `${bad}\n`);
    appendFileSync(path.join(inputs, "clicks-2025-05-02.ndjson"), `${bad}\n`);
    const deadLetter = path.join(dir, "dead.ndjson");

    const rejected = await floe(
      "ingest",
      "staging.clicks",
      path.join(inputs, "*-01.ndjson"),
      "--dead-letter",
      deadLetter,
    );
    assert.equal(rejected.code, 11, rejected.stderr);
    assert.match(
      rejected.stdout,
      /^ingested staging\.clicks: 41 read, 40 committed, 1 rejected, 1 files, 0 skipped files/,
    );
    assert.match(rejected.stderr, /^error \(rejects\): 1 records/);
    const letters = readFileSync(deadLetter, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as JsonRow);
    assert.equal(letters.length, 1);
    assert.equal(letters[0].line, 41);
    assert.match(String(letters[0].reason), /element_id/);

    const allowed = await json(
      "ingest",
      "staging.clicks",
      path.join(inputs, "*.ndjson"),
      "--dead-letter",
      deadLetter,
      "--allow-rejects",
      "--batch-rows",
      "20",
    );
    assert.deepEqual(
      { ...(allowed as JsonRow), seconds: 0 },
      {
        table: "staging.clicks",
        read: 41,
        committed: 40,
        rejected: 1,
        files: 1,
        skippedFiles: 1,
        snapshots: 3,
        deadLetter,
        seconds: 0,
      },
    );
    assert.deepEqual(await sqlRows("SELECT count(*) AS n FROM staging.clicks"), [{ n: 90 }]);
    assert.ok(!existsSync(path.join(dir, "floe-dead-letters")), "the named dead-letter file is used, not the default");
  });
});
