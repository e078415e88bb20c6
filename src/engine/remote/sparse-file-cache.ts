/**
 * Sparse local copies of remote Parquet files. A copy has the remote file's exact size but holds
 * only the byte ranges some read needed (the footer, the column chunks of surviving row groups);
 * the rest is a hole that costs no disk and reads as zeros. DuckDB reads the copy as an ordinary
 * file and skips the holes by its own row-group pruning (see row-group-pruning.ts for why it
 * always does); were it ever to read one, the zeros fail Parquet's Thrift decoding loudly rather
 * than yield wrong rows.
 *
 * Next to each copy a small "ranges" record says which bytes are real (ranges-record.ts). Its lines
 * name the copy's inode, so a record never vouches for a different (re-created) copy. Copies only
 * ever gain ranges: writers fill holes with the file's true bytes, and append to the record after
 * the bytes are written, so processes sharing the directory can read and extend the same copy at
 * once. A lost race costs a refetch, never a wrong byte. Copies are evicted least recently used by
 * the bytes they hold.
 *
 * Each instance also remembers what it last knew of every copy (identity and real ranges). Records
 * only grow, so what it remembers is never more than the truth; a lookup whose ranges it already
 * knows to be real costs one stat (is it still the same copy?) instead of opening the copy and
 * reading its record - the difference between a few and a few hundred milliseconds for a lookup
 * over a year of daily files.
 */
