/**
 * The S3 lookup figure: one element over a year of days, read from an S3 warehouse (a local
 * s3rver) with a fixed latency injected before every request, as a distant object store would
 * add. Loads `days` days of clicks through plain S3 (no latency), then times queryElement plus
 * the dashboard's per-day count through a latency-injecting FileIO in three states:
 * - cold: empty caches (every footer, manifest and row group fetched);
 * - warm: `reps` lookups of other elements (footers and manifests cached, row groups fetched);
 * - repeat: `reps` lookups of the first element again (everything cached, the parsed table metadata too).
 * Reports requests and bytes fetched next to the bytes the surviving row groups hold, so the
 * target "fetch at most 3x the needed row groups' bytes, finish within 1.5 s at 20 ms per request"
 * can be checked, each lookup's time by phase, and what the store alone sustains: ranged GETs of
 * the warm lookups' size, as many in flight as a lookup has, without injected latency. A lookup
 * cannot fetch its row groups faster than that rate, so the figure separates the local server's
 * cost from floe's.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openCatalog } from "../src/catalog/open-catalog.ts";
import { dayString, dayNumber } from "../src/clicks/generator-sql.ts";
import { loadClicks } from "../src/clicks/load.ts";
import { queryElement } from "../src/clicks/queries.ts";
import { CLICKS_TABLE, clickTableLayout } from "../src/clicks/schema.ts";
import { Engine } from "../src/engine/duckdb.ts";
import { FileCache } from "../src/engine/read/file-cache.ts";
import type { RemoteReadStats } from "../src/engine/remote/read-stats.ts";
import { MeteredFileIO } from "../src/engine/remote/metered-file-io.ts";
import { DEFAULT_READ_CONCURRENCY } from "../src/engine/remote/remote-read-paths.ts";
import { PARQUET_ROW_GROUP_ROWS } from "../src/engine/write/write-data-files.ts";
import type { FileIO } from "../src/io/file-io.ts";
import { LatencyFileIO } from "../src/io/latency-file-io.ts";
import { createFileIO } from "../src/io/resolve-file-io.ts";
import { Table } from "../src/table/table.ts";
import { startS3Server } from "../test/support/s3-server.ts";
import { type Latency, latency } from "./stats.ts";
import { perDaySql } from "./workload.ts";

/** What to load and how to look it up. */
export interface S3LookupOptions {
  /** Days loaded and looked up (default 365). */
  days?: number;
  /** Clicks per day (default 20,000). */
  perDay?: number;
  /** Distinct element ids (default 1,000). */
  elements?: number;
  seed?: number;
  /** First day, "YYYY-MM-DD" (default 2025-01-01). */
  start?: string;
  /** Rows per Parquet row group (default 4096, so each day's file has several). */
  rowGroupRows?: number;
  /** The element looked up first (default 7); warm runs look up others spread over the ids. */
  elementId?: number;
  /** Milliseconds injected before every S3 request of the lookups (default 20). */
  latencyMs?: number;
  /** Warm lookups (other elements) and repeats (the first element) after the cold run (default 5 each). */
  reps?: number;
  /** DuckDB threads (default: one per core). */
  threads?: number;
  /** GETs through floe's light HTTP path (default) or, when false, through the AWS SDK (for comparison). */
  lightReads?: boolean;
  /** Scratch directory (default: a fresh temp dir, removed after). */
  work?: string;
  /** Progress lines (loading takes a while). */
  onProgress?: (message: string) => void;
}

/** One timed lookup. */
export interface S3LookupRun {
  ms: number;
  /** Clicks of the element over the window. */
  clicks: number;
  /** Everything the read path counted (requests, bytes, files, footers, row groups). */
  remote: RemoteReadStats;
  /** All GET requests: the table's metadata file (when read), manifests and data. */
  getRequests: number;
  /** Data bytes fetched over the compressed bytes of the surviving row groups (all columns). */
  bytesRatio: number;
  /** Where the time went (ms). */
  phases: {
    /** Catalog lookup and the table's metadata file. */
    tableLoad: number;
    /** queryElement: scan planning (manifests), footers, row-group GETs into sparse copies, the SQL. */
    prepare: number;
    /** The scan planner's own clock, part of prepare. */
    planning: number;
    /** DuckDB running the per-day count over the local copies. */
    run: number;
  };
}

