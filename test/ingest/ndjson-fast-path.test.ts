// The NDJSON fast path against the exact checker: on files holding every kind of value and mistake,
// both must commit exactly the same rows and write exactly the same dead letters (line, reason,
// record), with the same batches and snapshot summaries. Also checks that the fast path really
// takes plain files itself (no silent fallback to the exact checker).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { checkNdjsonChunk } from "../../src/ingest/ndjson-chunk.ts";
import { scanNdjsonLayout } from "../../src/ingest/ndjson-layout.ts";
import { type IngestResult, ingestFiles } from "../../src/ingest/index.ts";
import type { Schema } from "../../src/spec/types.ts";
import type { Table } from "../../src/table/table.ts";
import { type IngestHarness, harness, readRows } from "./fixtures.ts";

let h: IngestHarness;
before(async () => {
  h = await harness();
});
after(() => h.close());

/** One column of every kind the fast reader treats differently. */
const ALL_TYPES: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "req", required: true, type: "string" },
    { id: 3, name: "s", required: false, type: "string" },
    { id: 4, name: "l", required: false, type: "long" },
    { id: 5, name: "i", required: false, type: "int" },
    { id: 6, name: "d", required: false, type: "double" },
    { id: 7, name: "f", required: false, type: "float" },
    { id: 8, name: "b", required: false, type: "boolean" },
    { id: 9, name: "t", required: false, type: "timestamp" },
    { id: 10, name: "tz", required: false, type: "timestamptz" },
    { id: 12, name: "dec", required: false, type: "decimal(10,2)" },
    { id: 13, name: "dt", required: false, type: "date" },
    { id: 14, name: "tm", required: false, type: "time" },
    { id: 15, name: "u", required: false, type: "uuid" },
    { id: 16, name: "bin", required: false, type: "binary" },
    { id: 17, name: "fx", required: false, type: "fixed[2]" },
    {
      id: 18,
      name: "st",
      required: false,
      type: { type: "struct", fields: [{ id: 21, name: "a", required: false, type: "int" }] },
    },
    {
      id: 19,
      name: "ls",
      required: false,
      type: { type: "list", "element-id": 22, element: "long", "element-required": false },
    },
    {
      id: 20,
      name: "mp",
      required: false,
      type: { type: "map", "key-id": 23, key: "string", "value-id": 24, value: "int", "value-required": false },
    },
  ],
};