import { type BigIntStats, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { type FileHandle, appendFile, link, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { FloeError, ioError } from "../../core/errors.ts";
import type { FileIO } from "../../io/file-io.ts";
import { type ByteRange, coalesceRanges, normalizeRanges, rangeBytes, subtractRanges } from "./byte-ranges.ts";
import { cacheKey, tempPathFor, writeAtomically } from "./cache-files.ts";
import { DiskLru } from "./disk-lru.ts";
import { MAX_RECORD_LINES, parseRecord, recordLines } from "./ranges-record.ts";

/** Where copies live and how much they may hold. */
export interface SparseFileCacheOptions {
  directory: string;
  /** Budget in bytes actually held (default 2 GiB). */
  maxBytes?: number;
  /**
   * Missing ranges at most this far apart are fetched in one GET (default 256 KiB: on an object
   * store a round trip costs more than reading that much more, so the columns of one row group
   * usually come in one request).
   */
  maxGapBytes?: number;
  /** Merging never grows one GET past this many bytes (default 8 MiB). */
  maxRequestBytes?: number;
}

/** Real bytes of the remote file already in hand (e.g. the tail fetched for the footer). */
export interface KnownBytes {
  start: number;
  bytes: Uint8Array;
}

/** What one ensure() did. */
export interface EnsureResult {
  /** Local path of the copy. */
  path: string;
  /** Bytes of the wanted ranges the copy already held. */
  heldBytes: number;
}

const DATA_SUFFIX = ".sparse";
const RANGES_SUFFIX = ".ranges";

/**
 * What an instance knows of a copy: its identity, ranges known to be real in it (never more than
 * its record says, since records only grow), and the stamp of the record file they were last
 * read from or written to.
 */
interface Remembered {
  inode: string;
  ranges: ByteRange[];
  stamp: string;
  /** Lines of the record file when last read or written (compaction is due past MAX_RECORD_LINES). */
  lines: number;
}

/** Identifies one state of a record file: appends change its size, compaction its inode. */
function recordStamp(file: string): string {
  const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
  return stat === undefined ? "none" : `${stat.ino}:${stat.mtimeNs}:${stat.size}`;
}

/** Inode and birth time: a copy re-created after an eviction never inherits an old record. */
const identityOf = (stat: BigIntStats): string => `${stat.ino}:${stat.birthtimeNs}`;

/**
 * The identity of the copy at `target` if it exists with `size` bytes. A synchronous stat: it
 * takes microseconds, where a trip through the thread pool costs more than the call itself.
 */
function copyIdentity(target: string, size: number): string | undefined {
  const stat = statSync(target, { bigint: true, throwIfNoEntry: false });
  return stat !== undefined && stat.size === BigInt(size) ? identityOf(stat) : undefined;
}

const errorCode = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;

/** Sparse local copies of remote files, shared safely between processes. */
export class SparseFileCache {
  readonly directory: string;
  private readonly lru: DiskLru;
  private readonly maxGap: number;
  private readonly maxRequest: number;
  /** Per-copy queue: one ensure() at a time per copy within this process. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** What this instance knows of each copy it has seen: see Remembered. */
  private readonly known = new Map<string, Remembered>();

  constructor(options: SparseFileCacheOptions) {
    this.directory = options.directory;
    this.lru = new DiskLru(options.maxBytes ?? 2 * 1024 ** 3);
    this.maxGap = options.maxGapBytes ?? 256 * 1024;
    this.maxRequest = options.maxRequestBytes ?? 8 * 1024 ** 2;
    mkdirSync(this.directory, { recursive: true });
    // Copies left by earlier processes stay usable; the least recently touched evict first.
    const found = readdirSync(this.directory)
      .filter((name) => name.endsWith(RANGES_SUFFIX))
      .map((name) => ({ name, mtime: statSync(path.join(this.directory, name)).mtimeMs }))
      .sort((a, b) => a.mtime - b.mtime);
    for (const { name } of found) {
      try {
        const { ranges } = parseRecord(readFileSync(path.join(this.directory, name), "utf8"));
        this.lru.set(name.slice(0, -RANGES_SUFFIX.length), rangeBytes(ranges));
      } catch {
        // Unreadable records are ignored; ensure() extends or replaces them.
      }
    }
  }

  /** Bytes the copies hold. */
  get size(): number {
    return this.lru.bytes;
  }

  /** The cache key (and file name stem) of a remote file. */
  keyOf(location: string, size: number): string {
    return cacheKey(location, size);
  }

  private dataPath(key: string): string {
    return path.join(this.directory, `${key}${DATA_SUFFIX}`);
  }

  private rangesPath(key: string): string {
    return path.join(this.directory, `${key}${RANGES_SUFFIX}`);
  }

  /**
   * Makes the `wanted` ranges of the remote file of `size` bytes at `location` real in its local
   * copy - writing `known` bytes as they are and fetching the rest with ranged GETs through `io` -
   * and returns the copy's path.
   */
  async ensure(
    io: FileIO,
    location: string,
    size: number,
    wanted: readonly ByteRange[],
    known: readonly KnownBytes[] = [],
  ): Promise<EnsureResult> {
    const key = this.keyOf(location, size);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.fill(io, location, size, key, wanted, known));
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async fill(
    io: FileIO,
    location: string,
    size: number,
    key: string,
    wanted: readonly ByteRange[],
    known: readonly KnownBytes[],
  ): Promise<EnsureResult> {
    const target = this.dataPath(key);
    const need = normalizeRanges(wanted);
    const remembered = this.known.get(key);
    if (remembered !== undefined) {
      if (remembered.inode === copyIdentity(target, size)) {
        const missing = subtractRanges(need, remembered.ranges);
        const unwritten = known.some(
          (part) =>
            subtractRanges([{ start: part.start, end: part.start + part.bytes.byteLength }], remembered.ranges).length >
            0,
        );
        if (missing.length === 0 && !unwritten) {
          this.lru.set(key, rangeBytes(remembered.ranges));
          return { path: target, heldBytes: rangeBytes(need) };
        }
      } else this.known.delete(key);
    }
    const { handle, inode } = await this.openCopy(target, size);
    try {
      const held = await this.recordedRanges(key, inode, size);
      const heldBytes = rangeBytes(need) - rangeBytes(subtractRanges(need, held));
      const written: ByteRange[] = [];
      for (const part of known) {
        const range = { start: part.start, end: part.start + part.bytes.byteLength };
        if (subtractRanges([range], held).length === 0) continue;
        await handle.write(part.bytes, 0, part.bytes.byteLength, part.start);
        written.push(range);
      }
      const missing = subtractRanges(need, [...held, ...written]);
      const requests = coalesceRanges(missing, this.maxGap, this.maxRequest);
      await Promise.all(
        requests.map(async (range) => {
          const length = range.end - range.start;
          const data = await io.readRange(location, range.start, length);
          if (data.byteLength !== length)
            throw ioError(
              `reading ${location} bytes ${range.start}-${range.end - 1}: got ${data.byteLength} of ${length} bytes (has the file changed?)`,
            );
          await handle.write(data, 0, length, range.start);
          written.push(range);
        }),
      );
      if (written.length > 0) {
        const ranges = await this.record(key, inode, size, normalizeRanges([...held, ...written]), written);
        this.lru.set(key, rangeBytes(ranges));
      } else {
        this.lru.set(key, rangeBytes(held));
      }
      return { path: target, heldBytes };
    } catch (error) {
      if (error instanceof FloeError) throw error;
      throw ioError(`cannot cache parts of ${location} in ${this.directory}: ${(error as Error).message}`, error);
    } finally {
      await handle.close();
    }
  }

  /** Opens the copy for writing, creating it as a hole of `size` bytes when absent; with its identity. */
  private async openCopy(target: string, size: number): Promise<{ handle: FileHandle; inode: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(target, "r+");
        const stat = await handle.stat({ bigint: true });
        if (stat.size === BigInt(size)) return { handle, inode: identityOf(stat) };
        // Not a copy of this file (keys include the size); replace it.
        await handle.close();
        await rm(target, { force: true });
      } catch (error) {
        if (errorCode(error) !== "ENOENT" || attempt > 2) throw error;
      }
      // Created under a temp name and linked into place, so nobody sees a copy of the wrong size.
      const temp = tempPathFor(target);
      const created = await open(temp, "wx");
      try {
        await created.truncate(size);
      } finally {
        await created.close();
      }
      try {
        await link(temp, target);
      } catch (error) {
        if (errorCode(error) !== "EEXIST") throw error;
      } finally {
        await rm(temp, { force: true });
      }
    }
  }

  /**
   * The ranges recorded as real for the copy with this identity: what this instance remembers when
   * the record file has not changed since it last read or wrote it (one stat), else read from it.
   */
  private async recordedRanges(key: string, inode: string, size: number): Promise<ByteRange[]> {
    const stamp = recordStamp(this.rangesPath(key));
    const mine = this.known.get(key);
    if (mine !== undefined && mine.inode === inode && mine.stamp === stamp) return mine.ranges;
    const text = await readFile(this.rangesPath(key), "utf8").catch(() => "");
    const { ranges, lines } = parseRecord(text, inode, size);
    // The stamp predates the read: a record changed in between only costs another read later.
    this.known.set(key, { inode, ranges, stamp, lines });
    return ranges;
  }

  /**
   * Records `written` (now real in the copy) by appending to the record; a record grown long is
   * rewritten instead, atomically, with the live ranges only. Returns every range known real.
   */
  private async record(
    key: string,
    inode: string,
    size: number,
    ranges: ByteRange[],
    written: ByteRange[],
  ): Promise<ByteRange[]> {
    const file = this.rangesPath(key);
    const lines = this.known.get(key)?.lines ?? 0;
    let all = ranges;
    let count: number;
    // Compacting pays only when most lines are redundant (joined ranges, lines of an old copy);
    // a record of many disjoint ranges is left to grow rather than rewritten on every update.
    if (lines + written.length > Math.max(MAX_RECORD_LINES, 2 * ranges.length)) {
      // Keep what other processes recorded meanwhile.
      const text = await readFile(file, "utf8").catch(() => "");
      all = normalizeRanges([...parseRecord(text, inode, size).ranges, ...ranges]);
      await writeAtomically(file, recordLines(inode, all));
      count = all.length;
    } else {
      await appendFile(file, recordLines(inode, normalizeRanges(written)));
      count = lines + written.length;
    }
    this.known.set(key, { inode, ranges: all, stamp: recordStamp(file), lines: count });
    return all;
  }

  /** Drops least recently used copies (never those of `pinned` keys) until the cache fits its budget. */
  async evict(pinned: ReadonlySet<string>): Promise<void> {
    for (const key of this.lru.takeVictims(new Set([...pinned, ...this.queues.keys()]))) {
      this.known.delete(key);
      // The record goes first: a copy without a record is only ever refilled, never trusted.
      await rm(this.rangesPath(key), { force: true });
      await rm(this.dataPath(key), { force: true });
    }
  }
}