/** The store alone: parallel ranged GETs without injected latency. */
export interface StoreRate {
  requests: number;
  bytesPerRequest: number;
  inFlight: number;
  ms: number;
  getsPerSecond: number;
}

/** The figure. */
export interface S3LookupFigures {
  days: number;
  perDay: number;
  rowGroupRows: number;
  elementId: number;
  latencyMs: number;
  /** Data files of the table and their bytes. */
  files: number;
  bytes: number;
  loadMs: number;
  cold: S3LookupRun;
  /** Lookups of other elements: footers and manifests cached, row groups fetched. */
  warm: Latency & { runs: S3LookupRun[] };
  /** The first element again: everything cached, nothing left to fetch. */
  repeat: Latency & { last: S3LookupRun };
  /** GETs per second the store sustains by itself (the floor of a warm lookup's row-group GETs). */
  store: StoreRate;
  /**
   * The targets: every run fetches at most 3x the bytes of its surviving row groups; warm lookups
   * (p50) finish within 1500 ms (the cold one is reported, bounded by the store's request rate).
   */
  target: { maxBytesRatio: number; maxMs: number; bytesMet: boolean; timeMet: boolean };
}

/** Loads clicks into an S3 warehouse and measures the one-element, all-days lookup (see the module comment). */
export async function measureS3Lookup(options: S3LookupOptions = {}): Promise<S3LookupFigures> {
  const days = options.days ?? 365;
  const perDay = options.perDay ?? 20_000;
  const rowGroupRows = options.rowGroupRows ?? 4096;
  const elementId = options.elementId ?? 7;
  const latencyMs = options.latencyMs ?? 20;
  const reps = options.reps ?? 5;
  const start = options.start ?? "2025-01-01";
  const elements = options.elements ?? 1000;
  const progress = options.onProgress ?? (() => undefined);
  const work = options.work ?? (await mkdtemp(path.join(tmpdir(), "floe-bench-s3-")));
  const server = await startS3Server();
  const engine = await Engine.create({ threads: options.threads });
  try {
    const io = createFileIO({
      s3: { ...server.config, ...(options.lightReads === undefined ? {} : { lightReads: options.lightReads }) },
    });
    const catalogUri = `sqlite:${path.join(work, "s3-catalog.db")}`;
    const warehouse = `s3://${server.bucket}/wh`;
    const catalog = await openCatalog(catalogUri, { warehouse, io });
    await catalog.createNamespace(CLICKS_TABLE.namespace);
    const layout = clickTableLayout();
    layout.properties[PARQUET_ROW_GROUP_ROWS] = String(rowGroupRows);
    const table = new Table(catalog, await catalog.createTable(CLICKS_TABLE, layout));
    progress(`s3 lookup: loading ${days} days x ${perDay} clicks into ${warehouse}`);
    const load = await loadClicks(engine, table, {
      days,
      perDay,
      start,
      seed: options.seed ?? 42,
      elements,
      onProgress: (_rows, _bytes, p) => {
        if (p.daysDone % 30 === 0 || p.daysDone === p.days) progress(`s3 lookup: ${p.daysDone}/${p.days} days loaded`);
      },
    });

    // Lookups go through a catalog whose FileIO waits before every request.
    // Counted, so a lookup's GETs include the table's metadata file when the catalog reads it.
    const catalogReads = { getRequests: 0, bytesFetched: 0 };
    const slow = new MeteredFileIO(new LatencyFileIO(io, latencyMs), catalogReads);
    const slowCatalog = await openCatalog(catalogUri, { warehouse, io: slow });
    const to = dayString(dayNumber(start) + days - 1);
    const lookup = async (fileCache: FileCache, element: number): Promise<S3LookupRun> => {
      const started = performance.now();
      // Loading the table is part of a lookup: a GET of its metadata file, unless the catalog
      // still holds the parsed file (metadata files are immutable).
      const catalogGets = catalogReads.getRequests;
      const current = await Table.load(slowCatalog, CLICKS_TABLE);
      const tableLoadGets = catalogReads.getRequests - catalogGets;
      const loaded = performance.now();
      const query = await queryElement(engine, current, element, {
        from: start,
        to,
        columns: ["event_time"],
        fileCache,
      });
      const prepared = performance.now();
      const rows = await engine.all<{ clicks: bigint }>(perDaySql(query.sql));
      const ms = performance.now() - started;
      const remote = query.explain.remote;
      return {
        ms,
        clicks: rows.reduce((sum, r) => sum + Number(r.clicks), 0),
        remote,
        getRequests: tableLoadGets + remote.metadata.getRequests + remote.data.getRequests,
        bytesRatio: remote.rowGroupBytes > 0 ? remote.data.bytesFetched / remote.rowGroupBytes : Number.NaN,
        phases: {
          tableLoad: loaded - started,
          prepare: prepared - loaded,
          planning: query.explain.planningMs,
          run: started + ms - prepared,
        },
      };
    };
    const cacheDir = path.join(work, "s3-lookup-cache");
    await rm(cacheDir, { recursive: true, force: true });
    const cold = await lookup(new FileCache({ directory: cacheDir }), elementId);
    progress(
      `s3 lookup: cold ${cold.ms.toFixed(0)} ms, ${cold.getRequests} GETs, ${cold.remote.data.bytesFetched} data bytes`,
    );
    // A new cache instance over the same directory, as the next process would open it.
    const cache = new FileCache({ directory: cacheDir });
    const warm: S3LookupRun[] = [];
    // Elements spread over the id range, so each lookup needs other row groups than the last.
    const step = Math.max(1, Math.floor(elements / (reps + 1)));
    for (let i = 1; i <= reps; i++) warm.push(await lookup(cache, 1 + ((elementId - 1 + i * step) % elements)));
    const repeat: S3LookupRun[] = [];
    for (let i = 0; i < reps; i++) repeat.push(await lookup(cache, elementId));
    const fetching = warm.filter((r) => r.remote.data.getRequests > 0);
    const bytesPerRequest = Math.round(
      fetching.reduce((sum, r) => sum + r.remote.data.bytesFetched, 0) /
        Math.max(
          1,
          fetching.reduce((sum, r) => sum + r.remote.data.getRequests, 0),
        ),
    );
    const store = await storeRate(io, `${warehouse}/`, Math.max(2 * days, 200), bytesPerRequest || 65_536);
    progress(`s3 lookup: the store alone serves ${store.getsPerSecond.toFixed(0)} ranged GETs/s`);
    const maxBytesRatio = 3;
    const maxMs = 1500;
    const warmLatency = latency(warm.map((r) => r.ms));
    return {
      days,
      perDay,
      rowGroupRows,
      elementId,
      latencyMs,
      files: load.files,
      bytes: Number(load.bytes),
      loadMs: load.ms,
      cold,
      warm: { ...warmLatency, runs: warm },
      repeat: { ...latency(repeat.map((r) => r.ms)), last: repeat[repeat.length - 1] ?? cold },
      store,
      target: {
        maxBytesRatio,
        maxMs,
        bytesMet: [cold, ...warm].every((r) => !(r.bytesRatio > maxBytesRatio)),
        timeMet: warmLatency.p50 <= maxMs,
      },
    };
  } finally {
    engine.close();
    await server.stop();
    if (options.work === undefined) await rm(work, { recursive: true, force: true });
  }
}

/**
 * Ranged GETs of `bytesPerRequest` bytes spread over the data files under `prefix`, as many in
 * flight as a lookup issues, straight to the store (no latency, no caches): its own request rate.
 */
async function storeRate(io: FileIO, prefix: string, requests: number, bytesPerRequest: number): Promise<StoreRate> {
  const files: { path: string; size: number }[] = [];
  for await (const file of io.list(prefix)) if (file.path.endsWith(".parquet")) files.push(file);
  if (files.length === 0) throw new Error(`bench: no data files under ${prefix}`);
  const inFlight = DEFAULT_READ_CONCURRENCY;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < requests) {
        const file = files[next++ % files.length];
        const length = Math.min(bytesPerRequest, file.size);
        await io.readRange(file.path, Math.floor((file.size - length) / 2), length);
      }
    }),
  );
  const ms = performance.now() - started;
  return { requests, bytesPerRequest, inFlight, ms, getsPerSecond: (requests * 1000) / ms };
}
