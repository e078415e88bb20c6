/**
 * Local paths DuckDB can read for every file of a scan. Local files are read in place. A remote
 * data file whose residual filter can prune row groups is read sparsely when that pays: its footer
 * (cached) says which row groups survive the filter, and only their chunks of the columns the
 * scan reads - plus the footer - are fetched, with parallel ranged GETs, into a sparse local copy
 * (sparse-file-cache.ts). Everything else - large scans, files whose row groups mostly survive,
 * delete files - is fetched whole into the LRU file cache.
 */
import path from "node:path";
import { isFloeError } from "../../core/errors.ts";
import { stringifyJson } from "../../core/json.ts";
import { bind } from "../../expr/bind.ts";
import type { BoundExpression } from "../../expr/bound.ts";
import { type Expression, asLogical, isPredicate } from "../../expr/expressions.ts";
import type { FileIO } from "../../io/file-io.ts";
import type { DataFile } from "../../manifest/types.ts";
import { indexById, walkFields } from "../../spec/schema.ts";
import { type Schema, isPrimitive } from "../../spec/types.ts";
import { type FileCache, defaultFileCache, localPathOf } from "../read/file-cache.ts";
import { type ByteRange, normalizeRanges, rangeBytes } from "./byte-ranges.ts";
import { FooterCache } from "./footer-cache.ts";
import { MeteredFileIO } from "./metered-file-io.ts";
import { type ParquetFooter, footerTailGuess } from "./parquet-footer.ts";
import type { RemoteReadStats } from "./read-stats.ts";
import { type FileLayout, fileLayout } from "./row-group-layout.ts";
import { rowGroupFilter } from "./row-group-pruning.ts";
import { SparseFileCache } from "./sparse-file-cache.ts";

/** The caches remote reads go through. */
export interface RemoteCaches {
  /** Whole copies of remote files (large scans, delete files). */
  fileCache: FileCache;
  /** Sparse copies (footer and surviving row groups). */
  sparseCache: SparseFileCache;
  footerCache: FooterCache;
}

const cachesByFileCache = new WeakMap<FileCache, RemoteCaches>();

/** The sparse and footer caches that live beside `fileCache` (in subfolders of its directory), created once per file cache. */
export function remoteCachesFor(fileCache: FileCache = defaultFileCache()): RemoteCaches {
  let caches = cachesByFileCache.get(fileCache);
  if (!caches) {
    caches = {
      fileCache,
      sparseCache: new SparseFileCache({
        directory: path.join(fileCache.directory, "sparse"),
        maxBytes: fileCache.maxBytes,
      }),
      footerCache: new FooterCache({ directory: path.join(fileCache.directory, "footers") }),
    };
    cachesByFileCache.set(fileCache, caches);
  }
  return caches;
}

/** A file the scan reads: the shape of a scan task (data file, residual, deletes). */
export interface RemoteReadTask {
  file: DataFile;
  residual?: Expression;
  deletes: DataFile[];
}

/** How to read the files of one scan. */
export interface RemoteReadOptions {
  /** The scan's schema (what residuals and columns refer to). */
  schema: Schema;
  /** Top-level columns the scan produces (default: all). */
  columns?: string[];
  caseSensitive?: boolean;
  /** Where a stored location lives now (identity by default). */
  relocate?: (location: string) => string;
  /** Counters to add this scan's requests, bytes and decisions to. */
  stats: RemoteReadStats;
  caches?: RemoteCaches;
  /**
   * Read a file sparsely only when the bytes its surviving row groups need are at most this
   * fraction of the file (default 0.5; 0 turns sparse reads off).
   */
  sparseFraction?: number;
  /** GET requests in flight at once (default 64). */
  concurrency?: number;
}

/**
 * Default bound on parallel GETs of one scan. Object-store reads are latency-bound (tens of
 * milliseconds each, little CPU on either side with the light GET path), so a year of daily files
 * (hundreds of GETs) takes a few round trips at 64 in flight; the HTTP client keeps as many sockets.
 */
export const DEFAULT_READ_CONCURRENCY = 64;
/** Default largest share of a file a sparse read may fetch before the whole file is fetched instead. */
export const DEFAULT_SPARSE_FRACTION = 0.5;

