// Input resolution (paths, directories, globs, formats by extension) and the progress reporter.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { after, before, test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { createProgressReporter, formatOf, globToRegExp, resolveInputs } from "../../src/ingest/index.ts";

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "floe-ingest-inputs-"));
  mkdirSync(path.join(dir, "day=1"));
  mkdirSync(path.join(dir, "day=2"));
  for (const name of ["day=1/a.ndjson", "day=1/b.csv", "day=2/c.ndjson.gz", "day=2/d.parquet", "notes.txt"])
    writeFileSync(path.join(dir, name), "x");
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("formats come from extensions, compression suffixes aside", () => {
  assert.equal(formatOf("a.ndjson"), "ndjson");
  assert.equal(formatOf("a.JSONL"), "ndjson");
  assert.equal(formatOf("a.json.gz"), "ndjson");
  assert.equal(formatOf("a.csv.zst"), "csv");
  assert.equal(formatOf("a.parquet"), "parquet");
  assert.equal(formatOf("a.txt"), undefined);
});

test("globs match within and across directories", () => {
  assert.ok(globToRegExp("/d/*.ndjson").test("/d/a.ndjson"));
  assert.ok(!globToRegExp("/d/*.ndjson").test("/d/x/a.ndjson"));
  assert.ok(globToRegExp("/d/**/*.ndjson").test("/d/x/y/a.ndjson"));
  assert.ok(globToRegExp("/d/**/*.ndjson").test("/d/a.ndjson"));
  assert.ok(globToRegExp("/d/{a,b}.csv").test("/d/b.csv"));
  assert.ok(globToRegExp("/d/[ab].csv").test("/d/a.csv"));
  assert.ok(!globToRegExp("/d/a?.csv").test("/d/a.csv"));
});

test("inputs resolve to sorted, de-duplicated files with formats", async () => {
  const files = await resolveInputs([
    path.join(dir, "**/*.ndjson*"),
    path.join(dir, "day=1/a.ndjson"),
    path.join(dir, "day=2"),
  ]);
  assert.deepEqual(
    files.map((f) => [path.relative(dir, f.path), f.format, f.bytes]),
    [
      ["day=1/a.ndjson", "ndjson", 1],
      ["day=2/c.ndjson.gz", "ndjson", 1],
      ["day=2/d.parquet", "parquet", 1],
    ],
  );
  await assert.rejects(resolveInputs([path.join(dir, "missing.ndjson")]), (e) => isFloeError(e, "bad-input"));
  await assert.rejects(resolveInputs([path.join(dir, "*.nothing")]), /no files match/);
  await assert.rejects(resolveInputs([path.join(dir, "notes.txt")]), /cannot tell the format/);
  assert.equal((await resolveInputs([path.join(dir, "notes.txt")], "csv"))[0].format, "csv");
});

test("the progress reporter draws only when enabled", () => {
  const quiet = createProgressReporter({ enabled: false });
  quiet.onProgress({ file: "f", rowsRead: 1, rowsCommitted: 1, bytesRead: 1, bytesTotal: 2 });
  quiet.stop();

  const stream = new PassThrough();
  let output = "";
  stream.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  // cli-progress only renders to a TTY-like stream; pretend this one is.
  Object.assign(stream, {
    isTTY: true,
    columns: 200,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
  });
  const bar = createProgressReporter({ enabled: true, label: "clicks.events", stream });
  bar.onProgress({ file: "a.ndjson", rowsRead: 500, rowsCommitted: 400, bytesRead: 1_500_000, bytesTotal: 3_000_000 });
  bar.stop();
  assert.match(output, /clicks\.events/);
  assert.match(output, /1\.5 MB\/3\.0 MB/);
  assert.match(output, /500 rows/);
  assert.match(output, /400 committed/);
});
