// The append-only record of a sparse copy's real ranges: its lines round-trip, torn, damaged and
// stale lines are never trusted, several cache instances (processes) extend one record without
// losing each other's ranges, and a long record is compacted.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { normalizeRanges, rangeBytes } from "../../src/engine/remote/byte-ranges.ts";
import { MeteredFileIO } from "../../src/engine/remote/metered-file-io.ts";
import { MAX_RECORD_LINES, parseRecord, recordLines } from "../../src/engine/remote/ranges-record.ts";
import { SparseFileCache } from "../../src/engine/remote/sparse-file-cache.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { tempDir } from "./read-fixtures.ts";

const REMOTE = "memory://bucket/data/file.bin";
const SIZE = 1_000_000;
let scratch: { dir: string; cleanup: () => void };
let store: MemoryFileIO;
let bytes: Uint8Array;

before(async () => {
  scratch = tempDir("ranges-record");
  store = new MemoryFileIO();
  bytes = new Uint8Array(SIZE).map((_, i) => (i * 31 + 7) % 256);
  await store.write(REMOTE, bytes);
});

after(() => scratch?.cleanup());

test("record lines round-trip; lines of other copies, torn and damaged lines are skipped", () => {
  const text = recordLines("11:22", [
    { start: 0, end: 10 },
    { start: 50, end: 70 },
  ]);
  assert.deepEqual(parseRecord(text, "11:22").ranges, [
    { start: 0, end: 10 },
    { start: 50, end: 70 },
  ]);
  assert.deepEqual(parseRecord(text, "11:22", 60).ranges, [
    { start: 0, end: 10 },
    { start: 50, end: 60 },
  ]);
  assert.deepEqual(parseRecord(text, "99:22").ranges, [], "a re-created copy trusts nothing of the old one");
  const other = recordLines("99:22", [{ start: 100, end: 200 }]);
  assert.deepEqual(parseRecord(text + other).ranges.length, 3, "without an identity: every copy's lines");
  // A reader racing a writer may see a prefix of the last line; a changed digit breaks the check.
  const torn = `${text}${other.slice(0, other.length - 4)}`;
  assert.deepEqual(parseRecord(torn, "99:22").ranges, []);
  const [first] = text.split("\n");
  const damaged = `${first.replace(" 10 ", " 19 ")}\n`;
  assert.deepEqual(parseRecord(damaged, "11:22").ranges, []);
  assert.deepEqual(parseRecord('{"inode":"11:22","ranges":[[0,10]]}\n', "11:22").ranges, [], "old JSON records");
  assert.equal(parseRecord(text + other + torn).lines, 6);
});

test("instances sharing a directory append to one record and see each other's ranges", async () => {
  const directory = path.join(scratch.dir, "shared");
  const counts = { getRequests: 0, bytesFetched: 0 };
  const io = new MeteredFileIO(store, counts);
  const a = new SparseFileCache({ directory, maxGapBytes: 0 });
  const b = new SparseFileCache({ directory, maxGapBytes: 0 });
  const first = { start: 1000, end: 2000 };
  const second = { start: 5000, end: 6000 };
  const { path: copy } = await a.ensure(io, REMOTE, SIZE, [first]);
  const record = `${copy.slice(0, -".sparse".length)}.ranges`;
  const inode = statSync(record).ino;
  await b.ensure(io, REMOTE, SIZE, [second]);
  assert.equal(statSync(record).ino, inode, "appended to, not replaced");
  assert.equal(readFileSync(record, "utf8").trim().split("\n").length, 2);
  // a learns of b's range from the record: nothing is fetched for it.
  const fetched = counts.bytesFetched;
  const again = await a.ensure(io, REMOTE, SIZE, [first, second]);
  assert.equal(again.heldBytes, 2000);
  assert.equal(counts.bytesFetched, fetched);
  const data = readFileSync(copy);
  assert.deepEqual(new Uint8Array(data.subarray(5000, 6000)), bytes.slice(5000, 6000));
  // A third instance, as the next process, finds both.
  const c = new SparseFileCache({ directory, maxGapBytes: 0 });
  assert.equal(c.size, 2000);
});

test("a record of many redundant lines is rewritten with its live ranges only; disjoint ranges all stay", async () => {
  const directory = path.join(scratch.dir, "compact");
  const cache = new SparseFileCache({ directory, maxGapBytes: 0 });
  // Touching ranges: one live range, one more line per update.
  const touching = Array.from({ length: MAX_RECORD_LINES + 10 }, (_, i) => ({ start: i * 100, end: (i + 1) * 100 }));
  let copy = "";
  for (const range of touching) copy = (await cache.ensure(store, REMOTE, SIZE, [range])).path;
  const record = `${copy.slice(0, -".sparse".length)}.ranges`;
  const lines = () => readFileSync(record, "utf8").trim().split("\n").length;
  assert.ok(lines() < MAX_RECORD_LINES, `${lines()} lines after compaction`);
  assert.deepEqual(parseRecord(readFileSync(record, "utf8")).ranges, normalizeRanges(touching));

  // Disjoint ranges are all live: the record keeps every one of them.
  const disjoint = Array.from({ length: MAX_RECORD_LINES + 10 }, (_, i) => ({
    start: 500_000 + i * 1000,
    end: 500_000 + i * 1000 + 10,
  }));
  for (const range of disjoint) await cache.ensure(store, REMOTE, SIZE, [range]);
  const all = normalizeRanges([...touching, ...disjoint]);
  const fresh = new SparseFileCache({ directory, maxGapBytes: 0 });
  assert.equal(fresh.size, rangeBytes(all));
  const counts = { getRequests: 0, bytesFetched: 0 };
  const result = await fresh.ensure(new MeteredFileIO(store, counts), REMOTE, SIZE, all);
  assert.equal(counts.getRequests, 0, "every range survived");
  assert.equal(result.heldBytes, rangeBytes(all));
  assert.deepEqual(new Uint8Array(readFileSync(copy).subarray(500_000, 500_010)), bytes.slice(500_000, 500_010));
});
