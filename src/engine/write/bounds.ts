/**
 * Lower and upper bounds of a column as the data-file entry stores them, under a metrics mode.
 * truncate(N) shortens strings to N code points and binary to N bytes (other types are kept
 * whole, as Java does): a truncated lower bound is a prefix, which sorts before every value it
 * prefixes; a truncated upper bound must sort after them, so its last code point (byte) is
 * incremented, moving left past code points (bytes) that cannot be incremented, and dropped when
 * none can be — exactly Java's UnicodeUtil/BinaryUtil truncateMax.
 */
import { fixedLength, parsePrimitive, toBytes } from "../../spec/conversions.ts";
import type { PrimitiveType, Value } from "../../spec/types.ts";
import type { MetricsMode } from "./metrics-config.ts";

const MAX_CODE_POINT = 0x10ffff;

/** The first `length` code points of `text`. */
export function truncateStringLower(text: string, length: number): string {
  const points = Array.from(text);
  return points.length <= length ? text : points.slice(0, length).join("");
}

/** The smallest-effort string of at most `length` code points that is ≥ every string prefixed like `text`; null if none. */
export function truncateStringUpper(text: string, length: number): string | null {
  const points = Array.from(text);
  if (points.length <= length) return text;
  const kept = points.slice(0, length);
  for (let i = kept.length - 1; i >= 0; i--) {
    let next = (kept[i].codePointAt(0) ?? 0) + 1;
    // Surrogate code points cannot appear in UTF-8; the next real one is U+E000.
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
    if (next <= MAX_CODE_POINT) return [...kept.slice(0, i), String.fromCodePoint(next)].join("");
  }
  return null;
}

/** The first `length` bytes. */
export const truncateBinaryLower = (bytes: Uint8Array, length: number): Uint8Array =>
  bytes.length <= length ? bytes : bytes.slice(0, length);

/** A byte string of at most `length` bytes that is ≥ every value prefixed like `bytes`; null if none. */
export function truncateBinaryUpper(bytes: Uint8Array, length: number): Uint8Array | null {
  if (bytes.length <= length) return bytes;
  for (let i = length - 1; i >= 0; i--) {
    if (bytes[i] !== 0xff) {
      const out = bytes.slice(0, i + 1);
      out[i] += 1;
      return out;
    }
  }
  return null;
}

/** Serialized bounds (Appendix D binary form) for a column's min and max under `mode`; absent sides omitted. */
export function boundsFor(
  type: PrimitiveType,
  mode: MetricsMode,
  min: Value,
  max: Value,
): { lower?: Uint8Array; upper?: Uint8Array } {
  if (mode.kind === "none" || mode.kind === "counts") return {};
  const kind = parsePrimitive(type).kind;
  let lower: Value = min;
  let upper: Value = max;
  if (kind === "float" || kind === "double") {
    // Parquet writers may report +0.0 for a column holding -0.0 (and the reverse); Iceberg orders
    // -0.0 before +0.0, so widen the bounds over both zeros.
    if (lower === 0) lower = -0;
    if (upper === 0) upper = 0;
  }
  if (mode.kind === "truncate") {
    if (kind === "string") {
      lower = typeof lower === "string" ? truncateStringLower(lower, mode.length) : lower;
      upper = typeof upper === "string" ? truncateStringUpper(upper, mode.length) : upper;
    } else if (kind === "binary") {
      lower = lower instanceof Uint8Array ? truncateBinaryLower(lower, mode.length) : lower;
      upper = upper instanceof Uint8Array ? truncateBinaryUpper(upper, mode.length) : upper;
    } else if (kind === "fixed" && (fixedLength(parsePrimitive(type)) ?? 0) > mode.length) {
      // A truncated fixed value no longer has the type's length, so it has no bound form here.
      return {};
    }
  }
  const out: { lower?: Uint8Array; upper?: Uint8Array } = {};
  if (lower !== null) out.lower = toBytes(type, lower);
  if (upper !== null) out.upper = toBytes(type, upper);
  return out;
}
