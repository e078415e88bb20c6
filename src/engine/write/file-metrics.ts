/**
 * One written file's Iceberg column metrics from DuckDB's COPY ... RETURN_STATS column statistics
 * (column name path → { column_size_bytes, num_values, null_count, min, max, has_nan }). Counts
 * for every leaf the metrics mode keeps; bounds for leaves outside lists and maps (as Java);
 * NaN counts only for float/double. DuckDB reports whether a column has NaNs, not how many, so
 * columns with NaNs are returned for the caller to count in the file.
 */
import { parsePrimitive } from "../../spec/conversions.ts";
import type { PrimitiveType } from "../../spec/types.ts";
import { boundsFor } from "./bounds.ts";
import type { LeafColumn } from "./leaf-columns.ts";
import type { MetricsMode } from "./metrics-config.ts";
import { parseStatValue } from "./stat-values.ts";

/** Column statistics of one file: column key → stat name → text. */
export type ColumnStatistics = Map<string, Map<string, string>>;

/** The metrics maps of a DataFile, plus the leaves whose NaN count still has to be computed. */
export interface FileMetrics {
  columnSizes: Map<number, bigint>;
  valueCounts: Map<number, bigint>;
  nullValueCounts: Map<number, bigint>;
  nanValueCounts: Map<number, bigint>;
  lowerBounds: Map<number, Uint8Array>;
  upperBounds: Map<number, Uint8Array>;
  /** Float/double leaves (outside lists and maps) that hold NaNs: count them and fill nanValueCounts. */
  needNanCount: LeafColumn[];
}

const isFloating = (type: PrimitiveType): boolean => {
  const kind = parsePrimitive(type).kind;
  return kind === "float" || kind === "double";
};

const bigintStat = (stats: Map<string, string>, name: string): bigint | undefined => {
  const text = stats.get(name);
  return text === undefined || !/^\d+$/.test(text) ? undefined : BigInt(text);
};

/** Builds the metrics of one file from its RETURN_STATS column statistics. */
export function fileMetrics(
  leaves: LeafColumn[],
  modes: Map<number, MetricsMode>,
  statistics: ColumnStatistics,
): FileMetrics {
  const metrics: FileMetrics = {
    columnSizes: new Map(),
    valueCounts: new Map(),
    nullValueCounts: new Map(),
    nanValueCounts: new Map(),
    lowerBounds: new Map(),
    upperBounds: new Map(),
    needNanCount: [],
  };
  for (const leaf of leaves) {
    const mode = modes.get(leaf.field.id) ?? { kind: "none" };
    const stats = statistics.get(leaf.statsKey);
    if (mode.kind === "none" || !stats) continue;
    const id = leaf.field.id;
    const type = leaf.field.type as PrimitiveType;
    const size = bigintStat(stats, "column_size_bytes");
    const values = bigintStat(stats, "num_values");
    const nulls = bigintStat(stats, "null_count");
    if (size !== undefined) metrics.columnSizes.set(id, size);
    if (values !== undefined) metrics.valueCounts.set(id, values);
    if (nulls !== undefined) metrics.nullValueCounts.set(id, nulls);
    if (isFloating(type)) {
      const hasNan = stats.get("has_nan");
      if (hasNan === "false") metrics.nanValueCounts.set(id, 0n);
      else if (hasNan === "true" && !leaf.repeated) metrics.needNanCount.push(leaf);
    }
    if (leaf.repeated) continue;
    const min = stats.get("min");
    const max = stats.get("max");
    if (min === undefined || max === undefined) continue;
    const bounds = boundsFor(type, mode, parseStatValue(type, min), parseStatValue(type, max));
    if (bounds.lower) metrics.lowerBounds.set(id, bounds.lower);
    if (bounds.upper) metrics.upperBounds.set(id, bounds.upper);
  }
  return metrics;
}
