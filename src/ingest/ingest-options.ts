/** Options and results of ingestFiles. */
import type { IngestFormat } from "./record-sources.ts";

/** A progress report: cumulative over the whole run. */
export interface IngestProgress {
  /** The file being processed. */
  file: string;
  /** Records read so far (valid and rejected). */
  rowsRead: number;
  /** Valid records committed so far. */
  rowsCommitted: number;
  /** Input bytes processed so far (skipped files count as processed). */
  bytesRead: number;
  /** Total bytes of all input files. */
  bytesTotal: number;
}

/** Options of ingestFiles. */
export interface IngestOptions {
  /** The format of every input; by default each file's extension decides (.ndjson/.jsonl/.json, .csv, .parquet, optionally .gz/.zst). */
  format?: IngestFormat;
  /** CSV field delimiter (default ","). */
  csvDelimiter?: string;
  /** Dead-letter file (NDJSON, appended to); default <cwd>/floe-dead-letters/<table>-<timestamp>.ndjson, created only when a record is rejected. */
  deadLetter?: string;
  /** Commit at most about this many input records per snapshot (default 10,000,000). */
  batchRows?: number;
  /** Commit at most about this many input bytes per snapshot (default 1 GiB). */
  batchBytes?: number;
  /** Overrides the table's write.target-file-size-bytes. */
  targetFileSizeBytes?: number;
  /** Re-ingest files whose content hash is already in the table's history. */
  force?: boolean;
  /**
   * Check NDJSON with the exact per-line checker only, never the fast path (ndjson-fast-read.ts).
   * Much slower; the reference the fast path is tested against.
   */
  exactNdjson?: boolean;
  /** Called after each step (hash, read, batch commit) with cumulative counts. */
  onProgress?: (progress: IngestProgress) => void;
}

/** The outcome for one input file. */
export interface IngestFileResult {
  file: string;
  format: IngestFormat;
  sha256: string;
  /** "skipped": already in the table's history; "resumed": an earlier run committed part of it. */
  status: "ingested" | "resumed" | "skipped";
  read: number;
  committed: number;
  rejected: number;
  batches: number;
  /** Ids of the snapshots committed for this file. */
  snapshotIds: bigint[];
}

/** The outcome of an ingest run. */
export interface IngestResult {
  /** Records read (valid and rejected) from files that were not skipped. */
  read: number;
  /** Valid records committed. */
  committed: number;
  /** Records written to the dead-letter file. */
  rejected: number;
  /** Files processed (not skipped). */
  files: number;
  /** Files skipped because their content is already in the table. */
  skipped: number;
  batches: number;
  /** Snapshots committed. */
  snapshots: number;
  /** The dead-letter file, or null when nothing was rejected. */
  deadLetterPath: string | null;
  perFile: IngestFileResult[];
}
