/**
 * The row-group half of an explain: of the row groups in the files a scan kept, how many could
 * hold matching rows by their Parquet min/max statistics. DuckDB skips the others when it applies
 * the scan's filter, so "read" here is what a selective lookup actually decodes. Only footers are
 * read (parquet_metadata), never data pages, and each file's statistics are cached: data files are
 * immutable, so a file (by stored location and size) is read once per column per process, and
 * later explains are counted here without touching DuckDB.
 */
import type { Engine } from "../engine/duckdb.ts";
import { localPathOf } from "../engine/read/file-cache.ts";
import { quoteString } from "../engine/sql/quoting.ts";

/** A range on one top-level column; bounds are integers, or microseconds since the epoch for timestamps. */
export interface ColumnRange {
  column: string;
  /** How the column's statistics read: a 64-bit integer, or a timestamp without zone. */
  type: "long" | "timestamp";
  /** Rows must be >= this, when given. */
  atLeast?: bigint;
  /** Rows must be < this, when given. */
  below?: bigint;
  /** Rows must be <= this, when given. */
  atMost?: bigint;
}

/** Row groups of the kept files: all of them, those the statistics rule out, and those left to read. */
export interface RowGroupCounts {
  considered: number;
  pruned: number;
  read: number;
}

/** A kept data file: its stored location and size (its identity) and the local copy DuckDB reads. */
export interface FooterSource {
  location: string;
  size: bigint;
  /** A local path or file:// location of the file or of a copy with the same footer. */
  localPath: string;
}

/** Statistics text of one column, by row group (null when the group has none). */
interface ColumnStats {
  min: (string | null)[];
  max: (string | null)[];
  /** Parsed bounds by type, filled on first use. */
  parsed: Map<string, { min: (bigint | undefined)[]; max: (bigint | undefined)[] }>;
}

/** What the cache holds for one file: its row-group count and the columns read so far. */
interface FileStats {
  rowGroups: number;
  /** By column name; null when the file has no such column. */
  columns: Map<string, ColumnStats | null>;
}

/** Files whose statistics are kept; the oldest are dropped beyond this. */
const MAX_CACHED_FILES = 20_000;
const cache = new Map<string, FileStats>();
const cacheKey = (file: FooterSource): string => `${file.size}:${file.location}`;

interface MetadataRow {
  file_name: string;
  row_group_id: bigint | number;
  path_in_schema: string;
  stats_min_value: string | null;
  stats_max_value: string | null;
}

/** Reads the footers of `files` for `columns` (and every file's row-group count); caches and returns them. */
async function loadStats(
  engine: Engine,
  files: readonly { file: FooterSource; path: string }[],
  columns: readonly string[],
): Promise<Map<FooterSource, FileStats>> {
  const loaded = new Map<FooterSource, FileStats>();
  const wanted = columns.map(quoteString).join(", ");
  // Column 0 is in every row group, so it counts the row groups even when no wanted column exists.
  const rows = await engine.all<MetadataRow>(
    `SELECT file_name, row_group_id, path_in_schema, stats_min_value, stats_max_value
     FROM parquet_metadata([${files.map((f) => quoteString(f.path)).join(", ")}])
     WHERE column_id = 0${wanted ? ` OR path_in_schema IN (${wanted})` : ""}`,
  );
  const byPath = new Map<string, MetadataRow[]>();
  for (const row of rows) {
    const list = byPath.get(row.file_name);
    if (list) list.push(row);
    else byPath.set(row.file_name, [row]);
  }
  for (const { file, path } of files) {
    const key = cacheKey(file);
    const stats: FileStats = cache.get(key) ?? { rowGroups: 0, columns: new Map() };
    const fileRows = byPath.get(path) ?? [];
    let rowGroups = 0;
    for (const row of fileRows) rowGroups = Math.max(rowGroups, Number(row.row_group_id) + 1);
    stats.rowGroups = rowGroups;
    for (const column of columns) {
      const columnRows = fileRows.filter((row) => row.path_in_schema === column);
      if (columnRows.length === 0) {
        stats.columns.set(column, null);
        continue;
      }
      const columnStats: ColumnStats = {
        min: new Array(rowGroups).fill(null),
        max: new Array(rowGroups).fill(null),
        parsed: new Map(),
      };
      for (const row of columnRows) {
        const group = Number(row.row_group_id);
        columnStats.min[group] = row.stats_min_value;
        columnStats.max[group] = row.stats_max_value;
      }
      stats.columns.set(column, columnStats);
    }
    if (!cache.has(key) && cache.size >= MAX_CACHED_FILES) cache.delete(cache.keys().next().value as string);
    cache.set(key, stats);
    loaded.set(file, stats);
  }
  return loaded;
}

