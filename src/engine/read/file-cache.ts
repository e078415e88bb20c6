/**
 * A local copy of remote data files for DuckDB to read. The bundled DuckDB cannot read s3:// (no
 * httpfs offline) nor floe's memory:// store, so such files are fetched through FileIO into a
 * directory first. Iceberg data files are immutable, so a cached copy never goes stale: entries are
 * keyed by a hash of the location, written atomically (temp file + rename), and evicted least
 * recently used once the cache holds more bytes than its budget. Local files are read in place.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { badInput, ioError } from "../../core/errors.ts";
import type { FileIO } from "../../io/file-io.ts";
import { parseLocation } from "../../io/locations.ts";

/** Sizing and placement of a file cache. */
export interface FileCacheOptions {
  /** Directory for cached copies (default: a floe folder in the OS temp dir). */
  directory?: string;
  /** Budget in bytes (default 2 GiB). Files needed by the current read are kept even past it. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;
const SUFFIX = ".cached";

/** The local path of a location DuckDB can open directly, or undefined when it must be fetched. */
export function localPathOf(location: string): string | undefined {
  const parsed = parseLocation(location);
  return parsed.scheme === "file" ? parsed.path : undefined;
}

/** An LRU cache of remote files on local disk. */
export class FileCache {
  readonly directory: string;
  readonly maxBytes: number;
  /** Entries by key in least- to most-recently-used order, with their sizes. */
  private readonly entries = new Map<string, number>();
  private totalBytes = 0;
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(options: FileCacheOptions = {}) {
    this.directory = options.directory ?? path.join(tmpdir(), "floe-file-cache");
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(this.maxBytes > 0)) throw badInput(`file cache size must be positive, got ${this.maxBytes}`);
    mkdirSync(this.directory, { recursive: true });
    // Copies left by an earlier process stay usable; oldest-touched first so they evict first.
    const found = readdirSync(this.directory)
      .filter((name) => name.endsWith(SUFFIX))
      .map((name) => ({ name, stat: statSync(path.join(this.directory, name)) }))
      .sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs);
    for (const { name, stat } of found) {
      this.entries.set(name.slice(0, -SUFFIX.length), stat.size);
      this.totalBytes += stat.size;
    }
  }

  /** Bytes currently held. */
  get size(): number {
    return this.totalBytes;
  }

  /** Whether the cache holds a whole copy of `location` (as far as this process knows). */
  has(location: string): boolean {
    return this.entries.has(this.keyOf(location));
  }

  private keyOf(location: string): string {
    return createHash("sha256").update(location).digest("hex");
  }

  private pathOf(key: string): string {
    return path.join(this.directory, `${key}${SUFFIX}`);
  }

  /**
   * Local paths for `locations`, in order: local files as they are, remote ones fetched into the
   * cache when not there yet. The files of one call are never evicted by that call.
   */
  async localPaths(io: FileIO, locations: string[]): Promise<string[]> {
    const pinned = new Set<string>();
    const result = await Promise.all(
      locations.map(async (location) => {
        const local = localPathOf(location);
        if (local !== undefined) return local;
        const key = this.keyOf(location);
        pinned.add(key);
        return this.fetch(io, location, key);
      }),
    );
    await this.evict(pinned);
    return result;
  }

  private async fetch(io: FileIO, location: string, key: string): Promise<string> {
    const target = this.pathOf(key);
    const size = this.entries.get(key);
    if (size !== undefined) {
      // Refresh recency (in memory, and on disk for the next process).
      this.entries.delete(key);
      this.entries.set(key, size);
      const now = new Date();
      await utimes(target, now, now).catch(() => undefined);
      return target;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        const data = await io.read(location);
        const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        try {
          await writeFile(temp, data);
          await rename(temp, target);
        } catch (error) {
          await rm(temp, { force: true });
          throw ioError(`cannot cache ${location} in ${this.directory}: ${(error as Error).message}`, error);
        }
        this.entries.set(key, data.byteLength);
        this.totalBytes += data.byteLength;
        return target;
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** Removes least recently used copies (never pinned ones) until the cache fits its budget. */
  private async evict(pinned: Set<string>): Promise<void> {
    for (const [key, size] of [...this.entries]) {
      if (this.totalBytes <= this.maxBytes) return;
      if (pinned.has(key) || this.inFlight.has(key)) continue;
      this.entries.delete(key);
      this.totalBytes -= size;
      await rm(this.pathOf(key), { force: true });
    }
  }
}

let sharedCache: FileCache | undefined;

/** The process-wide file cache, created on first use. */
export function defaultFileCache(): FileCache {
  sharedCache ??= new FileCache();
  return sharedCache;
}
