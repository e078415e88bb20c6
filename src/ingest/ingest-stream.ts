/**
 * Ingest from a stream (stdin, a socket, any iterable of text or byte chunks, or of lines) with
 * max-latency micro-batching: NDJSON or CSV lines are gathered into batches, and each batch is
 * committed as one append snapshot when it reaches the batch bounds (records or bytes), when
 * `maxLatencyMs` has passed since its first record, or at the end of the input.
 *
 * Records are checked as in files: each batch is spooled to a temporary file (never held in
 * memory) and checked by the NDJSON fast path (ndjson-chunk.ts) or the exact checker (CSV, and
 * NDJSON read_json cannot read); rejected records go to the dead-letter file with the source name
 * ("stdin") and their line number in the stream. Lines end at "\n", "\r\n" or "\r"; a CSV stream's
 * first line is its header. Reading goes on while a batch is being committed; it pauses when two
 * batches are waiting. Unlike files, a stream has no content hash: sending the same records twice
 * commits them twice.
 */
import { randomUUID } from "node:crypto";
import { type FileHandle, mkdtemp, open, rm } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../core/errors.ts";
import type { Engine } from "../engine/duckdb.ts";
import type { Table } from "../table/table.ts";
import { commitFiles } from "./commit-files.ts";
import { appendDeadLetters, defaultDeadLetterPath } from "./dead-letters.ts";
import { checkExactChunk } from "./exact-chunk.ts";
import { DEFAULT_BATCH_BYTES, DEFAULT_BATCH_ROWS } from "./ingest-files.ts";
import { positiveInteger } from "./ingest-run.ts";
import { INGEST_SUMMARY } from "./ingest-summary.ts";
import { LineSplitter } from "./line-splitter.ts";
import { type CheckedChunk, type ChunkOptions, checkNdjsonChunk } from "./ndjson-chunk.ts";
import { csvSource, linesRelation, ndjsonLinesSource } from "./record-sources.ts";

/** Options of ingestStream. */
export interface StreamIngestOptions {
  /** "ndjson" (default) or "csv" (first line: the header). */
  format?: "ndjson" | "csv";
  /**
   * What the input's items are: "chunks" (default) of a byte or text stream such as
   * process.stdin, cut anywhere; or "lines", each item one line without its line break.
   */
  items?: "chunks" | "lines";
  /** CSV field delimiter (default ","). */
  csvDelimiter?: string;
  /** Commit once a batch holds this many records (default 10,000,000). */
  batchRows?: number;
  /** Commit once a batch holds this many input bytes (default 1 GiB). */
  batchBytes?: number;
  /** Commit a batch at the latest this long after its first record arrived (default: no limit). */
  maxLatencyMs?: number;
  /** Dead-letter file, as for ingestFiles. */
  deadLetter?: string;
  /** The source named in snapshot summaries and dead letters (default "stdin"). */
  sourceName?: string;
  /** Overrides the table's write.target-file-size-bytes. */
  targetFileSizeBytes?: number;
  /** Called after each commit. */
  onBatch?: (batch: StreamBatch) => void;
}

/** What a stream batch committed. */
export interface StreamBatch {
  /** 1-based batch number. */
  batch: number;
  /** The stream lines the batch covers. */
  firstLine: number;
  lastLine: number;
  read: number;
  committed: number;
  rejected: number;
  snapshotId: bigint;
  /** What closed the batch. */
  trigger: "size" | "latency" | "end";
}

/** The outcome of ingestStream. */
export interface StreamIngestResult {
  read: number;
  committed: number;
  rejected: number;
  /** Snapshots committed (one per batch that held records). */
  snapshots: number;
  snapshotIds: bigint[];
  /** The dead-letter file, or null when nothing was rejected. */
  deadLetterPath: string | null;
}

/** A batch being gathered: its spool file and counts. */
interface OpenBatch {
  file: string;
  handle: Promise<FileHandle>;
  /** Writes in flight, in order. */
  written: Promise<unknown>;
  buffered: Buffer[];
  bufferedBytes: number;
  firstLine: number;
  lastLine: number;
  /** Lines in the spool file (including a header or a leading blank line). */
  fileLines: number;
  /** The spool file starts with a line the batch does not hold. */
  extraFirstLine: boolean;
  records: number;
  bytes: number;
  /** Every line starts with "{" and has no U+0001 (see ndjson-layout.ts; the spool has no "\r"). */
  plain: boolean;
  timer?: NodeJS.Timeout;
}

