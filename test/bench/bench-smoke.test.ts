// The benchmark runs end to end on a tiny load and saves every figure as a finite number (a smoke
// test of the harness, not a performance assertion).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, "..", "..");

/** Figures every run must report (the targets' figures and their raw baselines among them). */
const EXPECTED = [
  "ingest_floe_rows_per_s",
  "ingest_raw_rows_per_s",
  "ingest_ratio",
  "write_floe_rows_per_s",
  "ndjson_rows_per_s",
  "bytes_per_row_floe",
  "bytes_per_row_raw",
  "bytes_per_row_ratio",
  "files_per_day_floe",
  "day_count_floe_p50_ms",
  "day_count_floe_p95_ms",
  "day_count_raw_p50_ms",
  "day_agg_floe_p50_ms",
  "day_agg_raw_p95_ms",
  "day_export_floe_ms",
  "day_export_raw_ms",
  "element_30d_floe_p50_ms",
  "element_30d_raw_p50_ms",
  "element_30d_ratio",
  "element_365d_floe_p95_ms",
  "element_365d_ratio",
  "commit_p50_ms",
  "commit_last_p50_ms",
  "planning_p50_ms",
  "memory_peak_rss_bytes",
  "memory_peak_duckdb_bytes",
];

interface Result {
  command: string;
  figures: Record<string, unknown>;
  targets: { figure: string; value: unknown; met: unknown }[];
  checks: Record<string, unknown>;
  details: { elements: { label: string }[]; rows: { floe: number } };
}

test("npm run bench on 2 days x 5000 clicks saves every figure as a finite number", { timeout: 300_000 }, async () => {
  const out = await mkdtemp(path.join(tmpdir(), "floe-bench-smoke-"));
  try {
    // --commits keeps the commit-path phase short; its default (1000) is for real runs.
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "bench/run.ts",
        "--days",
        "2",
        "--per-day",
        "5000",
        "--queries",
        "3",
        "--commits",
        "40",
        "--out",
        out,
      ],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    assert.match(stdout, /Targets \(issue, 2-core machine\):/);
    assert.match(stdout, /^(MET|MISSED) +ingest, generated data/m);

    const saved = (await readdir(out)).sort();
    assert.equal(saved.length, 2, `expected one result file and latest.json, got ${saved.join(", ")}`);
    assert.match(saved[0], /^\d{8}-\d{6}-2x5000\.json$/);
    assert.equal(saved[1], "latest.json");
    const result = JSON.parse(await readFile(path.join(out, "latest.json"), "utf8")) as Result;
    assert.deepEqual(result, JSON.parse(await readFile(path.join(out, saved[0]), "utf8")));

    for (const name of EXPECTED) assert.ok(name in result.figures, `figure ${name} missing`);
    for (const [name, value] of Object.entries(result.figures))
      assert.ok(typeof value === "number" && Number.isFinite(value), `figure ${name} is ${value}`);
    assert.ok((result.figures.ingest_floe_rows_per_s as number) > 0);
    assert.equal(result.figures.element_30d_window_days, 2);
    for (const target of result.targets) {
      assert.ok(Number.isFinite(target.value), `target ${target.figure} has no value`);
      assert.equal(typeof target.met, "boolean");
    }
    assert.equal(result.targets.length, 13);
    assert.ok(
      Object.values(result.checks).every((ok) => ok === true),
      JSON.stringify(result.checks),
    );
    assert.equal(result.details.rows.floe, 10_000);
    assert.deepEqual(
      result.details.elements.map((e) => e.label),
      ["hot", "median", "cold"],
    );
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
