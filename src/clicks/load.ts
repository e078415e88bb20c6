/**
 * Loads synthetic clicks into an Iceberg table: each day is generated inside DuckDB and written
 * straight into the table's data files by the engine write path (partitioned, sorted, rolled at
 * the target size), then committed as one append snapshot per day. Rows never pass through
 * JavaScript; a day is either fully committed or not at all.
 */
import type { Engine } from "../engine/duckdb.ts";
import { appendQuery } from "../engine/write/append-query.ts";
import type { Table } from "../table/table.ts";
import { dayRange } from "./generate.ts";
import { clickGeneratorSql } from "./generator-sql.ts";

/** Progress after each committed day, for progress bars. */
export interface LoadProgress {
  /** The day just committed. */
  day: string;
  daysDone: number;
  days: number;
  rowsDone: bigint;
  rowsTotal: bigint;
  bytesWritten: bigint;
}

/** What to load. */
export interface LoadClicksOptions {
  /** Number of consecutive days, starting at `start`. */
  days: number;
  /** Clicks per day. */
  perDay: number;
  /** First day, "YYYY-MM-DD". */
  start: string;
  /** Seed of the generator. */
  seed: number;
  /** Distinct element ids. */
  elements: number;
  /** User population (generator default when absent). */
  users?: number;
  /** Called after each day's commit with the rows and bytes done so far (and the details). */
  onProgress?: (rowsDone: bigint, bytesWritten: bigint, progress: LoadProgress) => void;
}

/** One day's load. */
export interface DayLoad {
  day: string;
  rows: bigint;
  /** Bytes of the data files written. */
  bytes: bigint;
  files: number;
  snapshotId: bigint | null;
  /** Wall time of generating, writing and committing the day. */
  ms: number;
}

/** Every day's load and the totals. */
export interface LoadClicksResult {
  days: DayLoad[];
  rows: bigint;
  bytes: bigint;
  files: number;
  ms: number;
}

/** Snapshot summary property naming the generated day a snapshot holds. */
export const GENERATED_DAY_SUMMARY = "floe.clicks.generated-day";

/** Generates `days` days of clicks into `table`, one append snapshot per day. */
export async function loadClicks(engine: Engine, table: Table, options: LoadClicksOptions): Promise<LoadClicksResult> {
  const days = dayRange(options.start, options.days);
  const rowsTotal = BigInt(options.perDay) * BigInt(days.length);
  const started = performance.now();
  const loads: DayLoad[] = [];
  let rowsDone = 0n;
  let bytesWritten = 0n;
  for (const [index, day] of days.entries()) {
    const dayStarted = performance.now();
    const sql = clickGeneratorSql({
      day,
      perDay: options.perDay,
      elements: options.elements,
      seed: options.seed,
      users: options.users,
    });
    const result = await appendQuery(engine, table, sql, {
      summary: { [GENERATED_DAY_SUMMARY]: day, "floe.clicks.seed": String(options.seed) },
    });
    const bytes = result.files.reduce((sum, f) => sum + f.fileSizeInBytes, 0n);
    loads.push({
      day,
      rows: result.recordCount,
      bytes,
      files: result.files.length,
      snapshotId: result.snapshotId,
      ms: performance.now() - dayStarted,
    });
    rowsDone += result.recordCount;
    bytesWritten += bytes;
    options.onProgress?.(rowsDone, bytesWritten, {
      day,
      daysDone: index + 1,
      days: days.length,
      rowsDone,
      rowsTotal,
      bytesWritten,
    });
  }
  return {
    days: loads,
    rows: rowsDone,
    bytes: bytesWritten,
    files: loads.reduce((sum, d) => sum + d.files, 0),
    ms: performance.now() - started,
  };
}