/** JSON texts for each column: valid ones, wrong ones and borderline ones. */
const VALUES: Record<string, string[]> = {
  s: [
    `"a"`,
    `""`,
    `5`,
    `1.5`,
    `-3`,
    `1e5`,
    `true`,
    `false`,
    `null`,
    `{}`,
    `[]`,
    `{"x": 1}`,
    `"\\u00e9\\n\\"q\\"\\\\"`,
    `"5"`,
    `"-3"`,
    `"1e5"`,
    `"true"`,
    `"false"`,
    `"{x}"`,
    `"[y]"`,
    `"inf"`,
    `"-inf"`,
    `"NaN"`,
    `" 7"`,
    `"0x1"`,
    `"68.193.180.39"`,
    `"58de62f3-2b0f-4947-9d53-7e9ac4676d86"`,
    `"日本"`,
    `"\\ud83d\\ude00"`,
    `"a\\u0000b"`,
  ],
  l: [
    `1`,
    `-0`,
    `"42"`,
    `" 42 "`,
    `"+7"`,
    `"-7"`,
    `1.5`,
    `1.0`,
    `1e3`,
    `"1.5"`,
    `"1e3"`,
    `"1_000"`,
    `"0x10"`,
    `9223372036854775807`,
    `9223372036854775808`,
    `-9223372036854775808`,
    `-9223372036854775809`,
    `18446744073709551615`,
    `123456789012345678901234567890`,
    `"abc"`,
    `true`,
    `{}`,
    `[]`,
    `null`,
    `"\\t42"`,
    `"\u00a042"`,
  ],
  i: [`2147483647`, `2147483648`, `-2147483648`, `"12"`, `12.5`, `false`],
  d: [
    `1.5`,
    `1`,
    `-0.0`,
    `0.1`,
    `1e-7`,
    `-1.0e-5`,
    `2.5e-5`,
    `1e21`,
    `1e400`,
    `-1e400`,
    `5e-324`,
    `"2.5"`,
    `" 3.5 "`,
    `"NaN"`,
    `"Infinity"`,
    `"-Infinity"`,
    `"1_000"`,
    `"abc"`,
    `true`,
    `[]`,
    `{}`,
    `9007199254740993`,
    `123456789012345678901234567890`,
    `0.1234567890123456789`,
    `"\u00a03.5"`,
    `"3.5\\t"`,
    `"\u20033.5\u2003"`,
  ],
  f: [`3.4e38`, `1e39`, `0.1`, `"0.1"`, `16777217`, `"x"`],
  b: [`true`, `false`, `"true"`, `"false"`, `1`, `0`, `"yes"`, `null`],
  t: [
    `"2025-01-01T10:00:00Z"`,
    `"2025-01-01 10:00:00"`,
    `"2025-01-01 10:00:00.1234567"`,
    `"2025-01-01T10:00:00+02:00"`,
    `"2025-01-01T10:00:00 Europe/Paris"`,
    `1735776000000`,
    `"1735776000000"`,
    `-5`,
    `1.5`,
    `1e3`,
    `"1.5"`,
    `"yesterday"`,
    `"2025-13-01 00:00:00"`,
    `"2025-02-30 00:00:00"`,
    `"2025-01-01"`,
    `"infinity"`,
    `"-infinity"`,
    `true`,
    `{}`,
    `[1]`,
    `123456789012345678901234567890`,
    `" 2025-01-01 10:00:00 "`,
    `" 1735776000000 "`,
    `"\u00a02025-01-01 10:00:00\u00a0"`,
    `"2025-01-01 10:00:00\\t"`,
    `"\\t1735776000000"`,
    `"2025"`,
  ],
  tz: [`"2025-01-01T10:00:00+02:00"`, `"2025-01-01T10:00:00"`, `0`, `"nope"`, `0.5`],
  dec: [`1.234`, `"5.5"`, `1e2`, `12345678901.5`, `true`, `-0.005`, `1e-7`],
  dt: [`"2025-01-01"`, `20250101`, `"2025-02-30"`, `"2025-01-01T00:00:00"`],
  tm: [`"10:00:00"`, `"25:00:00"`, `36000`, `"10:00:00.5"`],
  u: [`"123e4567-e89b-12d3-a456-426614174000"`, `5`, `"not-a-uuid"`, `"123E4567E89B12D3A456426614174000"`],
  bin: [`"aGVsbG8="`, `1234`, `"!!"`, `""`],
  fx: [`"aGk="`, `"aGVsbG8="`],
  st: [`{"a": 1}`, `{"a": "x"}`, `[1]`, `"s"`, `{}`],
  ls: [`[1, 2]`, `[1, "x"]`, `{}`, `[]`],
  mp: [`{"k": 1}`, `{"k": "x"}`, `[]`],
};

/** Lines that start with "{" and need no sanitizing: one value per line, plus record-level cases. */
function plainLines(): string[] {
  const lines: string[] = [];
  for (const [column, values] of Object.entries(VALUES))
    for (const value of values) lines.push(`{"id": ${lines.length + 1}, "req": "r", "${column}": ${value}}`);
  const n = () => lines.length + 1;
  lines.push(`{"id": ${n()}}`); // missing required
  lines.push(`{"id": ${n()}, "req": null}`); // required null
  lines.push(`{"req": "no id"}`);
  lines.push(`{"ID": ${n()}, "req": "wrong case"}`);
  lines.push(`{"\\u0069d": ${n()}, "req": "escaped key"}`);
  lines.push(`{"id": ${n()}, "req": "unknown fields", "zzz": [1, {"a": 2}], "__floe_skip": 0}`);
  lines.push(`{"id": ${n()}, "req": "placeholder lookalike", "__floe_text": "x"}`);
  lines.push(`{"id": ${n()}, "req": "trailing spaces"}   `);
  lines.push(`{"id": ${n()},"req":"compact","l":7}`);
  lines.push(`{"id": "${n()}", "req": "string id"}`);
  lines.push(`{"id": "x${n()}", "req": "not an id"}`);
  lines.push(`{"id": ${n()}, "req": "malformed"`); // read_json fails: the piece is sanitized
  return lines;
}

