import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { dayRange, generateClicks } from "../../src/clicks/generate.ts";
import { clickGeneratorSql } from "../../src/clicks/generator-sql.ts";
import { CLICK_SCHEMA } from "../../src/clicks/schema.ts";
import { Engine } from "../../src/engine/duckdb.ts";

let engine: Engine;
let dir: string;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  dir = await mkdtemp(path.join(tmpdir(), "floe-clicks-generate-"));
});
after(async () => {
  engine.close();
  await rm(dir, { recursive: true, force: true });
});

const OPTIONS = { days: 2, perDay: 5000, start: "2024-02-28", elements: 500, seed: 3 };
const q = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Rows in `relation` that the generator would not produce for OPTIONS' days, plus the converse. */
async function differences(relation: string): Promise<bigint> {
  const expected = dayRange(OPTIONS.start, OPTIONS.days)
    .map((day) => `SELECT * FROM (${clickGeneratorSql({ ...OPTIONS, day })})`)
    .join(" UNION ALL ");
  const [row] = await engine.all<{ n: bigint }>(
    `SELECT (SELECT count(*) FROM ((${expected}) EXCEPT ALL (SELECT * FROM ${relation})))
          + (SELECT count(*) FROM ((SELECT * FROM ${relation}) EXCEPT ALL (${expected}))) AS n`,
  );
  return row.n;
}

test("ndjson to a directory: one file per day, every click readable", async () => {
  const out = path.join(dir, "ndjson");
  const result = await generateClicks(engine, { ...OPTIONS, format: "ndjson", out });
  assert.deepEqual(
    result.files.map((f) => [path.basename(f.path), f.day, f.rows]),
    [
      ["clicks-2024-02-28.ndjson", "2024-02-28", 5000],
      ["clicks-2024-02-29.ndjson", "2024-02-29", 5000],
    ],
  );
  assert.equal(result.rows, 10_000);
  assert.ok(result.bytes > 10_000 * 100, `bytes ${result.bytes}`);
  assert.deepEqual((await readdir(out)).sort(), ["clicks-2024-02-28.ndjson", "clicks-2024-02-29.ndjson"]);
  const lines = (await readFile(result.files[1].path, "utf8")).trimEnd().split("\n");
  assert.equal(lines.length, 5000);
  const first = JSON.parse(lines[0]) as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(first),
    CLICK_SCHEMA.fields.map((f) => f.name),
  );
  assert.match(String(first.event_time), /^2024-02-29 /);
  const relation = `(SELECT * REPLACE (event_time::TIMESTAMP AS event_time)
     FROM read_json([${result.files.map((f) => q(f.path)).join(", ")}], columns = {event_id: 'VARCHAR', user_id: 'VARCHAR',
       device_id: 'VARCHAR', element_id: 'BIGINT', latitude: 'DOUBLE', longitude: 'DOUBLE', country: 'VARCHAR',
       event_time: 'VARCHAR', ip_address: 'VARCHAR', city: 'VARCHAR', os: 'VARCHAR', device_model: 'VARCHAR'}))`;
  assert.equal(await differences(relation), 0n);
});

test("csv to a single file holds every day with a header", async () => {
  const out = path.join(dir, "csv", "all.csv");
  const result = await generateClicks(engine, { ...OPTIONS, format: "csv", out });
  assert.deepEqual(
    result.files.map((f) => [f.path, f.day, f.rows]),
    [[out, null, 10_000]],
  );
  const text = await readFile(out, "utf8");
  assert.equal(text.split("\n")[0], CLICK_SCHEMA.fields.map((f) => f.name).join(","));
  assert.equal(await differences(`read_csv(${q(out)}, header = true)`), 0n);
});

test("parquet to a directory round-trips the generated rows exactly", async () => {
  const out = path.join(dir, "parquet");
  const result = await generateClicks(engine, { ...OPTIONS, format: "parquet", out });
  assert.equal(result.files.length, 2);
  assert.equal(result.rows, 10_000);
  const [row] = await engine.all<{ n: bigint }>(
    `SELECT count(*) AS n FROM read_parquet(${q(path.join(out, "*.parquet"))})`,
  );
  assert.equal(row.n, 10_000n);
  assert.equal(await differences(`read_parquet(${q(path.join(out, "*.parquet"))})`), 0n);
});

test("bad options fail before writing", async () => {
  await assert.rejects(generateClicks(engine, { ...OPTIONS, days: 0, format: "csv", out: dir }), /days/);
  await assert.rejects(generateClicks(engine, { ...OPTIONS, format: "csv", out: "s3://bucket/x.csv" }), /local path/);
});
