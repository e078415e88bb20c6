/**
 * A read-side view of a FileIO for one scan: counts every GET (whole or ranged) and the bytes it
 * returned, and bounds how many are in flight at once. Object stores reward parallel ranged GETs,
 * but thousands at once only queue inside the HTTP client (and on the store); a shared bound lets
 * every file of a scan issue its requests as soon as it knows them.
 *
 * Planning reads go through countedView instead: one stable view per FileIO (caches that remember
 * what a FileIO instance has served, like the manifest cache, keep working across scans) that adds
 * each read to the counts of the calling scan, found through async context (countRequests).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { FileIO, FileInfo, WriteOptions } from "../../io/file-io.ts";
import type { RequestCount } from "./read-stats.ts";

/** A counting semaphore: at most `limit` holders at once, the rest queue in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = Math.max(1, limit);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Counts reads into `counts` and runs at most `concurrency` requests at once; writes pass through. */
export class MeteredFileIO implements FileIO {
  private readonly slots: Slots;

  constructor(
    private readonly inner: FileIO,
    private readonly counts: RequestCount,
    concurrency = Number.POSITIVE_INFINITY,
  ) {
    this.slots = new Slots(Number.isFinite(concurrency) ? concurrency : Number.MAX_SAFE_INTEGER);
  }

  async read(path: string): Promise<Uint8Array> {
    const data = await this.slots.run(() => this.inner.read(path));
    this.counts.getRequests++;
    this.counts.bytesFetched += data.byteLength;
    return data;
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    const data = await this.slots.run(() => this.inner.readRange(path, offset, length));
    this.counts.getRequests++;
    this.counts.bytesFetched += data.byteLength;
    return data;
  }

  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    return this.inner.write(path, data, options);
  }

  writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<void> {
    return this.inner.writeStream(path, chunks, options);
  }

  exists(path: string): Promise<boolean> {
    return this.slots.run(() => this.inner.exists(path));
  }

  stat(path: string): Promise<FileInfo> {
    return this.slots.run(() => this.inner.stat(path));
  }

  delete(path: string): Promise<void> {
    return this.inner.delete(path);
  }

  deleteMany(paths: string[]): Promise<void> {
    return this.inner.deleteMany(paths);
  }

  list(prefix: string): AsyncIterable<FileInfo> {
    return this.inner.list(prefix);
  }
}

const scopeCounts = new AsyncLocalStorage<RequestCount>();

/** A FileIO that adds its reads to the counts of the calling countRequests scope (none outside one). */
class CountedView implements FileIO {
  constructor(private readonly inner: FileIO) {}

  async read(path: string): Promise<Uint8Array> {
    const data = await this.inner.read(path);
    const counts = scopeCounts.getStore();
    if (counts) {
      counts.getRequests++;
      counts.bytesFetched += data.byteLength;
    }
    return data;
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    const data = await this.inner.readRange(path, offset, length);
    const counts = scopeCounts.getStore();
    if (counts) {
      counts.getRequests++;
      counts.bytesFetched += data.byteLength;
    }
    return data;
  }

  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    return this.inner.write(path, data, options);
  }

  writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<void> {
    return this.inner.writeStream(path, chunks, options);
  }

  exists(path: string): Promise<boolean> {
    return this.inner.exists(path);
  }

  stat(path: string): Promise<FileInfo> {
    return this.inner.stat(path);
  }

  delete(path: string): Promise<void> {
    return this.inner.delete(path);
  }

  deleteMany(paths: string[]): Promise<void> {
    return this.inner.deleteMany(paths);
  }

  list(prefix: string): AsyncIterable<FileInfo> {
    return this.inner.list(prefix);
  }
}

const views = new WeakMap<FileIO, CountedView>();

/** The one counting view of `io` (the same object on every call). */
export function countedView(io: FileIO): FileIO {
  let view = views.get(io);
  if (!view) {
    view = new CountedView(io);
    views.set(io, view);
  }
  return view;
}

/** Runs `work`, adding the reads it makes through counted views to `counts`. */
export function countRequests<T>(counts: RequestCount, work: () => Promise<T>): Promise<T> {
  return scopeCounts.run(counts, work);
}
