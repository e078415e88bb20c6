/**
 * The NDJSON fast path of ingestFiles for one file. Same contract as the exact path
 * (ingest-files.ts): same batches, line ranges, snapshot summaries, committed rows, dead letters
 * and idempotency; only faster (ndjson-chunk.ts says how records are checked).
 *
 * The common case, a plain file (ndjson-layout.ts) of one batch, costs one read by DuckDB: the
 * certified records are written while Node scans and hashes the same file (sha256 takes about
 * 1.2 s of one core per 300 MB without SHA instructions), and the write is kept when the scan
 * confirms the guess. That is done when no ingested source in the table's history has the file's
 * size (so the file cannot be one of them); otherwise the file is hashed first, so that a re-run
 * skips it without reading it. Nothing is committed before the hash is known and checked.
 *
 * Otherwise: a plain file is cut into one piece per batch planned by the scan; any other file is
 * planned by DuckDB's line reader and sanitized (ndjson-sanitize.ts), then cut likewise.
 */
import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { DataFile } from "../manifest/types.ts";
import { type BatchBounds, planBatches } from "./batch-plan.ts";
import { commitFiles } from "./commit-files.ts";
import { appendDeadLetters } from "./dead-letters.ts";
import type { IngestFileResult } from "./ingest-options.ts";
import { type RunState, report } from "./ingest-run.ts";
import { INGEST_SUMMARY, type IngestedSource, type LineRange, isComplete, mayBeIngested } from "./ingest-summary.ts";
import type { InputFile } from "./input-files.ts";
import { lineRangeFiles } from "./line-range-files.ts";
import {
  type CheckedChunk,
  type ChunkOptions,
  type NdjsonChunk,
  checkNdjsonChunk,
  isReadFailure,
  writeCertified,
} from "./ndjson-chunk.ts";
import { type NdjsonLayout, mayBePlain, scanNdjsonLayout } from "./ndjson-layout.ts";
import { sanitizeNdjson } from "./ndjson-sanitize.ts";
import { sha256File } from "./source-hash.ts";

/**
 * The fast path's outcome: the file's result, or a request to check it with the exact path
 * (read_json could not read some piece, or the history holds part of the file), resuming after
 * the batches `partial` committed.
 */
export type NdjsonFileOutcome = { result: IngestFileResult } | { exact: { sha256: string; partial: IngestFileResult } };

/** A piece of the file and the lines its commit covers. */
interface Piece {
  chunk: NdjsonChunk;
  range: LineRange;
  /** The certified records' files, already written. */
  written?: DataFile[];
}

const emptyResult = (file: InputFile, sha256: string): IngestFileResult => ({
  file: file.path,
  format: file.format,
  sha256,
  status: "ingested",
  read: 0,
  committed: 0,
  rejected: 0,
  batches: 0,
  snapshotIds: [],
});

