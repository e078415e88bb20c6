/**
 * A FileIO that waits a fixed time before every call of another FileIO. Benchmarks and tests use
 * it to stand a local S3-compatible server in for a distant object store (tens of milliseconds per
 * request), so the cost of round trips shows up in their figures. Not for production use.
 */
import { badInput } from "../core/errors.ts";
import type { FileIO, FileInfo, WriteOptions } from "./file-io.ts";

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delegates every call to `inner` after `latencyMs` milliseconds (a listing waits once, before its first entry). */
export class LatencyFileIO implements FileIO {
  constructor(
    private readonly inner: FileIO,
    /** Milliseconds added to each request. */
    readonly latencyMs: number,
  ) {
    if (!Number.isFinite(latencyMs) || latencyMs < 0)
      throw badInput(`injected latency must be a non-negative number of milliseconds, got ${latencyMs}`);
  }

  async read(path: string): Promise<Uint8Array> {
    await pause(this.latencyMs);
    return this.inner.read(path);
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    await pause(this.latencyMs);
    return this.inner.readRange(path, offset, length);
  }

  async write(path: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    await pause(this.latencyMs);
    return this.inner.write(path, data, options);
  }

  async writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<void> {
    await pause(this.latencyMs);
    return this.inner.writeStream(path, chunks, options);
  }

  async exists(path: string): Promise<boolean> {
    await pause(this.latencyMs);
    return this.inner.exists(path);
  }

  async stat(path: string): Promise<FileInfo> {
    await pause(this.latencyMs);
    return this.inner.stat(path);
  }

  async delete(path: string): Promise<void> {
    await pause(this.latencyMs);
    return this.inner.delete(path);
  }

  async deleteMany(paths: string[]): Promise<void> {
    await pause(this.latencyMs);
    return this.inner.deleteMany(paths);
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    await pause(this.latencyMs);
    yield* this.inner.list(prefix);
  }
}
