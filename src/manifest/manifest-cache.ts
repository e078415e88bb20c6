/**
 * A process-wide cache of decoded manifests and manifest lists. Decoding Avro is the bulk of scan
 * planning, and a table's manifests are re-read by every plan, yet they never change once
 * written. Decoded content is keyed by the file's identity: its location, its byte length and its
 * last 16 bytes, which are the Avro sync marker (16 random bytes chosen when the file was
 * written; every container ends with it). So two different files never share an entry, even at
 * the same location in two in-memory stores.
 *
 * Finding that identity takes a read. To skip even the read, each FileIO instance remembers the
 * identity of the locations it has served: within one store a written file never changes (FileIO
 * `write` refuses to replace a file unless told to, and Iceberg never does). When the caller knows
 * the length (a manifest list records each manifest's), a remembered identity of another length is
 * not trusted.
 *
 * Entries are evicted least recently used once their total weight (decoded records) exceeds the
 * budget; readers receive fresh copies of the top-level records, never the cached objects.
 */
import type { FileIO } from "../io/file-io.ts";

/** Budget of the decoded-manifest caches, in records (manifest entries plus manifest-list rows). */
export const DEFAULT_MANIFEST_CACHE_RECORDS = 200_000;

/** Remembered identities per FileIO beyond which that FileIO's memory is reset. */
const MAX_REMEMBERED_PER_IO = 100_000;

const SYNC_BYTES = 16;

/** A least-recently-used map bounded by the summed weight of its values. */
class WeightedLru<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private weight = 0;
  hits = 0;
  misses = 0;

  constructor(public maxWeight: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    // Re-inserting moves the key to the most recently used end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, weight: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.weight -= old.weight;
    }
    // One value larger than the whole budget is not worth evicting everything for.
    if (weight > this.maxWeight) return;
    this.entries.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.maxWeight) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
    this.hits = 0;
    this.misses = 0;
  }

  stats(): { entries: number; records: number; hits: number; misses: number } {
    return { entries: this.entries.size, records: this.weight, hits: this.hits, misses: this.misses };
  }
}

/** A cached decode: the value and how many records it holds (its weight). */
export interface Decoded<V> {
  value: V;
  records: number;
}

const caches = {
  manifests: new WeightedLru<unknown>(DEFAULT_MANIFEST_CACHE_RECORDS / 2),
  lists: new WeightedLru<unknown>(DEFAULT_MANIFEST_CACHE_RECORDS / 2),
};

/** Identities (location, length, sync marker) of the locations each FileIO has served. */
const remembered = new WeakMap<FileIO, Map<string, string>>();

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** The identity of a file's content: location, length and trailing sync marker. */
function identityOf(path: string, bytes: Uint8Array): string {
  let tail = "";
  for (let index = Math.max(0, bytes.length - SYNC_BYTES); index < bytes.length; index++) tail += HEX[bytes[index]];
  return `${bytes.length}:${tail}:${path}`;
}

function rememberedIdentity(io: FileIO, path: string, length: bigint | undefined): string | undefined {
  const identity = remembered.get(io)?.get(path);
  if (identity === undefined || length === undefined || length < 0n) return identity;
  return identity.startsWith(`${length}:`) ? identity : undefined;
}

function remember(io: FileIO, path: string, identity: string): void {
  let known = remembered.get(io);
  if (!known) {
    known = new Map();
    remembered.set(io, known);
  }
  if (known.size >= MAX_REMEMBERED_PER_IO) known.clear();
  known.set(path, identity);
}

/**
 * The decoded content of the Avro file at `path`, from the cache when this file (see the file
 * comment) was decoded before with the same `variant` (whatever else the decoding depends on),
 * else read and decoded by `decode` and cached. `length` is the file's length when known.
 */
export async function cachedDecode<V>(
  kind: "manifests" | "lists",
  io: FileIO,
  path: string,
  length: bigint | undefined,
  variant: string,
  decode: (bytes: Uint8Array) => Decoded<V>,
): Promise<V> {
  const cache = caches[kind] as WeightedLru<V>;
  const known = rememberedIdentity(io, path, length);
  if (known !== undefined) {
    const hit = cache.get(`${variant}\n${known}`);
    if (hit !== undefined) return hit;
  }
  const bytes = await io.read(path);
  const identity = identityOf(path, bytes);
  remember(io, path, identity);
  const key = `${variant}\n${identity}`;
  if (identity !== known) {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
  }
  const decoded = decode(bytes);
  cache.set(key, decoded.value, Math.max(1, decoded.records));
  return decoded.value;
}

/** Empties the decoded-manifest caches and resets their counters (benchmarks measure cold reads this way). */
export function clearManifestCaches(): void {
  caches.manifests.clear();
  caches.lists.clear();
}

/** Sets the budget of the decoded-manifest caches, in records (half for manifests, half for lists). */
export function setManifestCacheBudget(records: number): void {
  caches.manifests.maxWeight = Math.floor(records / 2);
  caches.lists.maxWeight = Math.floor(records / 2);
  // Shrinking applies on the next insertion; clearing keeps the bound strict right away.
  clearManifestCaches();
}

/** Cached files, decoded records held, hits and misses of each cache. */
export function manifestCacheStats(): Record<"manifests" | "lists", ReturnType<WeightedLru<unknown>["stats"]>> {
  return { manifests: caches.manifests.stats(), lists: caches.lists.stats() };
}