/** "2025-01-06 00:00:09.503247", as DuckDB prints a timestamp (a UTC offset of zero is accepted too). */
const TIMESTAMP_TEXT = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|\+00(?::?00)?)?$/;

/** Statistics text as a comparable bigint; undefined when it does not read as the type (decides nothing). */
export function parseStatistic(text: string | null, type: ColumnRange["type"]): bigint | undefined {
  if (text === null) return undefined;
  if (type === "long") return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = ""] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), 0);
  const millis = date.getTime();
  if (Number.isNaN(millis)) return undefined;
  // Microseconds: the fraction's first six digits (text beyond them is below a timestamp's precision).
  return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, "0").slice(0, 6));
}

function parsedColumn(column: ColumnStats, type: ColumnRange["type"]) {
  let parsed = column.parsed.get(type);
  if (!parsed) {
    parsed = {
      min: column.min.map((text) => parseStatistic(text, type)),
      max: column.max.map((text) => parseStatistic(text, type)),
    };
    column.parsed.set(type, parsed);
  }
  return parsed;
}

/** Whether row group `group` may hold rows in `range` by its statistics (missing statistics: it may). */
function groupMayMatch(column: ColumnStats, range: ColumnRange, group: number): boolean {
  const { min, max } = parsedColumn(column, range.type);
  const low = min[group];
  const high = max[group];
  if (range.atLeast !== undefined && high !== undefined && high < range.atLeast) return false;
  if (range.below !== undefined && low !== undefined && low >= range.below) return false;
  if (range.atMost !== undefined && low !== undefined && low > range.atMost) return false;
  return true;
}

/**
 * Counts the row groups of `files` whose statistics may match every range; null when a file has no
 * local path to read the footer from. Only footers not cached yet are read.
 */
export async function rowGroupCounts(
  engine: Engine,
  files: readonly FooterSource[],
  ranges: readonly ColumnRange[],
): Promise<RowGroupCounts | null> {
  if (files.length === 0) return { considered: 0, pruned: 0, read: 0 };
  const located: { file: FooterSource; path: string }[] = [];
  for (const file of files) {
    const path = localPathOf(file.localPath);
    if (path === undefined) return null;
    located.push({ file, path });
  }
  const columns = [...new Set(ranges.map((range) => range.column))];
  const known = new Map<FooterSource, FileStats>();
  const missing: { file: FooterSource; path: string }[] = [];
  for (const entry of located) {
    const stats = cache.get(cacheKey(entry.file));
    if (stats && columns.every((column) => stats.columns.has(column))) known.set(entry.file, stats);
    else missing.push(entry);
  }
  if (missing.length > 0) for (const [file, stats] of await loadStats(engine, missing, columns)) known.set(file, stats);

  let considered = 0;
  let read = 0;
  for (const { file } of located) {
    const stats = known.get(file) as FileStats;
    considered += stats.rowGroups;
    for (let group = 0; group < stats.rowGroups; group++) {
      let mayMatch = true;
      for (const range of ranges) {
        const column = stats.columns.get(range.column);
        if (column && !groupMayMatch(column, range, group)) {
          mayMatch = false;
          break;
        }
      }
      if (mayMatch) read += 1;
    }
  }
  return { considered, pruned: considered - read, read };
}