/** Top-level field ids the scan's DuckDB reads may touch: output columns, residual columns, equality-delete columns. */
function readFieldIds(schema: Schema, task: RemoteReadTask, options: RemoteReadOptions): Set<number> {
  const caseSensitive = options.caseSensitive ?? true;
  const ids = new Set<number>();
  if (options.columns === undefined) for (const field of schema.fields) ids.add(field.id);
  else
    for (const name of options.columns) {
      const wanted = caseSensitive ? name : name.toLowerCase();
      const field = schema.fields.find((f) => (caseSensitive ? f.name : f.name.toLowerCase()) === wanted);
      // An unknown name fails later, in the relation builder; reading everything is safe meanwhile.
      if (!field) return new Set(schema.fields.map((f) => f.id));
      ids.add(field.id);
    }
  if (task.residual !== undefined) {
    const visit = (e: BoundExpression): void => {
      if (isPredicate(e)) ids.add(schema.fields[e.ref.path[0]].id);
      else {
        const node = asLogical(e);
        if (node.op === "and" || node.op === "or") {
          visit(node.left);
          visit(node.right);
        } else if (node.op === "not") visit(node.child);
      }
    };
    visit(bind(schema, task.residual, caseSensitive));
  }
  const index = indexById(schema);
  for (const file of task.deletes)
    for (const id of file.equalityIds ?? []) {
      const entry = index.get(id);
      ids.add(entry ? (entry.parents[0] ?? entry.field.id) : id);
    }
  return ids;
}

/**
 * Layouts already worked out, by footer (the footer cache keeps parsed footers alive while they are
 * in use) and schema. A lookup over a year of daily files would otherwise decode every row group's
 * statistics of every file again on each query; files are immutable, so a footer's layout under
 * one schema never changes.
 */
const layouts = new WeakMap<ParquetFooter, Map<string, FileLayout>>();
const MAX_LAYOUTS_PER_FOOTER = 8;

function cachedLayout(footer: ParquetFooter, schema: Schema, schemaKey: string, dataEnd: number): FileLayout {
  let bySchema = layouts.get(footer);
  if (!bySchema) {
    bySchema = new Map();
    layouts.set(footer, bySchema);
  }
  const key = `${dataEnd}\n${schemaKey}`;
  let layout = bySchema.get(key);
  if (!layout) {
    layout = fileLayout(footer.metadata, schema, dataEnd);
    if (bySchema.size >= MAX_LAYOUTS_PER_FOOTER) bySchema.clear();
    bySchema.set(key, layout);
  }
  return layout;
}

interface SparsePlan {
  wanted: ByteRange[];
  neededBytes: number;
  rowGroupBytes: number;
  rowGroups: { considered: number; read: number };
}

/** The ranges a sparse read of this file needs, or undefined when the whole file should be fetched. */
async function planSparseRead(
  io: FileIO,
  location: string,
  size: number,
  task: RemoteReadTask,
  options: RemoteReadOptions,
  caches: RemoteCaches,
  schemaKey: string,
): Promise<{ plan: SparsePlan; tail: { start: number; bytes: Uint8Array } } | undefined> {
  const caseSensitive = options.caseSensitive ?? true;
  const keep = rowGroupFilter(options.schema, task.residual, caseSensitive);
  if (!keep) return undefined;
  // Writers record each row group's start as a split offset, which sizes the footer in advance.
  const rowGroups = task.file.splitOffsets?.length ?? Math.max(1, Math.ceil(size / (64 * 1024 ** 2)));
  const leaves = [...walkFields(options.schema)].filter((entry) => isPrimitive(entry.field.type)).length;
  const tailBytes = footerTailGuess(rowGroups, leaves);
  let footer: ParquetFooter;
  try {
    footer = await caches.footerCache.get(io, location, size, options.stats, tailBytes);
  } catch (error) {
    // A footer that does not parse (a size in the manifest that is off, an odd writer) is no
    // reason to fail the read: the whole file is fetched and DuckDB judges it.
    if (isFloeError(error, "io") && !error.retryable) return undefined;
    throw error;
  }
  const footerStart = size - footer.metadata.metadata_length - 8;
  const layout = cachedLayout(footer, options.schema, schemaKey, footerStart);
  if ("unsupported" in layout) return undefined;
  const ids = readFieldIds(options.schema, task, options);
  const wanted: ByteRange[] = [{ start: footerStart, end: size }];
  let neededBytes = 0;
  let rowGroupBytes = 0;
  let read = 0;
  for (const group of layout.rowGroups) {
    if (!keep(group.metrics)) continue;
    read++;
    for (const column of group.columns) {
      rowGroupBytes += column.chunkBytes;
      if (column.fieldId === undefined || !ids.has(column.fieldId)) continue;
      neededBytes += column.chunkBytes;
      wanted.push(...column.ranges);
    }
  }
  const ranges = normalizeRanges(wanted);
  const fraction = options.sparseFraction ?? DEFAULT_SPARSE_FRACTION;
  if (rangeBytes(ranges) > fraction * size) return undefined;
  return {
    plan: { wanted: ranges, neededBytes, rowGroupBytes, rowGroups: { considered: layout.rowGroups.length, read } },
    tail: { start: footer.tailStart, bytes: footer.tail },
  };
}

