// Property tests (seeded, deterministic): pruning never drops a matching row and proofs never
// admit a non-matching one, for every transform, the metrics evaluators and the residuals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bind } from "../../src/expr/bind.ts";
import type { Expression } from "../../src/expr/expressions.ts";
import { manifestEvaluator } from "../../src/expr/manifest-evaluator.ts";
import type { FileMetricsLike } from "../../src/expr/metrics-evaluator.ts";
import { inclusiveMetricsEvaluator, strictMetricsEvaluator } from "../../src/expr/metrics-evaluator.ts";
import { partitionEvaluator } from "../../src/expr/partition-evaluator.ts";
import { strictProjection } from "../../src/expr/projection.ts";
import { residualEvaluator } from "../../src/expr/residual.ts";
import { evaluate, rowEvaluator, valueAt } from "../../src/expr/row-evaluator.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import { compareValues } from "../../src/spec/compare.ts";
import { daysFromCivil, toBytes } from "../../src/spec/conversions.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import { partitionType } from "../../src/spec/partitioning.ts";
import { parseTransform } from "../../src/spec/transforms.ts";
import type { Value } from "../../src/spec/types.ts";
import { COLUMNS, type Column, Random, SCHEMA, randomExpression, randomRow } from "./random-data.ts";

const FIELDS: [string, string][] = [
  ["i", "identity"],
  ["i", "bucket[4]"],
  ["i", "truncate[10]"],
  ["l", "truncate[100]"],
  ["l", "bucket[3]"],
  ["dec", "truncate[50]"],
  ["dec", "identity"],
  ["s", "truncate[2]"],
  ["s", "identity"],
  ["s", "bucket[5]"],
  ["d", "year"],
  ["d", "month"],
  ["d", "day"],
  ["d", "bucket[3]"],
  ["ts", "year"],
  ["ts", "month"],
  ["ts", "day"],
  ["ts", "hour"],
  ["ts", "identity"],
  ["tz", "day"],
  ["tz", "hour"],
  ["f", "identity"],
  ["b", "truncate[2]"],
  ["b", "identity"],
  ["st.n", "identity"],
  ["st.n", "truncate[5]"],
  ["r", "bucket[2]"],
  ["r", "void"],
];

const column = (name: string): Column => COLUMNS.find((c) => c.name === name)!;

/** One single-field spec per (column, transform), plus one spec holding several fields per column. */
const SPECS: PartitionSpec[] = [
  ...FIELDS.map(([source, transform], i) => ({
    "spec-id": i + 1,
    fields: [{ "source-id": column(source).id, "field-id": 1000, name: `p_${i}`, transform }],
  })),
  {
    "spec-id": 100,
    fields: [
      { "source-id": 1, "field-id": 1000, name: "i_trunc", transform: "truncate[10]" },
      { "source-id": 1, "field-id": 1001, name: "i_bucket", transform: "bucket[4]" },
      { "source-id": 6, "field-id": 1002, name: "ts_day", transform: "day" },
      { "source-id": 6, "field-id": 1003, name: "ts_hour", transform: "hour" },
      { "source-id": 4, "field-id": 1004, name: "s_trunc", transform: "truncate[1]" },
      { "source-id": 4, "field-id": 1005, name: "s_bucket", transform: "bucket[2]" },
    ],
  },
];

function partitionOf(spec: PartitionSpec, row: Value[]): Value[] {
  return spec.fields.map((field) => {
    const source = COLUMNS.find((c) => c.id === field["source-id"])!;
    return parseTransform(field.transform).apply(source.type, valueAt(row, source.path));
  });
}

const ROWS = (() => {
  const rnd = new Random(20240601);
  return Array.from({ length: 120 }, () => randomRow(rnd));
})();
const EXPRESSIONS = (() => {
  const rnd = new Random(424242);
  return Array.from({ length: 160 }, () => randomExpression(rnd));
})();

/** Fails with the expression's text; the message is built only on failure (building it is slow). */
function check(ok: boolean, expr: Expression, extra: () => string): void {
  if (!ok) assert.fail(`${expressionToString(expr)} ${extra()}`);
}

test("inclusive projection never prunes a matching row; strict projection never admits a non-matching one", () => {
  let matched = 0;
  let proven = 0;
  for (const spec of SPECS) {
    const type = partitionType(spec, SCHEMA);
    const partitions = ROWS.map((row) => partitionOf(spec, row));
    for (const expr of EXPRESSIONS) {
      const matches = rowEvaluator(SCHEMA, expr);
      const inclusive = partitionEvaluator(spec, SCHEMA, expr);
      const strict = bind(type, strictProjection(spec, SCHEMA, expr));
      for (const [r, row] of ROWS.entries()) {
        const partition = partitions[r];
        const m = matches(row);
        if (m) {
          matched++;
          check(inclusive(partition), expr, () => `pruned partition ${String(partition)} of spec ${spec["spec-id"]}`);
        }
        if (evaluate(strict, partition)) {
          proven++;
          check(m, expr, () => `strictly admitted partition ${String(partition)} of spec ${spec["spec-id"]}`);
        }
      }
    }
  }
  // The generators must exercise both sides, or the assertions above prove nothing.
  assert.ok(matched > 100_000, `only ${matched} matching rows`);
  assert.ok(proven > 15_000, `only ${proven} proven partitions`);
});

