/**
 * Which statistics each column's data-file entry carries (Java's MetricsConfig): the table default
 * `write.metadata.metrics.default` (truncate(16) unless set), per-column overrides
 * `write.metadata.metrics.column.<dotted name>`, columns of the sort order raised to at least
 * truncate(16) (their bounds are what makes sorted files prunable), and — when the default is not
 * set explicitly — only the first `write.metadata.metrics.max-inferred-column-defaults` (100)
 * primitive columns get the default, the rest none, so very wide tables keep small manifests.
 */
import { validation } from "../../core/errors.ts";
import type { SortOrder } from "../../spec/sort-order.ts";
import {
  DEFAULT_WRITE_METRICS_MODE,
  DEFAULT_WRITE_METRICS_MODE_DEFAULT,
  propertyInt,
} from "../../spec/table-properties.ts";
import type { Schema } from "../../spec/types.ts";
import { type LeafColumn, leafColumns } from "./leaf-columns.ts";

/** A metrics mode: nothing, counts only, bounds truncated to `length`, or full bounds. */
export type MetricsMode =
  | { kind: "none" }
  | { kind: "counts" }
  | { kind: "truncate"; length: number }
  | { kind: "full" };

/** Per-column override prefix, followed by the column's full dotted name. */
export const METRICS_MODE_COLUMN_PREFIX = "write.metadata.metrics.column.";
/** How many columns get the default mode when the default is not set explicitly. */
export const METRICS_MAX_INFERRED_COLUMNS = "write.metadata.metrics.max-inferred-column-defaults";
const METRICS_MAX_INFERRED_COLUMNS_DEFAULT = 100;

const TRUNCATE = /^truncate\((\d+)\)$/i;

/** Parses "none", "counts", "truncate(N)" or "full" (any case); `what` names the property in errors. */
export function parseMetricsMode(text: string, what = "metrics mode"): MetricsMode {
  const trimmed = text.trim();
  const lower = trimmed.toLowerCase();
  if (lower === "none" || lower === "counts" || lower === "full") return { kind: lower };
  const m = TRUNCATE.exec(trimmed);
  if (m) {
    const length = Number(m[1]);
    if (length > 0) return { kind: "truncate", length };
  }
  throw validation(`${what}: invalid metrics mode "${text}" (expected none, counts, truncate(N) or full)`);
}

const RANK: Record<MetricsMode["kind"], number> = { none: 0, counts: 1, truncate: 2, full: 3 };
const SORTED_COLUMN_MINIMUM: MetricsMode = { kind: "truncate", length: 16 };

/** The metrics mode of every primitive leaf column, by field id. */
export function metricsModes(
  schema: Schema,
  properties: Readonly<Record<string, string>>,
  sortOrder?: SortOrder,
): Map<number, MetricsMode> {
  const explicitDefault = properties[DEFAULT_WRITE_METRICS_MODE];
  const defaultMode = parseMetricsMode(
    explicitDefault ?? DEFAULT_WRITE_METRICS_MODE_DEFAULT,
    DEFAULT_WRITE_METRICS_MODE,
  );
  const maxInferred = propertyInt(properties, METRICS_MAX_INFERRED_COLUMNS, METRICS_MAX_INFERRED_COLUMNS_DEFAULT);
  const sortedIds = new Set((sortOrder?.fields ?? []).map((f) => f["source-id"]));
  const modes = new Map<number, MetricsMode>();
  leafColumns(schema).forEach((leaf: LeafColumn, index) => {
    const override = properties[`${METRICS_MODE_COLUMN_PREFIX}${leaf.name}`];
    let mode: MetricsMode;
    if (override !== undefined) mode = parseMetricsMode(override, `${METRICS_MODE_COLUMN_PREFIX}${leaf.name}`);
    else if (explicitDefault === undefined && index >= maxInferred) mode = { kind: "none" };
    else mode = defaultMode;
    if (sortedIds.has(leaf.field.id) && RANK[mode.kind] < RANK.truncate) mode = SORTED_COLUMN_MINIMUM;
    modes.set(leaf.field.id, mode);
  });
  return modes;
}
