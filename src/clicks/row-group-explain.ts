/**
 * The row-group half of an explain: of the row groups in the files a scan kept, how many could
 * hold matching rows by their Parquet min/max statistics. DuckDB skips the others when it applies
 * the scan's filter, so "read" here is what a selective lookup actually decodes. Only footers are
 * read (parquet_metadata), never data pages.
 */
import type { Engine } from "../engine/duckdb.ts";
import { localPathOf } from "../engine/read/file-cache.ts";
import { quoteString } from "../engine/sql/quoting.ts";

/** A closed/half-open range on one top-level column, as SQL literals of the column's DuckDB type. */
export interface ColumnRange {
  column: string;
  /** DuckDB type the statistics text is cast to, e.g. "BIGINT", "TIMESTAMP". */
  sqlType: string;
  /** Rows must be >= this (SQL literal), when given. */
  atLeast?: string;
  /** Rows must be < this (SQL literal), when given. */
  below?: string;
  /** Rows must be <= this (SQL literal), when given. */
  atMost?: string;
}

/** Row groups of the kept files: all of them, those the statistics rule out, and those left to read. */
export interface RowGroupCounts {
  considered: number;
  pruned: number;
  read: number;
}

/** Counts the row groups of `locations` whose statistics may match every range; null when a file is not local. */
export async function rowGroupCounts(
  engine: Engine,
  locations: readonly string[],
  ranges: readonly ColumnRange[],
): Promise<RowGroupCounts | null> {
  if (locations.length === 0) return { considered: 0, pruned: 0, read: 0 };
  const paths = locations.map(localPathOf);
  if (paths.some((p) => p === undefined)) return null;
  const conditions = ranges.map((range) => {
    const min = `TRY_CAST(stats_min_value AS ${range.sqlType})`;
    const max = `TRY_CAST(stats_max_value AS ${range.sqlType})`;
    const tests = [
      range.atLeast === undefined ? null : `${max} >= ${range.atLeast}`,
      range.below === undefined ? null : `${min} < ${range.below}`,
      range.atMost === undefined ? null : `${min} <= ${range.atMost}`,
    ].filter((t): t is string => t !== null);
    // Missing statistics decide nothing: the group may match.
    return `WHEN ${quoteString(range.column)} THEN coalesce(${tests.join(" AND ") || "true"}, true)`;
  });
  const [row] = await engine.all<{ considered: bigint; read: bigint }>(
    `SELECT count(*) AS considered, count(*) FILTER (WHERE may_match) AS read FROM (
       SELECT file_name, row_group_id,
              bool_and(CASE path_in_schema ${conditions.join(" ")} ELSE true END) AS may_match
       FROM parquet_metadata([${paths.map((p) => quoteString(p as string)).join(", ")}])
       GROUP BY file_name, row_group_id)`,
  );
  const considered = Number(row.considered);
  const read = Number(row.read);
  return { considered, pruned: considered - read, read };
}
