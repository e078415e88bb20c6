/**
 * What an ingest commit records in its snapshot summary, and reading it back from a table's
 * history. Each commit covers one contiguous range of a source file's lines (Parquet: rows); the
 * ranges of one file's batches tile 1..last line. A file whose sha256 appears in the current
 * branch's ancestry with ranges covering 1..last is already ingested (skipped on re-runs); one only
 * partly covered (a run that died between batches) resumes with the lines no commit covers.
 */
import type { TableMetadata } from "../spec/table-metadata.ts";
import { MAIN_BRANCH } from "../spec/snapshot.ts";
import { ancestors, branchHead } from "../table/snapshot-history.ts";

/** Summary keys of ingest snapshots. */
export const INGEST_SUMMARY = {
  sourceFile: "floe.ingest.source-file",
  sourceSha256: "floe.ingest.source-sha256",
  /** "first-last", 1-based inclusive line (Parquet: row) numbers this commit covers. */
  sourceLines: "floe.ingest.source-lines",
  /** The number of the source's last record line: the end of the range its batches tile. */
  sourceLastLine: "floe.ingest.source-last-line",
  /** "k/n": this commit's batch of the run that wrote it ("k" for a stream, whose n is unknown). */
  batch: "floe.ingest.batch",
  /** The source file's size in bytes: a file of another size cannot be one already ingested. */
  sourceBytes: "floe.ingest.source-bytes",
  rejectedRecords: "floe.ingest.rejected-records",
} as const;

/** An inclusive range of line numbers. */
export interface LineRange {
  first: number;
  last: number;
}

/** What the history says about one source hash. */
export interface IngestedSource {
  ranges: LineRange[];
  lastLine: number;
  /** The source's size in bytes; undefined when a commit did not record it (older commits). */
  bytes?: number;
}

/** Every source hash in the ancestry of `branch` with the line ranges committed for it. */
export function ingestedSources(metadata: TableMetadata, branch: string = MAIN_BRANCH): Map<string, IngestedSource> {
  const found = new Map<string, IngestedSource>();
  for (const snapshot of ancestors(metadata, branchHead(metadata, branch))) {
    const summary = snapshot.summary;
    const hash = summary[INGEST_SUMMARY.sourceSha256];
    const range = /^(\d+)-(\d+)$/.exec(summary[INGEST_SUMMARY.sourceLines] ?? "");
    if (!hash || !range) continue;
    const entry = found.get(hash) ?? { ranges: [], lastLine: 0 };
    entry.ranges.push({ first: Number(range[1]), last: Number(range[2]) });
    entry.lastLine = Math.max(entry.lastLine, Number(summary[INGEST_SUMMARY.sourceLastLine] ?? range[2]));
    const bytes = summary[INGEST_SUMMARY.sourceBytes];
    if (bytes !== undefined && /^\d+$/.test(bytes)) entry.bytes = Number(bytes);
    found.set(hash, entry);
  }
  return found;
}

/**
 * Whether a file of `bytes` bytes may already be in `history`: some source has that size, or did
 * not record its size. When not, the file's hash can be computed while the file is being read.
 */
export function mayBeIngested(history: Map<string, IngestedSource>, bytes: number): boolean {
  for (const source of history.values()) if (source.bytes === undefined || source.bytes === bytes) return true;
  return false;
}

/** Merges ranges into sorted, non-overlapping, non-adjacent ones. */
export function mergeRanges(ranges: LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const merged: LineRange[] = [];
  for (const range of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && range.first <= previous.last + 1) previous.last = Math.max(previous.last, range.last);
    else merged.push({ ...range });
  }
  return merged;
}

/** Whether the committed ranges cover every line 1..lastLine. */
export function isComplete(source: IngestedSource): boolean {
  const merged = mergeRanges(source.ranges);
  return merged.length === 1 && merged[0].first <= 1 && merged[0].last >= source.lastLine;
}
