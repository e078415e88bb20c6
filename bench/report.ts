/**
 * The benchmark's output: a flat map of figures (every one a number), the targets checked
 * against them, a printed table saying what each figure measures, and the JSON file.
 */
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Figure name → value (ms, rows/s, bytes, ratios; the name carries the unit). */
export type Figures = Record<string, number>;

/** One target of the issue, checked. */
export interface TargetCheck {
  figure: string;
  what: string;
  op: "<=" | ">=";
  target: number;
  value: number;
  met: boolean;
}

/** The targets (2-core machine, 6M clicks/day scale). */
const TARGETS: { figure: string; what: string; op: "<=" | ">="; target: number }[] = [
  { figure: "ingest_floe_rows_per_s", what: "ingest, generated data (rows/s)", op: ">=", target: 1_500_000 },
  { figure: "ingest_ratio", what: "ingest vs raw sorted COPY (floe/raw)", op: ">=", target: 0.85 },
  { figure: "ndjson_rows_per_s", what: "NDJSON ingest (rows/s)", op: ">=", target: 300_000 },
  { figure: "bytes_per_row_ratio", what: "bytes/row vs raw Parquet (floe/raw)", op: "<=", target: 1.05 },
  { figure: "day_count_floe_p50_ms", what: "day query count p50 (ms)", op: "<=", target: 100 },
  { figure: "day_agg_floe_p50_ms", what: "day query by country p50 (ms)", op: "<=", target: 100 },
  { figure: "day_export_floe_ms", what: "one day exported to Parquet (ms)", op: "<=", target: 3000 },
  { figure: "element_30d_floe_p50_ms", what: "element query, 30-day window p50 (ms)", op: "<=", target: 50 },
  { figure: "element_365d_floe_p50_ms", what: "element query, 365-day window p50 (ms)", op: "<=", target: 150 },
  { figure: "element_30d_ratio", what: "element query 30d vs raw p50 (floe/raw)", op: "<=", target: 1.5 },
  { figure: "element_365d_ratio", what: "element query 365d vs raw p50 (floe/raw)", op: "<=", target: 1.5 },
  { figure: "commit_p50_ms", what: "append commit p50 (ms)", op: "<=", target: 20 },
  { figure: "planning_p50_ms", what: "planning after the commits p50 (ms)", op: "<=", target: 10 },
];

/** Checks every target against `figures`. */
export function checkTargets(figures: Figures): TargetCheck[] {
  return TARGETS.map((t) => {
    const value = figures[t.figure];
    const met = Number.isFinite(value) && (t.op === "<=" ? value <= t.target : value >= t.target);
    return { ...t, value, met };
  });
}

const num = (value: number | undefined, digits = 1): string => {
  if (value === undefined || !Number.isFinite(value)) return "-";
  if (Math.abs(value) >= 10_000) return Math.round(value).toLocaleString("en-US");
  return value.toFixed(digits);
};

/** A printed row: what it measures, floe, raw, floe/raw. */
export interface Row {
  what: string;
  floe?: number;
  raw?: number;
  ratio?: number;
  digits?: number;
}

/** Renders rows as an aligned text table. */
export function formatTable(rows: readonly Row[]): string {
  const cells = [
    ["figure", "floe", "raw DuckDB", "floe/raw"],
    ...rows.map((r) => [r.what, num(r.floe, r.digits), num(r.raw, r.digits), num(r.ratio, 2)]),
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells
    .map((row, i) => {
      const line = row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
      return i === 0 ? `${line}\n${"-".repeat(line.length)}` : line;
    })
    .join("\n");
}

/** Renders the target checks, one line each, MET or MISSED. */
export function formatTargets(checks: readonly TargetCheck[]): string {
  const width = Math.max(...checks.map((c) => c.what.length));
  return checks
    .map(
      (c) =>
        `${c.met ? "MET   " : "MISSED"}  ${c.what.padEnd(width)}  ${num(c.value, 2).padStart(12)}  target ${c.op} ${num(c.target, 2)}`,
    )
    .join("\n");
}

/** Writes `result` as `<out>/<stamp>-<days>x<perDay>.json` and `<out>/latest.json`; returns the first path. */
export async function saveResult(
  out: string,
  stamp: string,
  days: number,
  perDay: number,
  result: unknown,
): Promise<string> {
  await mkdir(out, { recursive: true });
  const file = path.join(out, `${stamp}-${days}x${perDay}.json`);
  const text = `${JSON.stringify(result, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2)}\n`;
  await writeFile(file, text);
  await copyFile(file, path.join(out, "latest.json"));
  return file;
}
