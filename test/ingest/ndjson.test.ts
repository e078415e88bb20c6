// NDJSON ingestion: typed columns read back from the written Parquet, dead letters with exact line
// numbers and reasons for every kind of bad record, idempotent re-runs, batches and resumption.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { type IngestProgress, INGEST_SUMMARY, ingestFiles } from "../../src/ingest/index.ts";
import { DAY_SPEC, type IngestHarness, harness, liveFiles, readRows } from "./fixtures.ts";

let h: IngestHarness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const deadLetters = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { table: string; source: string; line: number; reason: string; record: string });

test("NDJSON records land typed in the table's layout; blank lines and unknown fields are fine", async () => {
  const table = await h.table({ spec: DAY_SPEC });
  const file = h.file(
    "good.ndjson",
    [
      `{"id": 1, "ts": "2025-01-01T10:00:00Z", "page": "/a", "score": 1.5, "ok": true, "n": 7, "at": "2025-01-01T10:00:00+02:00"}`,
      ``,
      `{"id": "9007199254740993", "ts": "2025-01-02 23:59:59.123456", "page": "/b\\"q", "score": 2, "ok": false, "unknown": [1]}`,
      `  `,
      `{"id": 3, "ts": 1735776000000, "page": null, "at": "2025-01-02T00:00:00"}`,
    ].join("\n"),
  );
  const result = await ingestFiles(h.engine, table, [file], { deadLetter: `${h.dir}/unused.ndjson` });
  assert.deepEqual(
    {
      read: result.read,
      committed: result.committed,
      rejected: result.rejected,
      files: result.files,
      snapshots: result.snapshots,
    },
    { read: 3, committed: 3, rejected: 0, files: 1, snapshots: 1 },
  );
  assert.equal(result.deadLetterPath, null);
  const rows = await readRows(
    h.engine,
    table,
    `id, CAST(ts AS VARCHAR) AS ts, page, score, ok, n, CAST("at" AS VARCHAR) AS "at"`,
  );
  assert.deepEqual(rows, [
    { id: 1n, ts: "2025-01-01 10:00:00", page: "/a", score: 1.5, ok: true, n: 7, at: "2025-01-01 08:00:00+00" },
    { id: 3n, ts: "2025-01-02 00:00:00", page: null, score: null, ok: null, n: null, at: "2025-01-02 00:00:00+00" },
    { id: 9007199254740993n, ts: "2025-01-02 23:59:59.123456", page: '/b"q', score: 2, ok: false, n: null, at: null },
  ]);
  // Partitioned by day: the two days give two files.
  assert.equal((await liveFiles(table)).length, 2);
  const summary = table.currentSnapshot()!.summary;
  assert.equal(summary[INGEST_SUMMARY.sourceFile], file);
  assert.match(summary[INGEST_SUMMARY.sourceSha256], /^[0-9a-f]{64}$/);
  assert.equal(summary[INGEST_SUMMARY.sourceLines], "1-5");
  assert.equal(summary["added-records"], "3");
});

