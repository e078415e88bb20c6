// Runs `floe demo` (what `npm start` runs) twice on a temporary warehouse: the first run loads a
// tiny click set and runs both access patterns, the second reuses the data.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { parseJson } from "../../src/core/json.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "floe.js");

let dir: string;
const floe = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, "--warehouse", path.join(dir, "warehouse"), ...args],
      { cwd: dir, encoding: "utf8" },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "floe-cli-demo-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface DemoPattern {
  count: number;
  sample: Record<string, string>[];
  planningMs: number;
  executionMs: number;
  files: { considered: number; pruned: number; read: number };
  rowGroups: { considered: number; pruned: number; read: number };
}

test("demo loads once, runs both access patterns, and reuses the data on a second run", async () => {
  const first = await floe("demo", "--days", "2", "--per-day", "2000");
  assert.equal(first.code, 0, first.stderr);
  const text = first.stdout;
  assert.match(text, /clicks\.events is empty: loading 2 days x 2000 clicks from 2025-01-01/);
  assert.match(text, /loaded 4000 rows into clicks\.events: 2 files, \d+ bytes/);
  assert.match(text, /Pattern 1 \(ML jobs\): every click of one day, 2025-01-01\n {2}count: 2000\n/);
  assert.match(text, /planning [\d.]+ ms, execution [\d.]+ ms/);
  assert.match(text, /files read 1 of 2 \(1 pruned\), row groups read \d+ of \d+/);
  const element = /Pattern 2 \(dashboards\): element (\d+), the most clicked from 2025-01-01 to 2025-01-02/.exec(text);
  assert.ok(element, text);
  const elementCount = /Pattern 2[^\n]*\n {2}count: (\d+)/.exec(text);
  assert.ok(elementCount, text);

  const second = await floe("--json", "demo", "--days", "2", "--per-day", "2000");
  assert.equal(second.code, 0, second.stderr);
  const report = parseJson(second.stdout) as unknown as {
    reused: boolean;
    rows: number;
    days: { first: string; last: string };
    day: DemoPattern & { day: string };
    element: DemoPattern & { elementId: number; from: string; to: string };
  };
  assert.equal(report.reused, true);
  assert.equal(report.rows, 4000);
  assert.deepEqual(report.days, { first: "2025-01-01", last: "2025-01-02" });
  assert.equal(report.day.count, 2000);
  assert.equal(report.day.sample.length, 5);
  assert.ok(report.day.sample.every((row) => row.event_time.startsWith("2025-01-01")));
  assert.equal(String(report.element.elementId), element[1]);
  assert.equal(String(report.element.count), elementCount[1]);
  assert.ok(report.element.sample.every((row) => row.element_id === element[1]));
  for (const pattern of [report.day, report.element]) {
    assert.equal(pattern.files.considered, pattern.files.pruned + pattern.files.read);
    assert.equal(pattern.rowGroups.considered, pattern.rowGroups.pruned + pattern.rowGroups.read);
  }

  // The same answers through `floe sql`, and no new snapshot from the second run.
  const [check, snapshots] = await Promise.all([
    floe(
      "--json",
      "sql",
      `SELECT count(*) FILTER (WHERE element_id = ${element[1]}) AS element_clicks,
              (SELECT element_id FROM clicks.events GROUP BY element_id ORDER BY count(*) DESC, element_id LIMIT 1) AS top
       FROM clicks.events`,
    ),
    floe("--json", "snapshots", "clicks.events"),
  ]);
  assert.equal(check.code, 0, check.stderr);
  assert.deepEqual(parseJson(check.stdout), [{ element_clicks: Number(elementCount[1]), top: Number(element[1]) }]);
  assert.equal((parseJson(snapshots.stdout) as unknown[]).length, 2);
});