/** Ingests one NDJSON file the fast way; see the module comment. `history` is the table's ingested sources. */
export async function ingestNdjsonFile(
  state: RunState,
  file: InputFile,
  history: Map<string, IngestedSource>,
): Promise<NdjsonFileOutcome> {
  const { engine, table } = state;
  const bounds: BatchBounds = { rows: state.batchRows, bytes: state.batchBytes };
  const known = (sha256: string): NdjsonFileOutcome | undefined => {
    const source = history.get(sha256);
    if (!source) return undefined;
    if (isComplete(source)) return { result: { ...emptyResult(file, sha256), status: "skipped" } };
    return { exact: { sha256, partial: emptyResult(file, sha256) } };
  };

  const hashFirst = mayBeIngested(history, file.bytes);
  let sha256 = hashFirst ? await sha256File(file.path) : undefined;
  if (sha256 !== undefined) {
    const outcome = known(sha256);
    if (outcome) return outcome;
  }

  const scratch = await mkdtemp(path.join(engine.tempDirectory, "ingest-"));
  const chunkOptions: ChunkOptions = { tempDirectory: scratch, targetFileSizeBytes: state.options.targetFileSizeBytes };
  const deleteFiles = (files: DataFile[] | undefined) =>
    files ? table.io.deleteMany(files.map((f) => f.filePath)).catch(() => undefined) : Promise.resolve();
  try {
    // Guess "plain, one batch" and write while Node scans (and hashes).
    const guess = file.bytes < state.batchBytes && (await mayBePlain(file.path));
    const [scanned, wrote] = await Promise.allSettled([
      scanNdjsonLayout(file.path, bounds, { hash: sha256 === undefined }),
      guess ? writeCertified(engine, table, file.path, chunkOptions) : Promise.resolve(undefined),
    ]);
    const early = wrote.status === "fulfilled" ? wrote.value : undefined;
    if (scanned.status === "rejected" || (wrote.status === "rejected" && !isReadFailure(wrote.reason))) {
      await deleteFiles(early);
      throw scanned.status === "rejected" ? scanned.reason : (wrote as PromiseRejectedResult).reason;
    }
    const layout = scanned.value;
    sha256 ??= layout.sha256 as string;
    const outcome = known(sha256); // ruled out by the size check; checked before anything commits
    const keepEarly = outcome === undefined && layout.plain && layout.batches.length === 1;
    if (!keepEarly) await deleteFiles(early);
    if (outcome) return outcome;

    const { ranges, pieces } = await planPieces(state, file, layout, scratch, bounds, {
      written: keepEarly ? early : undefined,
      readFailed: wrote.status === "rejected",
    });
    const lastLine = ranges[ranges.length - 1]?.last ?? 0;
    const result = emptyResult(file, sha256);
    const fileStart = state.bytesDone;
    for await (const { chunk, range, written } of pieces) {
      const checked = await checkNdjsonChunk(engine, table, chunk, chunkOptions, written);
      if (!checked) return { exact: { sha256, partial: result } };
      try {
        const snapshotId = await commitChunk(state, file, checked, {
          [INGEST_SUMMARY.sourceFile]: file.path,
          [INGEST_SUMMARY.sourceSha256]: sha256,
          [INGEST_SUMMARY.sourceLines]: `${range.first}-${range.last}`,
          [INGEST_SUMMARY.sourceLastLine]: String(lastLine),
          [INGEST_SUMMARY.sourceBytes]: String(file.bytes),
          [INGEST_SUMMARY.batch]: `${result.batches + 1}/${ranges.length}`,
          [INGEST_SUMMARY.rejectedRecords]: String(checked.rejected),
        });
        result.snapshotIds.push(snapshotId);
      } finally {
        await checked.release();
      }
      result.batches++;
      result.read += checked.valid + checked.rejected;
      result.committed += checked.valid;
      result.rejected += checked.rejected;
      state.rowsRead += checked.valid + checked.rejected;
      state.rowsCommitted += checked.valid;
      report(state, file.path, fileStart + Math.round((range.last / Math.max(lastLine, 1)) * file.bytes));
    }
    return { result };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The batches of the file and its pieces: the file itself for one batch, one cut file per batch
 * otherwise. A plain file is planned by the scan; others by DuckDB, and sanitized before cutting.
 */
async function planPieces(
  state: RunState,
  file: InputFile,
  layout: NdjsonLayout,
  scratch: string,
  bounds: BatchBounds,
  first: { written?: DataFile[]; readFailed: boolean },
): Promise<{ ranges: LineRange[]; pieces: AsyncIterable<Piece> }> {
  if (layout.plain) {
    const ranges = layout.batches;
    // A plain file read_json failed on goes to the chunk check as "raw": sanitized first.
    const kind = first.readFailed ? "raw" : "plain";
    if (ranges.length === 1)
      return {
        ranges,
        pieces: once({
          chunk: { file: file.path, lineOffset: 0, kind, lines: layout.lines },
          range: ranges[0],
          written: first.written,
        }),
      };
    return { ranges, pieces: cut(file.path, ranges, "plain", scratch) };
  }
  const ranges = await planBatches(state.engine, file.path, bounds);
  if (ranges.length <= 1)
    return {
      ranges,
      pieces:
        ranges.length === 0
          ? once()
          : once({ chunk: { file: file.path, lineOffset: 0, kind: "raw" }, range: ranges[0] }),
    };
  const sanitized = await sanitizeNdjson(state.engine, file.path, scratch);
  return { ranges, pieces: cut(sanitized, ranges, "sanitized", scratch) };
}

async function* once(piece?: Piece): AsyncGenerator<Piece> {
  if (piece) yield piece;
}

/** One file per batch, cut from a file whose lines end with "\n". */
async function* cut(
  file: string,
  ranges: LineRange[],
  kind: "plain" | "sanitized",
  scratch: string,
): AsyncGenerator<Piece> {
  for await (const piece of lineRangeFiles(file, ranges, scratch)) {
    const lines = piece.range.last - piece.range.first + 1;
    yield { chunk: { file: piece.file, lineOffset: piece.range.first - 1, kind, lines }, range: piece.range };
  }
}

/** Appends the chunk's dead letters, then commits its files. */
async function commitChunk(
  state: RunState,
  file: InputFile,
  checked: CheckedChunk,
  summary: Record<string, string>,
): Promise<bigint> {
  if (checked.rejects) {
    await appendDeadLetters(state.engine, state.deadLetterPath, {
      tableName: state.table.name(),
      source: file.path,
      positionName: "line",
      stage: checked.rejects,
      where: "TRUE",
    }).catch(async (error: unknown) => {
      await state.table.io.deleteMany(checked.files.map((f) => f.filePath)).catch(() => undefined);
      throw error;
    });
    state.wroteDeadLetters = true;
  }
  return commitFiles(state.table, checked.files, summary);
}