test("residuals agree with the full filter on every row of the partition", () => {
  let reduced = 0;
  for (const spec of SPECS) {
    for (const expr of EXPRESSIONS.slice(0, 80)) {
      const matches = rowEvaluator(SCHEMA, expr);
      const residualFor = residualEvaluator(spec, SCHEMA, expr);
      for (const row of ROWS.slice(0, 60)) {
        const residual = residualFor(partitionOf(spec, row));
        if (residual.op === "true" || residual.op === "false") reduced++;
        check(
          rowEvaluator(SCHEMA, residual)(row) === matches(row),
          expr,
          () => `residual ${expressionToString(residual)} on spec ${spec["spec-id"]} disagrees on ${String(row)}`,
        );
      }
    }
  }
  assert.ok(reduced > 7_000, `only ${reduced} residuals reduced to a constant`);
});

/** Column metrics of a group of rows, sometimes with truncated string bounds and missing or unreliable metrics. */
function metricsOf(rnd: Random, rows: Value[][]): FileMetricsLike {
  const valueCounts = new Map<number, bigint>();
  const nullValueCounts = new Map<number, bigint>();
  const nanValueCounts = new Map<number, bigint>();
  const lowerBounds = new Map<number, Uint8Array>();
  const upperBounds = new Map<number, Uint8Array>();
  for (const c of COLUMNS) {
    const values = rows.map((row) => valueAt(row, c.path));
    const ordinary = values.filter((v): v is Exclude<Value, null> => v !== null && !Number.isNaN(v));
    if (!rnd.chance(0.1)) valueCounts.set(c.id, BigInt(values.length));
    if (!rnd.chance(0.1)) nullValueCounts.set(c.id, BigInt(values.filter((v) => v === null).length));
    if (c.type === "double" && !rnd.chance(0.1))
      nanValueCounts.set(c.id, BigInt(values.filter((v) => typeof v === "number" && Number.isNaN(v)).length));
    if (ordinary.length === 0 || rnd.chance(0.1)) continue;
    const sorted = [...ordinary].sort((a, b) => compareValues(c.type, a, b));
    let lower = sorted[0];
    let upper: Value | undefined = sorted[sorted.length - 1];
    if (c.type === "string" && rnd.chance(0.5)) {
      lower = [...(lower as string)].slice(0, 1).join("");
      upper = truncateUpper(upper as string, 1);
    }
    if (c.type === "double" && rnd.chance(0.05)) lower = Number.NaN;
    lowerBounds.set(c.id, toBytes(c.type, lower));
    if (upper !== undefined) upperBounds.set(c.id, toBytes(c.type, upper));
  }
  const file: FileMetricsLike = { recordCount: BigInt(rows.length) };
  if (!rnd.chance(0.05)) file.valueCounts = valueCounts;
  if (!rnd.chance(0.05)) file.nullValueCounts = nullValueCounts;
  if (!rnd.chance(0.05)) file.nanValueCounts = nanValueCounts;
  if (!rnd.chance(0.05)) file.lowerBounds = lowerBounds;
  if (!rnd.chance(0.05)) file.upperBounds = upperBounds;
  return file;
}

/** An upper bound for `text` cut to `length` code points: the cut with its last code point incremented. */
function truncateUpper(text: string, length: number): string | undefined {
  const points = [...text];
  if (points.length <= length) return text;
  const cut = points.slice(0, length);
  const last = cut.pop()!.codePointAt(0)! + 1;
  return last > 0x10ffff ? undefined : cut.join("") + String.fromCodePoint(last);
}

test("metrics evaluators: inclusive keeps every file with a matching row, strict holds only when every row matches", () => {
  const rnd = new Random(777);
  const files = Array.from({ length: 150 }, () => {
    const rows = Array.from({ length: rnd.int(1, 5) }, () => rnd.pick(ROWS));
    return { rows, metrics: metricsOf(rnd, rows) };
  });
  let pruned = 0;
  let proven = 0;
  for (const expr of EXPRESSIONS) {
    const matches = rowEvaluator(SCHEMA, expr);
    const inclusive = inclusiveMetricsEvaluator(SCHEMA, expr);
    const strict = strictMetricsEvaluator(SCHEMA, expr);
    for (const { rows, metrics } of files) {
      const any = rows.some(matches);
      const all = rows.every(matches);
      const might = inclusive(metrics);
      if (!might) pruned++;
      if (any) check(might, expr, () => `pruned a file with a matching row: ${rows.map(String).join(" | ")}`);
      if (strict(metrics)) {
        proven++;
        check(all, expr, () => `proved a file with a non-matching row: ${rows.map(String).join(" | ")}`);
      }
    }
  }
  assert.ok(pruned > 2_500, `only ${pruned} files pruned`);
  assert.ok(proven > 3_000, `only ${proven} files proven`);
});