const NEWLINE = Buffer.from("\n");
const SPOOL_BUFFER_BYTES = 1 << 20;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** A line DuckDB's readers would count as a record: anything but spaces and tabs. */
function isRecord(line: Buffer): boolean {
  for (const byte of line) if (byte !== 32 && byte !== 9) return true;
  return false;
}

/** Ingests `input` into `table` with size- and latency-bounded batches; see the module comment. */
export async function ingestStream(
  engine: Engine,
  table: Table,
  input: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: StreamIngestOptions = {},
): Promise<StreamIngestResult> {
  const format = options.format ?? "ndjson";
  const batchRows = positiveInteger(options.batchRows, DEFAULT_BATCH_ROWS, "batchRows");
  const batchBytes = positiveInteger(options.batchBytes, DEFAULT_BATCH_BYTES, "batchBytes");
  const maxLatencyMs = options.maxLatencyMs;
  if (maxLatencyMs !== undefined && !(Number.isFinite(maxLatencyMs) && maxLatencyMs >= 0))
    throw badInput(`ingest: the maximum latency must be a non-negative number of milliseconds, got ${maxLatencyMs}`);
  if (options.csvDelimiter !== undefined && [...options.csvDelimiter].length !== 1)
    throw badInput(`ingest: the CSV delimiter must be one character, got "${options.csvDelimiter}"`);
  const sourceName = options.sourceName ?? "stdin";
  const deadLetterPath = path.resolve(options.deadLetter ?? defaultDeadLetterPath(table.name()));
  await table.refresh();

  const spool = await mkdtemp(path.join(engine.tempDirectory, "stream-"));
  const chunkOptions: ChunkOptions = { tempDirectory: spool, targetFileSizeBytes: options.targetFileSizeBytes };
  const result: StreamIngestResult = {
    read: 0,
    committed: 0,
    rejected: 0,
    snapshots: 0,
    snapshotIds: [],
    deadLetterPath: null,
  };
  let header: Buffer | undefined;
  let line = 0;
  let current: OpenBatch | undefined;
  let batchNumber = 0;
  let waiting = 0;
  let committing: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;

  const spoolWrite = (batch: OpenBatch, data: Buffer) => {
    batch.written = batch.written.then(async () => (await batch.handle).write(data));
  };
  const flushBuffer = (batch: OpenBatch) => {
    if (batch.bufferedBytes === 0) return;
    spoolWrite(batch, Buffer.concat(batch.buffered));
    batch.buffered = [];
    batch.bufferedBytes = 0;
  };
  const append = (batch: OpenBatch, data: Buffer) => {
    batch.buffered.push(data, NEWLINE);
    batch.bufferedBytes += data.length + 1;
    batch.fileLines++;
    if (batch.bufferedBytes >= SPOOL_BUFFER_BYTES) flushBuffer(batch);
  };

  const openBatch = (firstLine: number, first: Buffer): OpenBatch => {
    const file = path.join(spool, `batch-${randomUUID()}.${format}`);
    const batch: OpenBatch = {
      file,
      handle: open(file, "w"),
      written: Promise.resolve(),
      buffered: [],
      bufferedBytes: 0,
      firstLine,
      lastLine: firstLine - 1,
      fileLines: 0,
      extraFirstLine: false,
      records: 0,
      bytes: 0,
      plain: true,
    };
    batch.handle.catch(() => undefined); // awaited by the writes and the commit
    if (header) {
      append(batch, header);
      batch.extraFirstLine = true;
    } else if (first.subarray(0, BOM.length).equals(BOM)) {
      // DuckDB's reader drops a byte order mark at the start of a file: keep this line's.
      append(batch, Buffer.alloc(0));
      batch.extraFirstLine = true;
      batch.plain = false;
    }
    return batch;
  };

  /** Closes the current batch and queues its check and commit. */
  const close = (trigger: StreamBatch["trigger"]) => {
    const batch = current;
    if (!batch) return;
    current = undefined;
    clearTimeout(batch.timer);
    flushBuffer(batch);
    const done = batch.written.then(async () => (await batch.handle).close());
    if (batch.records === 0) {
      done.then(() => rm(batch.file, { force: true })).catch(() => undefined);
      return;
    }
    const number = ++batchNumber;
    waiting++;
    committing = committing
      .then(async () => {
        await done;
        if (!failure) await commitBatch(batch, number, trigger);
      })
      .catch((error: unknown) => {
        failure ??= { error };
      })
      .finally(() => {
        waiting--;
        return rm(batch.file, { force: true });
      });
  };

  const commitBatch = async (batch: OpenBatch, number: number, trigger: StreamBatch["trigger"]) => {
    const schema = table.schema();
    // Line k of the spool file is stream line k + offset.
    const offset = batch.firstLine - 1 - (batch.extraFirstLine ? 1 : 0);
    let checked: CheckedChunk | null;
    if (format === "csv") {
      const source = await csvSource(engine, batch.file, schema, {
        delimiter: options.csvDelimiter,
        lineOffset: offset,
      });
      checked = await checkExactChunk(engine, table, source, chunkOptions);
    } else {
      checked = await checkNdjsonChunk(
        engine,
        table,
        { file: batch.file, lineOffset: offset, kind: batch.plain ? "plain" : "raw", lines: batch.fileLines },
        chunkOptions,
      );
      checked ??= await checkExactChunk(
        engine,
        table,
        ndjsonLinesSource(linesRelation(batch.file, offset), schema),
        chunkOptions,
      );
    }
    try {
      if (checked.rejects) {
        const files = checked.files;
        await appendDeadLetters(engine, deadLetterPath, {
          tableName: table.name(),
          source: sourceName,
          positionName: "line",
          stage: checked.rejects,
          where: "TRUE",
        }).catch(async (error: unknown) => {
          await table.io.deleteMany(files.map((f) => f.filePath)).catch(() => undefined);
          throw error;
        });
        result.deadLetterPath = deadLetterPath;
      }
      const snapshotId = await commitFiles(table, checked.files, {
        [INGEST_SUMMARY.sourceFile]: sourceName,
        [INGEST_SUMMARY.sourceLines]: `${batch.firstLine}-${batch.lastLine}`,
        [INGEST_SUMMARY.batch]: String(number),
        [INGEST_SUMMARY.rejectedRecords]: String(checked.rejected),
      });
      result.read += checked.valid + checked.rejected;
      result.committed += checked.valid;
      result.rejected += checked.rejected;
      result.snapshots++;
      result.snapshotIds.push(snapshotId);
      options.onBatch?.({
        batch: number,
        firstLine: batch.firstLine,
        lastLine: batch.lastLine,
        read: checked.valid + checked.rejected,
        committed: checked.valid,
        rejected: checked.rejected,
        snapshotId,
        trigger,
      });
    } finally {
      await checked.release();
    }
  };

  const addLine = (text: Buffer) => {
    line++;
    if (format === "csv" && line === 1) {
      header = text;
      return;
    }
    current ??= openBatch(line, text);
    const batch = current;
    append(batch, text);
    batch.lastLine = line;
    batch.bytes += text.length + 1;
    if (text[0] !== 0x7b || text.includes(1)) batch.plain = false;
    if (!isRecord(text)) return;
    batch.records++;
    if (batch.records === 1 && maxLatencyMs !== undefined)
      batch.timer = setTimeout(() => close("latency"), maxLatencyMs);
    if (batch.records >= batchRows || batch.bytes >= batchBytes) close("size");
  };

  try {
    const splitter = new LineSplitter();
    const lineItems = options.items === "lines";
    for await (const item of input) {
      const chunk = typeof item === "string" ? Buffer.from(item) : item;
      for (const text of splitter.push(lineItems ? Buffer.concat([chunk, NEWLINE]) : chunk)) addLine(text);
      if (failure) break;
      // Back-pressure: do not read ahead of more than two waiting batches.
      if (waiting >= 2) await committing;
    }
    if (!failure) for (const text of splitter.end()) addLine(text);
    close("end");
    await committing;
    if (failure) throw failure.error;
    return result;
  } finally {
    clearTimeout(current?.timer);
    if (current) await current.written.then(async () => (await current?.handle)?.close()).catch(() => undefined);
    await committing.catch(() => undefined);
    await rm(spool, { recursive: true, force: true });
  }
}