/**
 * Local paths of the data and delete files of `tasks`, keyed by their stored locations: local
 * files in place, remote ones through the caches (see the module comment). Adds to `options.stats`.
 */
export async function localReadPaths(
  io: FileIO,
  tasks: readonly RemoteReadTask[],
  options: RemoteReadOptions,
): Promise<Map<string, string>> {
  const caches = options.caches ?? remoteCachesFor();
  const { stats } = options;
  const moved = options.relocate ?? ((location: string) => location);
  const metered = new MeteredFileIO(io, stats.data, options.concurrency ?? DEFAULT_READ_CONCURRENCY);
  const result = new Map<string, string>();
  const whole = new Set<string>();
  const pinned = new Set<string>();
  const sparseAllowed = (options.sparseFraction ?? DEFAULT_SPARSE_FRACTION) > 0;
  const schemaKey = stringifyJson(options.schema);

  const seen = new Set<string>();
  await Promise.all(
    tasks.map(async (task) => {
      const stored = task.file.filePath;
      for (const file of task.deletes) whole.add(file.filePath);
      if (seen.has(stored)) return;
      seen.add(stored);
      const location = moved(stored);
      const local = localPathOf(location);
      if (local !== undefined) {
        result.set(stored, local);
        stats.files.local++;
        return;
      }
      // A whole copy already at hand beats fetching parts.
      if (!sparseAllowed || caches.fileCache.has(location)) {
        whole.add(stored);
        return;
      }
      const size = Number(task.file.fileSizeInBytes);
      const sparse = await planSparseRead(metered, location, size, task, options, caches, schemaKey);
      if (!sparse) {
        whole.add(stored);
        return;
      }
      pinned.add(caches.sparseCache.keyOf(location, size));
      const ensured = await caches.sparseCache.ensure(metered, location, size, sparse.plan.wanted, [sparse.tail]);
      result.set(stored, ensured.path);
      stats.files.sparse++;
      stats.rowGroups.considered += sparse.plan.rowGroups.considered;
      stats.rowGroups.read += sparse.plan.rowGroups.read;
      stats.rowGroups.pruned += sparse.plan.rowGroups.considered - sparse.plan.rowGroups.read;
      stats.neededBytes += sparse.plan.neededBytes;
      stats.rowGroupBytes += sparse.plan.rowGroupBytes;
      stats.cachedBytes += ensured.heldBytes;
    }),
  );

  const wholeStored = [...whole].filter((stored) => !result.has(stored));
  const wholeRemote: string[] = [];
  for (const stored of wholeStored) {
    const location = moved(stored);
    const local = localPathOf(location);
    if (local !== undefined) {
      result.set(stored, local);
      stats.files.local++;
    } else {
      wholeRemote.push(stored);
      if (caches.fileCache.has(location)) stats.files.wholeCached++;
      else stats.files.wholeFetched++;
    }
  }
  const paths = await caches.fileCache.localPaths(metered, wholeRemote.map(moved));
  for (const [i, stored] of wholeRemote.entries()) result.set(stored, paths[i]);
  await caches.sparseCache.evict(pinned);
  return result;
}