test("manifest evaluator never skips a manifest listing a file with a matching row", () => {
  const rnd = new Random(99);
  let skipped = 0;
  for (const spec of SPECS) {
    const type = partitionType(spec, SCHEMA);
    const manifests = Array.from({ length: 12 }, () => Array.from({ length: rnd.int(1, 6) }, () => rnd.pick(ROWS)));
    const summaries = manifests.map((rows) =>
      type.fields.map((field, i) => {
        const t = field.type as string;
        const values = rows.map((row) => partitionOf(spec, row)[i]);
        const ordinary = values
          .filter((v): v is Exclude<Value, null> => v !== null && !Number.isNaN(v))
          .sort((a, b) => compareValues(t, a, b));
        const hasNan = values.some((v) => typeof v === "number" && Number.isNaN(v));
        return {
          containsNull: values.includes(null),
          containsNan: t === "double" ? (rnd.chance(0.2) ? undefined : hasNan) : rnd.chance(0.5) ? false : undefined,
          lowerBound: ordinary.length ? toBytes(t, ordinary[0]) : undefined,
          upperBound: ordinary.length ? toBytes(t, ordinary[ordinary.length - 1]) : undefined,
        };
      }),
    );
    for (const expr of EXPRESSIONS) {
      const matches = rowEvaluator(SCHEMA, expr);
      const evaluator = manifestEvaluator(spec, SCHEMA, expr);
      manifests.forEach((rows, m) => {
        const might = evaluator(summaries[m]);
        if (!might) skipped++;
        if (rows.some(matches)) check(might, expr, () => `skipped manifest ${m} of spec ${spec["spec-id"]}`);
      });
    }
  }
  assert.ok(skipped > 1_200, `only ${skipped} manifests skipped`);
});

const MICROS_PER_DAY = 86_400_000_000n;

/** The source value where unit `n` of a time transform starts (as the source type stores it). */
function unitStart(unit: string, type: string, n: number): Value {
  const ns = type.endsWith("_ns") ? 1000n : 1n;
  if (unit === "hour") return BigInt(n) * 3_600_000_000n * ns;
  const days =
    unit === "day"
      ? n
      : unit === "month"
        ? daysFromCivil(1970 + Math.floor(n / 12), (((n % 12) + 12) % 12) + 1, 1)
        : daysFromCivil(1970 + n, 1, 1);
  return type === "date" ? days : BigInt(days) * MICROS_PER_DAY * ns;
}

/** Partition values as writers before the pre-1970 fix stored them: rounded toward zero, one too high. */
function oldWriterPartitionOf(spec: PartitionSpec, row: Value[]): Value[] {
  return partitionOf(spec, row).map((value, i) => {
    const field = spec.fields[i];
    const unit = parseTransform(field.transform).name;
    if (value === null || !["year", "month", "day", "hour"].includes(unit)) return value;
    const source = COLUMNS.find((c) => c.id === field["source-id"])!;
    const n = value as number;
    return n < 0 && unitStart(unit, source.type, n) !== valueAt(row, source.path) ? n + 1 : n;
  });
}

test("projections stay safe for pre-1970 partition values written with the old rounding", () => {
  let shifted = 0;
  const timeSpecs = SPECS.filter((s) => s.fields.some((f) => ["year", "month", "day", "hour"].includes(f.transform)));
  for (const spec of timeSpecs) {
    const type = partitionType(spec, SCHEMA);
    const partitions = ROWS.map((row) => oldWriterPartitionOf(spec, row));
    shifted += partitions.filter((p, r) => String(p) !== String(partitionOf(spec, ROWS[r]))).length;
    for (const expr of EXPRESSIONS) {
      const matches = rowEvaluator(SCHEMA, expr);
      const inclusive = partitionEvaluator(spec, SCHEMA, expr);
      const strict = bind(type, strictProjection(spec, SCHEMA, expr));
      for (const [r, row] of ROWS.entries()) {
        const m = matches(row);
        if (m) check(inclusive(partitions[r]), expr, () => `pruned old partition ${String(partitions[r])}`);
        if (evaluate(strict, partitions[r]))
          check(m, expr, () => `strictly admitted old partition ${String(partitions[r])}`);
      }
    }
  }
  assert.ok(shifted > 100, `only ${shifted} partitions differ from the correct ones`);
});
