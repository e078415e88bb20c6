/**
 * Parquet footers of remote files, cached twice: parsed, in memory (a bounded number), and as raw
 * tail bytes on local disk (bounded by bytes, least recently used out), so a repeated lookup - in
 * this process or the next - plans its row groups without a request. Files are immutable, so a
 * footer keyed by location and size never goes stale; disk entries are written atomically.
 */
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { FileIO } from "../../io/file-io.ts";
import { cacheKey, writeAtomically } from "./cache-files.ts";
import { DiskLru } from "./disk-lru.ts";
import { DEFAULT_TAIL_BYTES, type ParquetFooter, fetchFooter, parseFooter } from "./parquet-footer.ts";
import type { RemoteReadStats } from "./read-stats.ts";

/** Where and how much to cache. */
export interface FooterCacheOptions {
  directory: string;
  /** Disk budget in bytes (default 256 MiB). */
  maxBytes?: number;
  /** Parsed footers kept in memory (default 4096). */
  maxParsed?: number;
}

const SUFFIX = ".footer";

/** A memory and disk cache of Parquet footers of remote files. */
export class FooterCache {
  readonly directory: string;
  private readonly lru: DiskLru;
  private readonly parsed = new Map<string, ParquetFooter>();
  private readonly maxParsed: number;
  private readonly inFlight = new Map<string, Promise<ParquetFooter>>();

  constructor(options: FooterCacheOptions) {
    this.directory = options.directory;
    this.lru = new DiskLru(options.maxBytes ?? 256 * 1024 ** 2);
    this.maxParsed = options.maxParsed ?? 4096;
    mkdirSync(this.directory, { recursive: true });
    const found = readdirSync(this.directory)
      .filter((name) => name.endsWith(SUFFIX))
      .map((name) => ({ key: name.slice(0, -SUFFIX.length), stat: statSync(path.join(this.directory, name)) }))
      .sort((a, b) => a.stat.mtimeMs - b.stat.mtimeMs);
    for (const { key, stat } of found) this.lru.set(key, stat.size);
  }

  private pathOf(key: string): string {
    return path.join(this.directory, `${key}${SUFFIX}`);
  }

  /**
   * The footer of the Parquet file of `size` bytes at `location`, from cache or fetched through
   * `io` starting with a GET of its last `tailBytes` bytes.
   */
  async get(
    io: FileIO,
    location: string,
    size: number,
    stats: RemoteReadStats,
    tailBytes = DEFAULT_TAIL_BYTES,
  ): Promise<ParquetFooter> {
    const key = cacheKey(location, size);
    const hit = this.parsed.get(key);
    if (hit) {
      this.parsed.delete(key);
      this.parsed.set(key, hit);
      stats.footers.cacheHits++;
      return hit;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.load(io, location, size, key, stats, tailBytes).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    } else stats.footers.cacheHits++;
    return pending;
  }

  private async load(
    io: FileIO,
    location: string,
    size: number,
    key: string,
    stats: RemoteReadStats,
    tailBytes: number,
  ): Promise<ParquetFooter> {
    const file = this.pathOf(key);
    let footer: ParquetFooter | undefined;
    const stored = await readFile(file).catch(() => undefined);
    if (stored !== undefined && stored.byteLength <= size) {
      try {
        const tail = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
        footer = { metadata: parseFooter(location, tail), tailStart: size - tail.byteLength, tail };
        stats.footers.cacheHits++;
        this.lru.set(key, stored.byteLength);
      } catch {
        // A damaged entry is fetched again below.
      }
    }
    if (!footer) {
      footer = await fetchFooter(io, location, size, tailBytes);
      stats.footers.fetched++;
      // The disk copy is an optimisation: failing to store it never fails the read.
      await writeAtomically(file, footer.tail)
        .then(() => this.lru.set(key, footer?.tail.byteLength ?? 0))
        .catch(() => undefined);
      await this.evict(key);
    }
    this.parsed.set(key, footer);
    if (this.parsed.size > this.maxParsed) this.parsed.delete(this.parsed.keys().next().value as string);
    return footer;
  }

  private async evict(keep: string): Promise<void> {
    for (const key of this.lru.takeVictims(new Set([keep, ...this.inFlight.keys()]))) {
      this.parsed.delete(key);
      await rm(this.pathOf(key), { force: true });
    }
  }
}
