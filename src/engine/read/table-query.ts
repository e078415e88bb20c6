/**
 * A table scan as one SQL relation: TypeScript plans (snapshot selection, pruning by partitions
 * and metrics, delete matching) and DuckDB reads. Remote files are fetched into the local file
 * cache first; local files are read in place. The relation carries each file's residual filter,
 * so DuckDB only filters rows where the partition did not already decide the predicate.
 */
import type { FileIO } from "../../io/file-io.ts";
import { type ScanOptions, type ScanPlan, planScan } from "../../scan/plan.ts";
import type { TableMetadata } from "../../spec/table-metadata.ts";
import type { Engine } from "../duckdb.ts";
import { type FileCache, defaultFileCache } from "./file-cache.ts";
import { scanRelationSql } from "./scan-relation.ts";

/** What to scan and how to reach the files. */
export interface TableScanOptions extends ScanOptions {
  /** Top-level columns to produce, in order (default: all columns of the scan's schema). */
  columns?: string[];
  /** Where remote files are cached (default: the process-wide cache). */
  fileCache?: FileCache;
  /**
   * Where a stored location actually lives now (for tables copied or moved elsewhere); applied
   * to data and delete files before reading. Identity by default.
   */
  relocate?: (location: string) => string;
}

/** The relation and the plan it came from (for explain output and row counts). */
export interface TableScan {
  /** SQL of the relation (a query; wrap it in parentheses to use it as a table). */
  sql: string;
  plan: ScanPlan;
}

/** Plans a scan of `metadata` and returns it as a DuckDB relation. */
export async function tableScanSql(
  engine: Engine,
  io: FileIO,
  metadata: TableMetadata,
  options: TableScanOptions = {},
): Promise<TableScan> {
  const { columns, fileCache, relocate, ...scanOptions } = options;
  const plan = await planScan(io, metadata, { ...scanOptions, select: columns ?? scanOptions.select });
  const moved = relocate ?? ((location: string) => location);
  const locations = new Set<string>();
  for (const task of plan.tasks) {
    locations.add(task.file.filePath);
    for (const file of task.deletes) locations.add(file.filePath);
  }
  const stored = [...locations];
  const local = await (fileCache ?? defaultFileCache()).localPaths(io, stored.map(moved));
  const localByLocation = new Map(stored.map((location, i) => [location, local[i]]));
  const sql = await scanRelationSql(engine, plan.tasks, plan.schema, {
    columns: columns ?? scanOptions.select,
    caseSensitive: scanOptions.caseSensitive,
    localPathFor: (location) => localByLocation.get(location) ?? moved(location),
  });
  return { sql, plan };
}
