/**
 * The record next to a sparse copy of which byte ranges hold the remote file's real bytes: a text
 * file of lines "<copy identity> <start> <end> <check>", one per range made real.
 *
 * Writers only append (one write per batch of lines, opened for appending), never rewrite in place:
 * replacing a file by rename costs a new inode and the old one's release - about a millisecond of
 * system time each on a journaling file system, which a lookup over a year of daily files pays
 * hundreds of times - while an append is a plain write. Appends of several processes never lose
 * each other's lines.
 *
 * Each line names the copy it vouches for (inode and birth time), so lines written for a copy that
 * was since evicted and re-created are ignored, and carries a check value, so a line torn by a
 * reader racing a writer is skipped rather than trusted. When a record has accumulated many lines,
 * most of them redundant, it is rewritten once (atomically) with only the live ones.
 */
import type { ByteRange } from "./byte-ranges.ts";
import { normalizeRanges } from "./byte-ranges.ts";

/** A record with more lines than this (and than twice its live ranges) is compacted on its next update. */
export const MAX_RECORD_LINES = 256;

/** FNV-1a (32 bits) of the line's content, in hex: enough to tell a torn line from a whole one. */
function check(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

/** The lines recording `ranges` as real in the copy with `identity`. */
export function recordLines(identity: string, ranges: readonly ByteRange[]): string {
  let text = "";
  for (const range of ranges) {
    const content = `${identity} ${range.start} ${range.end}`;
    text += `${content} ${check(content)}\n`;
  }
  return text;
}

/** What a record says. */
export interface ParsedRecord {
  /** Ranges recorded for the identity asked about (all identities' when none was given), normalized. */
  ranges: ByteRange[];
  /** Lines in the file, valid or not: how much compaction would save. */
  lines: number;
}

/**
 * The ranges `text` records as real in the copy with `identity` (of every copy when undefined),
 * clipped to `size` bytes when given. Lines that are torn, damaged or for another copy are skipped.
 */
export function parseRecord(text: string, identity?: string, size?: number): ParsedRecord {
  const ranges: ByteRange[] = [];
  let lines = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    lines++;
    const parts = line.split(" ");
    if (parts.length !== 4) continue;
    const [who, startText, endText, sum] = parts;
    if (identity !== undefined && who !== identity) continue;
    if (check(`${who} ${startText} ${endText}`) !== sum) continue;
    const start = Number(startText);
    const end = Math.min(Number(endText), size ?? Number.POSITIVE_INFINITY);
    if (Number.isSafeInteger(start) && start >= 0 && end > start) ranges.push({ start, end });
  }
  return { ranges: normalizeRanges(ranges), lines };
}
