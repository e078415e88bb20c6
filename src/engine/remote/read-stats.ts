/**
 * What one scan's reads cost on remote storage, for `--explain` and the benchmark: requests and
 * bytes fetched for table metadata (manifests) and for data (footers, row groups, whole files),
 * how the data files were served, and how row groups were pruned in the files read sparsely.
 */

/** Requests made and bytes fetched. */
export interface RequestCount {
  /** GET requests (whole-object and ranged). */
  getRequests: number;
  bytesFetched: number;
}

/** Counters of one scan's remote reads. */
export interface RemoteReadStats {
  /** Manifest lists and manifests read while planning. */
  metadata: RequestCount;
  /** Data and delete files: footers, row-group ranges and whole files. */
  data: RequestCount;
  files: {
    /** Local files read in place. */
    local: number;
    /** Remote files fetched whole into the file cache by this scan. */
    wholeFetched: number;
    /** Remote files the file cache already held whole. */
    wholeCached: number;
    /** Remote files read through a sparse local copy (footer and surviving row groups only). */
    sparse: number;
  };
  /** Parquet footers of remote files: fetched now, or found in the footer cache. */
  footers: { fetched: number; cacheHits: number };
  /** Row groups of the sparsely read files: all, pruned by their statistics, and left to read. */
  rowGroups: { considered: number; pruned: number; read: number };
  /** Compressed bytes of the column chunks the sparse reads need (surviving row groups, read columns). */
  neededBytes: number;
  /** Compressed bytes of the surviving row groups of the sparse reads, every column. */
  rowGroupBytes: number;
  /** Of the bytes the sparse reads wanted (footers included), those their copies already held. */
  cachedBytes: number;
}

/** Counters at zero. */
export function emptyReadStats(): RemoteReadStats {
  return {
    metadata: { getRequests: 0, bytesFetched: 0 },
    data: { getRequests: 0, bytesFetched: 0 },
    files: { local: 0, wholeFetched: 0, wholeCached: 0, sparse: 0 },
    footers: { fetched: 0, cacheHits: 0 },
    rowGroups: { considered: 0, pruned: 0, read: 0 },
    neededBytes: 0,
    rowGroupBytes: 0,
    cachedBytes: 0,
  };
}