/** Lines a plain file cannot hold: blank, whitespace, non-objects, several values on a line. */
function messyLines(): string[] {
  const lines = plainLines();
  const n = () => lines.length + 1;
  lines.push("", "   ", "\t", "[1, 2]", `"str"`, "null", "5", `{"id": 1}{"id": 2}`, `{"id": 3} junk`);
  lines.push(`  {"id": ${n()}, "req": "leading spaces"}`);
  lines.push(`\u00a0{"id": ${n()}, "req": "nbsp"}`);
  lines.push(`{"id": ${n()}, "req": "tab\u0001ctrl"}`);
  lines.push(`{"id": ${n()}, "req": "end"}`);
  return lines;
}

interface Letter {
  table: string;
  source: string;
  line: number;
  reason: string;
  record: string;
}

const readLetters = (file: string): Letter[] =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Letter)
    : [];

const allColumns = ALL_TYPES.fields.map((f) => `CAST("${f.name}" AS VARCHAR) AS "${f.name}"`).join(", ");

interface Outcome {
  counts: Omit<IngestResult, "deadLetterPath" | "perFile">;
  rows: Record<string, unknown>[];
  letters: Letter[];
  summaries: Record<string, string | undefined>[];
}

async function ingest(file: string, exact: boolean, batchRows?: number, schema: Schema = ALL_TYPES): Promise<Outcome> {
  const table: Table = await h.table({ schema });
  const deadLetter = `${h.dir}/dead-${Math.random().toString(36).slice(2)}.ndjson`;
  const {
    deadLetterPath: _path,
    perFile: _perFile,
    ...counts
  } = await ingestFiles(h.engine, table, [file], {
    deadLetter,
    exactNdjson: exact,
    batchRows,
  });
  const summaries = table.snapshots().map((s) => ({
    lines: s.summary["floe.ingest.source-lines"],
    last: s.summary["floe.ingest.source-last-line"],
    batch: s.summary["floe.ingest.batch"],
    rejected: s.summary["floe.ingest.rejected-records"],
    added: s.summary["added-records"],
    bytes: s.summary["floe.ingest.source-bytes"],
  }));
  return {
    counts,
    rows: await readRows(h.engine, table, allColumns, "id"),
    letters: readLetters(deadLetter),
    summaries,
  };
}

async function assertSameAsExact(file: string, batchRows?: number): Promise<Outcome> {
  const fast = await ingest(file, false, batchRows);
  const exact = await ingest(file, true, batchRows);
  assert.deepEqual(fast.counts, exact.counts);
  assert.deepEqual(fast.letters, exact.letters);
  assert.deepEqual(fast.rows, exact.rows);
  assert.deepEqual(fast.summaries, exact.summaries);
  return fast;
}

test("a plain file: the fast path commits the same rows and dead letters as the exact checker", async () => {
  const lines = plainLines();
  const file = h.file("plain.ndjson", `${lines.join("\n")}\n`);
  const layout = await scanNdjsonLayout(file, { rows: 1000, bytes: 1 << 30 });
  assert.equal(layout.plain, true);
  // Without the malformed last line, read_json reads the file in place; with it, a sanitized copy.
  await assertSameAsExact(h.file("plain-wellformed.ndjson", `${lines.slice(0, -1).join("\n")}\n`));
  const outcome = await assertSameAsExact(file);
  // The file really holds both kinds: many rows commit, many are rejected, for many reasons.
  assert.ok(outcome.counts.committed > 100, `committed ${outcome.counts.committed}`);
  assert.ok(outcome.counts.rejected > 60, `rejected ${outcome.counts.rejected}`);
  const rejectedFields = new Set(outcome.letters.map((l) => /^field (\w+):/.exec(l.reason)?.[1]).filter(Boolean));
  assert.deepEqual([...rejectedFields].sort(), [...Object.keys(VALUES), "id"].sort());
  assert.deepEqual(
    outcome.letters.filter((l) => /^(invalid JSON|missing required)/.test(l.reason)).map((l) => l.reason),
    [
      "missing required field req",
      "missing required field req",
      "missing required field id",
      "missing required field id",
      "invalid JSON",
    ],
  );
});

