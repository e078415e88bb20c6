/**
 * The two access patterns of the click stream as library calls, each a SQL relation over the
 * table built by the engine's read path with the filter handed to scan planning, so pruning
 * happens before any data is read:
 * - queryDay: every click of one day (ML jobs) — the day(event_time) partition leaves one day's
 *   files;
 * - queryElement: the clicks of one element between two dates (dashboards) — partitions prune the
 *   days, file statistics prune files, and inside the kept files DuckDB skips every row group
 *   whose sorted element_id range misses.
 * The relations are returned, not run: callers count, aggregate, page or COPY them.
 */
import { badInput } from "../core/errors.ts";
import type { Engine } from "../engine/duckdb.ts";
import type { FileCache } from "../engine/read/file-cache.ts";
import { tableScanSql } from "../engine/read/table-query.ts";
import type { RemoteReadStats } from "../engine/remote/read-stats.ts";
import { type Expression, and, equal, greaterThanOrEqual, lessThan } from "../expr/expressions.ts";
import type { ScanPlan } from "../scan/plan.ts";
import type { Table } from "../table/table.ts";
import { dayNumber, dayString } from "./generator-sql.ts";
import { type RowGroupCounts, rowGroupCounts } from "./row-group-explain.ts";

/** Options shared by both access patterns. */
export interface ClickQueryOptions {
  /** Return `SELECT count(*) AS count` over the matching clicks instead of the clicks. */
  count?: boolean;
  /** Columns to return (default: all). */
  columns?: string[];
  /** Query this snapshot instead of the current one. */
  snapshotId?: bigint;
  /** Where remote files are cached (default: the process-wide cache). */
  fileCache?: FileCache;
  /**
   * Count the row groups the statistics leave for explain.rowGroups (default true). Footers are
   * read once per file and cached; false skips even that (rowGroups is then null).
   */
  explainRowGroups?: boolean;
}

/** Options of queryElement: the inclusive day range. */
export interface ElementQueryOptions extends ClickQueryOptions {
  /** First day, "YYYY-MM-DD" (inclusive). */
  from: string;
  /** Last day, "YYYY-MM-DD" (inclusive). */
  to: string;
}

/** What pruning did for a click query. */
export interface ClickQueryExplain {
  filter: string;
  files: { considered: number; pruned: number; read: number };
  /**
   * Row groups of the read files by their statistics (from the footers of the local or cached
   * copies); null when ClickQueryOptions.explainRowGroups is false or a file has no local copy.
   */
  rowGroups: RowGroupCounts | null;
  /** Remote storage: GET requests and bytes fetched (metadata and data), cache use, sparse reads. */
  remote: RemoteReadStats;
  /** Bytes and records of the read files (before row-group pruning). */
  bytes: bigint;
  records: bigint;
  planningMs: number;
}

/** A click query: the relation to run and how it was pruned. */
export interface ClickQuery {
  /** SQL of the relation (wrap in parentheses to use it as a table). */
  sql: string;
  explain: ClickQueryExplain;
  plan: ScanPlan;
}

const MICROS_PER_DAY = 86_400_000_000n;
/** Midnight (UTC) of day number `days` in microseconds since the epoch. */
const dayMicros = (days: number): bigint => BigInt(days) * MICROS_PER_DAY;

async function clickQuery(
  engine: Engine,
  table: Table,
  filter: Expression,
  firstDay: number,
  endDay: number,
  elementId: bigint | null,
  options: ClickQueryOptions,
): Promise<ClickQuery> {
  const scan = await tableScanSql(engine, table.io, table.metadata, {
    filter,
    columns: options.columns,
    snapshotId: options.snapshotId,
    fileCache: options.fileCache,
  });
  const { explain } = scan.plan;
  // The copies DuckDB reads (remote files are cached or sparse local copies; footers are always real).
  const rowGroups =
    options.explainRowGroups === false
      ? null
      : await rowGroupCounts(
          engine,
          scan.plan.tasks.map((task) => ({
            location: task.file.filePath,
            size: task.file.fileSizeInBytes,
            localPath: scan.localPaths.get(task.file.filePath) ?? task.file.filePath,
          })),
          [
            { column: "event_time", type: "timestamp", atLeast: dayMicros(firstDay), below: dayMicros(endDay) },
            ...(elementId === null
              ? []
              : [{ column: "element_id", type: "long" as const, atLeast: elementId, atMost: elementId }]),
          ],
        );
  // Files of manifests skipped by their partition summaries are never listed by the planner, so
  // count what the snapshot holds (its summary's total) as considered.
  const total = scan.plan.snapshot?.summary["total-data-files"];
  const considered = Math.max(explain.dataFiles.considered, total === undefined ? 0 : Number(total));
  return {
    sql: options.count ? `SELECT count(*) AS count FROM (${scan.sql})` : scan.sql,
    plan: scan.plan,
    explain: {
      filter: explain.filter,
      files: { considered, pruned: considered - explain.dataFiles.kept, read: explain.dataFiles.kept },
      rowGroups,
      bytes: explain.bytes.kept,
      records: explain.records.kept,
      planningMs: explain.planningMs,
      remote: scan.remote,
    },
  };
}

/** Every click of `day` ("YYYY-MM-DD"): event_time >= day AND event_time < day + 1. */
export async function queryDay(
  engine: Engine,
  table: Table,
  day: string,
  options: ClickQueryOptions = {},
): Promise<ClickQuery> {
  const first = dayNumber(day);
  const filter = and(
    greaterThanOrEqual("event_time", `${dayString(first)}T00:00:00`),
    lessThan("event_time", `${dayString(first + 1)}T00:00:00`),
  );
  return clickQuery(engine, table, filter, first, first + 1, null, options);
}

/** The clicks of `elementId` from `from` to `to` (inclusive days): element_id = X AND event_time in [from, to + 1). */
export async function queryElement(
  engine: Engine,
  table: Table,
  elementId: number | bigint,
  options: ElementQueryOptions,
): Promise<ClickQuery> {
  const first = dayNumber(options.from);
  const end = dayNumber(options.to) + 1;
  if (end <= first) throw badInput(`click element query: "to" ${options.to} is before "from" ${options.from}`);
  const id = BigInt(elementId);
  const filter = and(
    equal("element_id", id),
    greaterThanOrEqual("event_time", `${dayString(first)}T00:00:00`),
    lessThan("event_time", `${dayString(end)}T00:00:00`),
  );
  return clickQuery(engine, table, filter, first, end, id, options);
}