test("every kind of bad record goes to the dead letters with its line and reason; every valid record commits", async () => {
  const table = await h.table();
  const lines = [
    `{"id": 1, "ts": "2025-01-01T00:00:00Z"}`, // 1 valid
    `{"id": 2, "ts": "2025-01-01T00:00:00Z"`, // 2 malformed
    `[1, 2]`, // 3 not an object
    `{"id": "abc", "ts": "2025-01-01T00:00:00Z"}`, // 4 long from a non-numeric string
    `{"id": 1.5, "ts": "2025-01-01T00:00:00Z"}`, // 5 long from a fraction (not rounded)
    `{"id": 6, "ts": "yesterday"}`, // 6 timestamp
    `{"id": 7, "ts": "2025-01-01T00:00:00Z", "score": "high"}`, // 7 double
    `{"id": 8, "ts": "2025-01-01T00:00:00Z", "ok": "yes"}`, // 8 boolean
    `{"id": 9, "ts": "2025-01-01T00:00:00Z", "n": 3000000000}`, // 9 int overflow
    `{"ts": "2025-01-01T00:00:00Z"}`, // 10 missing required
    `{"id": null, "ts": "2025-01-01T00:00:00Z"}`, // 11 required null
    `{"id": 12, "ts": "2025-01-01T00:00:00Z", "page": 5}`, // 12 string from a number
    `{"id": 13, "ts": "2025-01-01T00:00:00Z", "score": 1e3, "n": "-4"}`, // 13 valid
    `{"id": 14, "ts": "2025-01-01T00:00:00Z", "at": "not a time"}`, // 14 timestamptz
  ];
  const file = h.file("bad.ndjson", `${lines.join("\n")}\n`);
  const deadLetter = `${h.dir}/bad-dead.ndjson`;
  const result = await ingestFiles(h.engine, table, [file], { deadLetter });
  assert.equal(result.read, 14);
  assert.equal(result.committed, 2);
  assert.equal(result.rejected, 12);
  assert.equal(result.deadLetterPath, deadLetter);
  const letters = deadLetters(deadLetter);
  assert.deepEqual(
    letters.map((l) => [l.line, l.reason]),
    [
      [2, "invalid JSON"],
      [3, "not a JSON object"],
      [4, 'field id: expected long, got "abc"'],
      [5, "field id: expected long, got 1.5"],
      [6, 'field ts: expected timestamp, got "yesterday"'],
      [7, 'field score: expected double, got "high"'],
      [8, 'field ok: expected boolean, got "yes"'],
      [9, "field n: expected int, got 3000000000"],
      [10, "missing required field id"],
      [11, "missing required field id"],
      [12, "field page: expected string, got 5"],
      [14, 'field at: expected timestamptz, got "not a time"'],
    ],
  );
  for (const letter of letters) {
    assert.equal(letter.source, file);
    assert.equal(letter.table, "clicks.events");
    assert.equal(letter.record, lines[letter.line - 1]);
  }
  const rows = await readRows(h.engine, table, "id, score, n");
  assert.deepEqual(rows, [
    { id: 1n, score: null, n: null },
    { id: 13n, score: 1000, n: -4 },
  ]);
});

test("line numbers stay exact in CRLF files", async () => {
  const table = await h.table();
  const file = h.file(
    "crlf.ndjson",
    `{"id": 1, "ts": "2025-01-01T00:00:00Z"}\r\n\r\n{"id": "x", "ts": "2025-01-01T00:00:00Z"}\r\n{"id": 3, "ts": "2025-01-01T00:00:00Z"}\r\n`,
  );
  const deadLetter = `${h.dir}/crlf-dead.ndjson`;
  const result = await ingestFiles(h.engine, table, [file], { deadLetter });
  assert.deepEqual({ committed: result.committed, rejected: result.rejected }, { committed: 2, rejected: 1 });
  assert.deepEqual(
    deadLetters(deadLetter).map((l) => [l.line, l.record]),
    [[3, `{"id": "x", "ts": "2025-01-01T00:00:00Z"}`]],
  );
});

test("re-ingesting the same content is skipped: no snapshot, reported as skipped", async () => {
  const table = await h.table();
  const file = h.file(
    "once.ndjson",
    `{"id": 1, "ts": "2025-01-01T00:00:00Z"}\n{"id": 2, "ts": "2025-01-01T00:00:00Z"}\n`,
  );
  const copy = h.file("once-copy.ndjson", readFileSync(file, "utf8"));
  const first = await ingestFiles(h.engine, table, [file]);
  assert.equal(first.snapshots, 1);
  const snapshots = table.snapshots().length;
  // The same bytes under another name are the same source.
  const again = await ingestFiles(h.engine, table, [file, copy]);
  assert.deepEqual(
    { files: again.files, skipped: again.skipped, read: again.read, snapshots: again.snapshots },
    { files: 0, skipped: 2, read: 0, snapshots: 0 },
  );
  assert.deepEqual(
    again.perFile.map((r) => r.status),
    ["skipped", "skipped"],
  );
  assert.equal(table.snapshots().length, snapshots);
  assert.equal((await readRows(h.engine, table, "id")).length, 2);
  // force re-ingests.
  const forced = await ingestFiles(h.engine, table, [file], { force: true });
  assert.equal(forced.committed, 2);
  assert.equal((await readRows(h.engine, table, "id")).length, 4);
});

