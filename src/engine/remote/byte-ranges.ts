/**
 * Half-open byte ranges [start, end) of a file, kept sorted and disjoint: which parts of a remote
 * file a read needs, which a sparse local copy holds, and which GETs fetch the difference.
 */

/** Bytes start (inclusive) to end (exclusive). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Sorted, disjoint ranges covering exactly the bytes of `ranges`; touching ranges are joined. */
export function normalizeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: ByteRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else out.push({ start: range.start, end: range.end });
  }
  return out;
}

/**
 * Fewer, larger ranges: neighbours separated by at most `maxGap` bytes are fetched as one (a
 * round trip costs more than a few kilobytes), and no range grows past `maxLength` by merging.
 */
export function coalesceRanges(ranges: readonly ByteRange[], maxGap: number, maxLength: number): ByteRange[] {
  const out: ByteRange[] = [];
  for (const range of normalizeRanges(ranges)) {
    const last = out[out.length - 1];
    if (last && range.start - last.end <= maxGap && range.end - last.start <= maxLength) last.end = range.end;
    else out.push({ ...range });
  }
  return out;
}

/** The bytes of `wanted` not in `present`. */
export function subtractRanges(wanted: readonly ByteRange[], present: readonly ByteRange[]): ByteRange[] {
  const have = normalizeRanges(present);
  const out: ByteRange[] = [];
  for (const range of normalizeRanges(wanted)) {
    let start = range.start;
    for (const h of have) {
      if (h.end <= start) continue;
      if (h.start >= range.end) break;
      if (h.start > start) out.push({ start, end: h.start });
      start = Math.max(start, h.end);
      if (start >= range.end) break;
    }
    if (start < range.end) out.push({ start, end: range.end });
  }
  return out;
}

/** Total bytes of disjoint ranges. */
export const rangeBytes = (ranges: readonly ByteRange[]): number => ranges.reduce((sum, r) => sum + r.end - r.start, 0);
