// CSV ingestion: header columns mapped by name, RFC 4180 quoting, and dead letters for wrong
// column counts, wrong types, missing required values and broken quoting, with exact line numbers.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { ingestFiles } from "../../src/ingest/index.ts";
import { type IngestHarness, harness, readRows } from "./fixtures.ts";

let h: IngestHarness;
before(async () => {
  h = await harness();
});
after(() => h.close());

test("CSV columns map by header name, in any order, with quoted delimiters and quotes", async () => {
  const table = await h.table();
  const file = h.file(
    "good.csv",
    [
      "page,ts,id,ok,extra",
      `"/a, b",2025-01-01T10:00:00Z,1,true,x`,
      `"say ""hi""",2025-01-01 11:00:00+01:00,2,FALSE,y`,
      "",
      `,2025-01-02,3,,z`,
      `"",1735776000000,4,false,`,
    ].join("\n"),
  );
  const result = await ingestFiles(h.engine, table, [file], { deadLetter: `${h.dir}/unused.ndjson` });
  assert.deepEqual(
    { read: result.read, committed: result.committed, rejected: result.rejected },
    { read: 4, committed: 4, rejected: 0 },
  );
  const rows = await readRows(h.engine, table, "id, CAST(ts AS VARCHAR) AS ts, page, ok, score");
  assert.deepEqual(rows, [
    { id: 1n, ts: "2025-01-01 10:00:00", page: "/a, b", ok: true, score: null },
    { id: 2n, ts: "2025-01-01 10:00:00", page: 'say "hi"', ok: false, score: null },
    { id: 3n, ts: "2025-01-02 00:00:00", page: null, ok: null, score: null },
    { id: 4n, ts: "2025-01-02 00:00:00", page: "", ok: false, score: null },
  ]);
});

test("bad CSV lines go to the dead letters with line numbers and reasons; valid lines commit", async () => {
  const table = await h.table();
  const lines = [
    "id,ts,score,n",
    "1,2025-01-01T00:00:00Z,1.5,1", // 2 valid
    "2,2025-01-01T00:00:00Z,1.5", // 3 too few columns
    "3,2025-01-01T00:00:00Z,1.5,1,9", // 4 too many columns
    "x,2025-01-01T00:00:00Z,1.5,1", // 5 long
    "6,2025-13-01T00:00:00Z,1.5,1", // 6 timestamp
    "7,2025-01-01T00:00:00Z,abc,1", // 7 double
    ",2025-01-01T00:00:00Z,1.5,1", // 8 missing required
    `8,2025-01-01T00:00:00Z,"1.5,1`, // 9 unterminated quote
    "", // 10 blank: skipped
    "10,2025-01-01T00:00:00Z,,2.5", // 11 int from a fraction
    "11,2025-01-01T00:00:00Z,-0.5,-7", // 12 valid
  ];
  const file = h.file("bad.csv", `${lines.join("\n")}\n`);
  const deadLetter = `${h.dir}/csv-dead.ndjson`;
  const result = await ingestFiles(h.engine, table, [file], { deadLetter });
  assert.deepEqual(
    { read: result.read, committed: result.committed, rejected: result.rejected },
    { read: 10, committed: 2, rejected: 8 },
  );
  const letters = readFileSync(deadLetter, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { line: number; reason: string; record: string });
  assert.deepEqual(
    letters.map((l) => [l.line, l.reason]),
    [
      [3, "expected 4 columns, got 3"],
      [4, "expected 4 columns, got 5"],
      [5, 'field id: expected long, got "x"'],
      [6, 'field ts: expected timestamp, got "2025-13-01T00:00:00Z"'],
      [7, 'field score: expected double, got "abc"'],
      [8, "missing required field id"],
      [9, "malformed CSV line: bad quoting (quoted values spanning lines are not supported)"],
      [11, 'field n: expected int, got "2.5"'],
    ],
  );
  for (const letter of letters) assert.equal(letter.record, lines[letter.line - 1]);
  assert.deepEqual(await readRows(h.engine, table, "id, score, n"), [
    { id: 1n, score: 1.5, n: 1 },
    { id: 11n, score: -0.5, n: -7 },
  ]);
});

test("a custom delimiter", async () => {
  const table = await h.table();
  const file = h.file("semi.csv", "id;ts;page\n1;2025-01-01T00:00:00Z;a,b\n");
  const result = await ingestFiles(h.engine, table, [file], { csvDelimiter: ";" });
  assert.equal(result.committed, 1);
  assert.deepEqual(await readRows(h.engine, table, "id, page"), [{ id: 1n, page: "a,b" }]);
});