test("a file larger than the batch commits several snapshots, reporting progress", async () => {
  const table = await h.table();
  const records = Array.from({ length: 7 }, (_, i) => `{"id": ${i + 1}, "ts": "2025-01-01T00:00:0${i}Z"}`);
  records.splice(3, 0, `{"id": "bad", "ts": "2025-01-01T00:00:00Z"}`); // line 4
  const file = h.file("batches.ndjson", `${records.join("\n")}\n`);
  const progress: IngestProgress[] = [];
  const result = await ingestFiles(h.engine, table, [file], {
    batchRows: 3,
    deadLetter: `${h.dir}/batches-dead.ndjson`,
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual(
    {
      read: result.read,
      committed: result.committed,
      rejected: result.rejected,
      batches: result.batches,
      snapshots: result.snapshots,
    },
    { read: 8, committed: 7, rejected: 1, batches: 3, snapshots: 3 },
  );
  const summaries = table.snapshots().map((s) => s.summary);
  assert.deepEqual(
    summaries.map((s) => [
      s[INGEST_SUMMARY.sourceLines],
      s[INGEST_SUMMARY.batch],
      s["added-records"],
      s[INGEST_SUMMARY.rejectedRecords],
    ]),
    [
      ["1-3", "1/3", "3", "0"],
      ["4-6", "2/3", "2", "1"],
      ["7-8", "3/3", "2", "0"],
    ],
  );
  assert.deepEqual(
    (await readRows(h.engine, table, "id")).map((r) => r.id),
    [1n, 2n, 3n, 4n, 5n, 6n, 7n],
  );
  assert.ok(progress.length >= 4);
  const last = progress[progress.length - 1];
  assert.deepEqual(last, {
    file,
    rowsRead: 8,
    rowsCommitted: 7,
    bytesRead: last.bytesTotal,
    bytesTotal: readFileSync(file).length,
  });
  for (let i = 1; i < progress.length; i++) {
    assert.ok(progress[i].bytesRead >= progress[i - 1].bytesRead);
    assert.ok(progress[i].rowsCommitted >= progress[i - 1].rowsCommitted);
  }
});

test("a run that stopped between batches resumes with the lines no commit covers", async () => {
  const table = await h.table();
  const records = Array.from({ length: 6 }, (_, i) => `{"id": ${i + 1}, "ts": "2025-01-01T00:00:00Z"}`);
  const file = h.file("resume.ndjson", `${records.join("\n")}\n`);
  await ingestFiles(h.engine, table, [file], { batchRows: 2 });
  // Pretend the run died after its first batch: roll main back to it.
  const first = table.snapshots()[0];
  await table.manageSnapshots().rollbackTo(first["snapshot-id"]).commit();
  assert.equal((await readRows(h.engine, table, "id")).length, 2);

  const resumed = await ingestFiles(h.engine, table, [file], { batchRows: 10 });
  assert.equal(resumed.perFile[0].status, "resumed");
  assert.deepEqual(
    { read: resumed.read, committed: resumed.committed, snapshots: resumed.snapshots },
    { read: 4, committed: 4, snapshots: 1 },
  );
  assert.deepEqual(
    (await readRows(h.engine, table, "id")).map((r) => r.id),
    [1n, 2n, 3n, 4n, 5n, 6n],
  );
  const again = await ingestFiles(h.engine, table, [file]);
  assert.equal(again.skipped, 1);
});

test("a batch whose records are all rejected still marks its lines done", async () => {
  const table = await h.table();
  const file = h.file("all-bad.ndjson", `{"id": "x", "ts": "2025-01-01T00:00:00Z"}\nnope\n`);
  const deadLetter = `${h.dir}/all-bad-dead.ndjson`;
  const result = await ingestFiles(h.engine, table, [file], { deadLetter });
  assert.deepEqual(
    { committed: result.committed, rejected: result.rejected, snapshots: result.snapshots },
    { committed: 0, rejected: 2, snapshots: 1 },
  );
  assert.equal(table.currentSnapshot()!.summary["added-records"] ?? "0", "0");
  const again = await ingestFiles(h.engine, table, [file], { deadLetter });
  assert.equal(again.skipped, 1);
  assert.equal(deadLetters(deadLetter).length, 2);
});
