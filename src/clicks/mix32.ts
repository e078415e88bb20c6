/**
 * Integer hash mixing that gives the same bits in TypeScript and in DuckDB SQL, whatever the DuckDB
 * version: DuckDB's own hash() is free to change between releases, plain UBIGINT arithmetic is not.
 *
 * The mixer is a 32-bit xorshift-multiply finaliser (two multiply rounds, constants from Chris
 * Wellons' "hash prospector" search); it is a bijection on 32-bit values, which the generator uses
 * to make ids unique by construction. In SQL every intermediate stays below 2^64, so UBIGINT
 * arithmetic never overflows.
 */

const M1 = 0x7feb352d;
const M2 = 0x846ca68b;
/** 2^32 - 1: the mask that keeps values 32-bit. */
export const MASK32 = 0xffffffff;

/** The 32-bit mixer in TypeScript (used to derive per-stream salts from seed and day). */
export function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), M1) >>> 0;
  x = Math.imul(x ^ (x >>> 15), M2) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** A salt for one stream: mixes the stream number with the seed words and an optional day. */
export function streamSalt(seed: number, stream: number, day?: number): number {
  const seedLo = seed >>> 0;
  const seedHi = Math.floor(seed / 2 ** 32) >>> 0;
  let salt = mix32(seedLo ^ mix32(stream + 0x9e3779b9));
  salt = mix32(salt ^ seedHi);
  if (day !== undefined) salt = mix32(salt ^ mix32((day + 0x632be5ab) >>> 0));
  return salt;
}

/**
 * SQL for the first step of a stream: an affine map of `key` (a non-negative integer below 2^32)
 * to 32 bits with a per-stream odd multiplier and offset, so different streams see different
 * inputs before mixing.
 */
export function streamInputSql(key: string, salt: number): string {
  const multiplier = (mix32(salt ^ 0x85ebca6b) | 1) >>> 0;
  return `((${key})::UBIGINT * ${multiplier} + ${salt}) & ${MASK32}`;
}

/**
 * The three SQL layers of the mixer over `columns` of the relation `from`, each a subquery that
 * replaces the columns in place (`SELECT * REPLACE`) so the expressions never nest.
 */
export function mixLayersSql(from: string, columns: readonly string[]): string {
  const layer = (source: string, step: (c: string) => string) =>
    `(SELECT * REPLACE (${columns.map((c) => `${step(c)} AS ${c}`).join(", ")}) FROM ${source})`;
  const first = layer(from, (c) => `(xor(${c}, ${c} >> 16) * ${M1}) & ${MASK32}`);
  const second = layer(first, (c) => `(xor(${c}, ${c} >> 15) * ${M2}) & ${MASK32}`);
  return layer(second, (c) => `xor(${c}, ${c} >> 16)`);
}

/**
 * A lookup list of `size` entries mapping a uniform bucket to an index into `weights`, each index
 * taking a share of buckets proportional to its weight (largest-remainder rounding, every index at
 * least one bucket). Indexing it with `value % size` draws a weighted choice in one list access.
 */
export function weightedLookup(weights: readonly number[], size = 1024): number[] {
  if (weights.length > size) throw new RangeError(`${weights.length} weights do not fit ${size} buckets`);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const exact = weights.map((w) => (w / total) * (size - weights.length));
  const counts = exact.map((e) => 1 + Math.floor(e));
  let left = size - counts.reduce((sum, c) => sum + c, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % byRemainder.length, left--) counts[byRemainder[k].i]++;
  return counts.flatMap((count, index) => Array<number>(count).fill(index));
}