test("a file with blank lines, non-objects, CRLF and control characters is sanitized to the same result", async () => {
  const lines = messyLines();
  await assertSameAsExact(h.file("messy.ndjson", `${lines.join("\n")}\n`));
  // "\r\n" after a first "\n" counts as two line breaks for the line reader; a lone "\r" ends a line.
  await assertSameAsExact(
    h.file("mixed-crlf.ndjson", `${lines.slice(0, 20).join("\n")}\n${lines.slice(20).join("\r\n")}\r\n`),
  );
  await assertSameAsExact(h.file("lone-cr.ndjson", `${lines.slice(0, 30).join("\r")}\n${lines.slice(30).join("\n")}`));
});

test("a CRLF file is plain and gives the same result", async () => {
  const lines = plainLines().slice(0, -1); // without the malformed line
  const file = h.file("crlf.ndjson", `${lines.join("\r\n")}\r\n`);
  assert.equal((await scanNdjsonLayout(file, { rows: 1000, bytes: 1 << 30 })).plain, true);
  await assertSameAsExact(file);
});

test("batches: plain and sanitized files cut into pieces commit the same snapshots", async () => {
  const plain = plainLines();
  const outcome = await assertSameAsExact(h.file("batches-plain.ndjson", `${plain.join("\n")}\n`), 40);
  assert.ok(outcome.summaries.length >= 4);
  const messy = messyLines();
  await assertSameAsExact(h.file("batches-messy.ndjson", `\n\n${messy.join("\n")}\n\n`), 30);
});

test("duplicate keys make read_json refuse the file: the exact checker takes over with the same result", async () => {
  const lines = [
    `{"id": 1, "req": "a"}`,
    `{"id": 2, "req": "b", "l": 1, "l": 2}`,
    `{"id": 3, "req": "c", "l": "x"}`,
    `{"id": 4, "req": "d"}`,
  ];
  await assertSameAsExact(h.file("duplicates.ndjson", `${lines.join("\n")}\n`));
  await assertSameAsExact(h.file("duplicates-batches.ndjson", `${lines.join("\n")}\n`), 2);
});

test("the fast path certifies a plain file's valid records itself and sends only the others to the exact checker", async () => {
  const table = await h.table({ schema: ALL_TYPES });
  const valid = Array.from(
    { length: 50 },
    (_, i) => `{"id": ${i + 1}, "req": "r", "s": "x${i}", "l": ${i}, "d": ${i}.5}`,
  );
  valid[10] = `{"id": 11, "req": "r", "l": 1.5}`; // rejected
  valid[20] = `{"id": 21, "req": "r", "s": "42"}`; // valid, but a string holding a number is left to the exact checker
  const file = h.file("certified.ndjson", `${valid.join("\n")}\n`);
  const checked = await checkNdjsonChunk(
    h.engine,
    table,
    { file, lineOffset: 0, kind: "plain", lines: 50 },
    { tempDirectory: h.dir },
  );
  assert.ok(checked, "read_json read the file");
  try {
    assert.deepEqual({ valid: checked.valid, rejected: checked.rejected }, { valid: 49, rejected: 1 });
    assert.equal(checked.files.length, 1);
    assert.equal(checked.files[0].recordCount, 49n);
    const [letter] = await h.engine.all<{ line: bigint; reason: string }>(
      `SELECT __floe_line AS line, __floe_reason AS reason FROM ${checked.rejects}`,
    );
    assert.deepEqual(letter, { line: 11n, reason: "field l: expected long, got 1.5" });
  } finally {
    await table.io.deleteMany(checked.files.map((f) => f.filePath));
    await checked.release();
  }
});
