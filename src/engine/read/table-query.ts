/**
 * A table scan as one SQL relation: TypeScript plans (snapshot selection, pruning by partitions
 * and metrics, delete matching) and DuckDB reads. Remote files are fetched first - whole into the
 * local file cache, or for selective lookups only their footers and surviving row groups into
 * sparse copies (see ../remote/remote-read-paths.ts); local files are read in place. The relation
 * carries each file's residual filter, so DuckDB only filters rows where the partition did not
 * already decide the predicate.
 */
import type { FileIO } from "../../io/file-io.ts";
import { type ScanOptions, type ScanPlan, planScan } from "../../scan/plan.ts";
import type { TableMetadata } from "../../spec/table-metadata.ts";
import type { Engine } from "../duckdb.ts";
import { countRequests, countedView } from "../remote/metered-file-io.ts";
import { type RemoteReadStats, emptyReadStats } from "../remote/read-stats.ts";
import { DEFAULT_READ_CONCURRENCY, localReadPaths, remoteCachesFor } from "../remote/remote-read-paths.ts";
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
  /**
   * Largest share of a remote file a sparse read (footer and surviving row groups) may fetch
   * before the whole file is fetched instead (default 0.5; 0 always fetches whole files).
   */
  sparseFraction?: number;
  /** Remote GET requests in flight at once while fetching data (default 64). */
  readConcurrency?: number;
}

/** The relation and the plan it came from (for explain output and row counts). */
export interface TableScan {
  /** SQL of the relation (a query; wrap it in parentheses to use it as a table). */
  sql: string;
  plan: ScanPlan;
  /** Requests and bytes fetched from remote storage, and how remote files were served. */
  remote: RemoteReadStats;
  /** The local path DuckDB reads for each data and delete file, by stored location. */
  localPaths: Map<string, string>;
}

/** Plans a scan of `metadata` and returns it as a DuckDB relation. */
export async function tableScanSql(
  engine: Engine,
  io: FileIO,
  metadata: TableMetadata,
  options: TableScanOptions = {},
): Promise<TableScan> {
  const { columns, fileCache, relocate, sparseFraction, readConcurrency, ...scanOptions } = options;
  const remote = emptyReadStats();
  const plan = await countRequests(remote.metadata, () =>
    planScan(countedView(io), metadata, {
      ...scanOptions,
      select: columns ?? scanOptions.select,
      // On object stores each manifest is a GET; reading as many at once as data requests hides latency.
      concurrency: scanOptions.concurrency ?? readConcurrency ?? DEFAULT_READ_CONCURRENCY,
    }),
  );
  const moved = relocate ?? ((location: string) => location);
  const localByLocation = await localReadPaths(io, plan.tasks, {
    schema: plan.schema,
    columns: columns ?? scanOptions.select,
    caseSensitive: scanOptions.caseSensitive,
    relocate: moved,
    stats: remote,
    caches: remoteCachesFor(fileCache ?? defaultFileCache()),
    sparseFraction,
    concurrency: readConcurrency,
  });
  const sql = await scanRelationSql(engine, plan.tasks, plan.schema, {
    columns: columns ?? scanOptions.select,
    caseSensitive: scanOptions.caseSensitive,
    localPathFor: (location) => localByLocation.get(location) ?? moved(location),
  });
  return { sql, plan, remote, localPaths: localByLocation };
}
