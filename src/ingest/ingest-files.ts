/**
 * File ingestion: NDJSON, CSV and Parquet files (or globs) into an Iceberg table.
 *
 * Per file: hash it (sha256, streamed) and skip it when the table's history already holds it; let
 * DuckDB read and check every record at once into a temp table (record-checks.ts: typed columns,
 * the first failure's reason, exact line numbers) with a batch number per record (input records
 * and bytes in line order); then per batch, append the rejects to the dead-letter file and write the
 * valid records through the engine's write path (partitioning, sort order, file sizing, Iceberg
 * statistics) as one append snapshot whose summary names the source file, its hash and the line
 * range the batch covers. Nothing is visible before a batch's commit; a failed batch leaves the
 * table at its last commit (the engine deletes the files it wrote), and re-running the same files
 * resumes after the last committed batch.
 *
 * A batch whose records were all rejected still commits an append without files, so that its lines
 * count as done (a re-run neither repeats its dead letters nor reprocesses the file).
 *
 * That is the exact path, used for CSV and Parquet, and for NDJSON only when the fast path cannot
 * be (ingest-ndjson-file.ts: same batches, summaries, rows and dead letters, read by read_json with
 * only the records it cannot certify going through the exact checker), or when asked to
 * (`exactNdjson`).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { badInput } from "../core/errors.ts";
import type { Engine } from "../engine/duckdb.ts";
import { quoteIdentifier } from "../engine/sql/quoting.ts";
import { appendQuery } from "../engine/write/append-query.ts";
import type { Table } from "../table/table.ts";
import { appendDeadLetters, defaultDeadLetterPath } from "./dead-letters.ts";
import type { IngestFileResult, IngestOptions, IngestResult } from "./ingest-options.ts";
import { ingestNdjsonFile } from "./ingest-ndjson-file.ts";
import { type RunState, positiveInteger, report } from "./ingest-run.ts";
import { INGEST_SUMMARY, type IngestedSource, ingestedSources, isComplete, mergeRanges } from "./ingest-summary.ts";
import { type InputFile, resolveInputs } from "./input-files.ts";
import { fastReadApplies } from "./ndjson-fast-read.ts";
import { LINE, REASON, type RecordSource, SIZE, checkedRecordsSql } from "./record-checks.ts";
import { csvSource, ndjsonSource, parquetSource } from "./record-sources.ts";
import { sha256File } from "./source-hash.ts";

/** Default batch bound in input records. */
export const DEFAULT_BATCH_ROWS = 10_000_000;
/** Default batch bound in input bytes (1 GiB). */
export const DEFAULT_BATCH_BYTES = 1 << 30;

const BATCH = "__floe_batch";

interface BatchInfo {
  batch: bigint;
  last: bigint;
  valid: bigint;
  rejected: bigint;
  bytes: bigint;
}

async function recordSource(state: RunState, file: InputFile): Promise<RecordSource> {
  const schema = state.table.schema();
  switch (file.format) {
    case "ndjson":
      return ndjsonSource(file.path, schema);
    case "csv":
      return csvSource(state.engine, file.path, schema, { delimiter: state.options.csvDelimiter });
    case "parquet":
      return parquetSource(state.engine, file.path, schema, file.bytes);
  }
}

/**
 * Reads `inputs` (files, directories or globs) into `table`, one append snapshot per batch; see the
 * module comment. Rejected records go to the dead-letter file; the result counts everything so a
 * caller can fail when `rejected > 0`.
 */
export async function ingestFiles(
  engine: Engine,
  table: Table,
  inputs: string[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const batchRows = positiveInteger(options.batchRows, DEFAULT_BATCH_ROWS, "batchRows");
  const batchBytes = positiveInteger(options.batchBytes, DEFAULT_BATCH_BYTES, "batchBytes");
  if (options.csvDelimiter !== undefined && [...options.csvDelimiter].length !== 1)
    throw badInput(`ingest: the CSV delimiter must be one character, got "${options.csvDelimiter}"`);
  const files = await resolveInputs(inputs, options.format);
  await table.refresh();
  const history = options.force ? new Map<string, IngestedSource>() : ingestedSources(table.metadata);
  const state: RunState = {
    engine,
    table,
    options,
    batchRows,
    batchBytes,
    deadLetterPath: path.resolve(options.deadLetter ?? defaultDeadLetterPath(table.name())),
    wroteDeadLetters: false,
    bytesTotal: files.reduce((sum, f) => sum + f.bytes, 0),
    bytesDone: 0,
    rowsRead: 0,
    rowsCommitted: 0,
  };

  const perFile: IngestFileResult[] = [];
  const fastNdjson = !options.exactNdjson && fastReadApplies(table.schema());
  for (const file of files) {
    if (file.format === "ndjson" && fastNdjson) {
      perFile.push(await ingestNdjson(state, file, history));
      state.bytesDone += file.bytes;
      report(state, file.path, state.bytesDone);
      continue;
    }
    const sha256 = await sha256File(file.path);
    const known = history.get(sha256);
    if (known && isComplete(known)) {
      perFile.push({
        file: file.path,
        format: file.format,
        sha256,
        status: "skipped",
        read: 0,
        committed: 0,
        rejected: 0,
        batches: 0,
        snapshotIds: [],
      });
      state.bytesDone += file.bytes;
      report(state, file.path, state.bytesDone);
      continue;
    }
    perFile.push(await ingestFile(state, file, sha256, known));
    state.bytesDone += file.bytes;
    report(state, file.path, state.bytesDone);
  }

  const processed = perFile.filter((r) => r.status !== "skipped");
  const sum = (pick: (r: IngestFileResult) => number) => processed.reduce((total, r) => total + pick(r), 0);
  return {
    read: sum((r) => r.read),
    committed: sum((r) => r.committed),
    rejected: sum((r) => r.rejected),
    files: processed.length,
    skipped: perFile.length - processed.length,
    batches: sum((r) => r.batches),
    snapshots: sum((r) => r.snapshotIds.length),
    deadLetterPath: state.wroteDeadLetters ? state.deadLetterPath : null,
    perFile,
  };
}

/**
 * An NDJSON file through the fast path (ingest-ndjson-file.ts); when read_json cannot read a piece
 * of it, through the exact path, which resumes after the batches the fast path committed.
 */
async function ingestNdjson(
  state: RunState,
  file: InputFile,
  history: Map<string, IngestedSource>,
): Promise<IngestFileResult> {
  const outcome = await ingestNdjsonFile(state, file, history);
  if ("result" in outcome) return outcome.result;
  const { sha256, partial } = outcome.exact;
  await state.table.refresh();
  const known = ingestedSources(state.table.metadata).get(sha256);
  if (known && isComplete(known)) return partial.batches > 0 ? partial : { ...partial, status: "skipped" };
  const rest = await ingestFile(state, file, sha256, known);
  return {
    ...rest,
    status: partial.batches > 0 ? "ingested" : rest.status,
    read: partial.read + rest.read,
    committed: partial.committed + rest.committed,
    rejected: partial.rejected + rest.rejected,
    batches: partial.batches + rest.batches,
    snapshotIds: [...partial.snapshotIds, ...rest.snapshotIds],
  };
}

/** Stages, checks and commits one file, batch by batch (the exact path). */
async function ingestFile(
  state: RunState,
  file: InputFile,
  sha256: string,
  known: IngestedSource | undefined,
): Promise<IngestFileResult> {
  const { engine, table } = state;
  const schema = table.schema();
  const source = await recordSource(state, file);
  const stage = quoteIdentifier(`floe_ingest_${randomUUID().replaceAll("-", "")}`);
  // Lines an earlier run already committed (it died between batches) are left out.
  const done = known ? mergeRanges(known.ranges) : [];
  const where =
    done.length === 0 ? "" : `WHERE NOT (${done.map((r) => `${LINE} BETWEEN ${r.first} AND ${r.last}`).join(" OR ")})`;
  const result: IngestFileResult = {
    file: file.path,
    format: file.format,
    sha256,
    status: known ? "resumed" : "ingested",
    read: 0,
    committed: 0,
    rejected: 0,
    batches: 0,
    snapshotIds: [],
  };
  try {
    // A record's batch: whichever bound (records or bytes, counted in line order) it crosses first.
    await engine.run(
      `CREATE TEMP TABLE ${stage} AS
       SELECT *, greatest((row_number() OVER w - 1) // ${state.batchRows}, (sum(${SIZE}) OVER w - ${SIZE}) // ${state.batchBytes}) AS ${BATCH}
       FROM (${checkedRecordsSql(schema, source)}) AS floe_records ${where}
       WINDOW w AS (ORDER BY ${LINE} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`,
    );
    const batches = await engine.all<BatchInfo>(
      `SELECT ${BATCH} AS batch, max(${LINE}) AS last, count(*) FILTER (WHERE ${REASON} IS NULL) AS valid,
         count(*) FILTER (WHERE ${REASON} IS NOT NULL) AS rejected, CAST(sum(${SIZE}) AS BIGINT) AS bytes
       FROM ${stage} GROUP BY ${BATCH} ORDER BY ${BATCH}`,
    );
    const totalRecords = batches.reduce((total, b) => total + Number(b.valid + b.rejected), 0);
    const totalBytes = batches.reduce((total, b) => total + Number(b.bytes), 0);
    state.rowsRead += totalRecords;
    result.read = totalRecords;
    const fileStart = state.bytesDone;
    report(state, file.path, fileStart);

    const lastLine = Math.max(known?.lastLine ?? 0, ...batches.map((b) => Number(b.last)));
    const columns = schema.fields.map((field) => quoteIdentifier(field.name)).join(", ");
    let previousLast = 0;
    let bytesSoFar = 0;
    for (const [index, batch] of batches.entries()) {
      const isLast = index === batches.length - 1;
      const range = { first: previousLast + 1, last: isLast ? lastLine : Number(batch.last) };
      previousLast = range.last;
      const inBatch = `${BATCH} = ${batch.batch}`;
      if (batch.rejected > 0n) {
        await appendDeadLetters(engine, state.deadLetterPath, {
          tableName: table.name(),
          source: file.path,
          positionName: file.format === "parquet" ? "row" : "line",
          stage,
          where: inBatch,
        });
        state.wroteDeadLetters = true;
      }
      const summary: Record<string, string> = {
        [INGEST_SUMMARY.sourceFile]: file.path,
        [INGEST_SUMMARY.sourceSha256]: sha256,
        [INGEST_SUMMARY.sourceLines]: `${range.first}-${range.last}`,
        [INGEST_SUMMARY.sourceLastLine]: String(lastLine),
        [INGEST_SUMMARY.sourceBytes]: String(file.bytes),
        [INGEST_SUMMARY.batch]: `${index + 1}/${batches.length}`,
        [INGEST_SUMMARY.rejectedRecords]: String(batch.rejected),
      };
      const snapshotId = await commitBatch(
        state,
        `SELECT ${columns} FROM ${stage} WHERE ${inBatch} AND ${REASON} IS NULL`,
        batch,
        summary,
      );
      result.snapshotIds.push(snapshotId);
      result.batches++;
      result.committed += Number(batch.valid);
      result.rejected += Number(batch.rejected);
      state.rowsCommitted += Number(batch.valid);
      bytesSoFar += Number(batch.bytes);
      report(state, file.path, fileStart + (totalBytes === 0 ? 0 : Math.round((bytesSoFar / totalBytes) * file.bytes)));
    }
    return result;
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
  }
}

/** Commits one batch: its valid records through the engine's write path, or an empty append when it has none. */
async function commitBatch(
  state: RunState,
  query: string,
  batch: BatchInfo,
  summary: Record<string, string>,
): Promise<bigint> {
  const { engine, table } = state;
  if (batch.valid > 0n) {
    const appended = await appendQuery(engine, table, query, {
      summary,
      targetFileSizeBytes: state.options.targetFileSizeBytes,
    });
    if (appended.snapshotId !== null) return appended.snapshotId;
  }
  const action = table.newAppend();
  for (const [key, value] of Object.entries(summary)) action.set(key, value);
  await action.commit();
  const current = table.currentSnapshot();
  if (!current) throw badInput(`ingest: table ${table.name()} has no snapshot after committing a batch`);
  return current["snapshot-id"];
}
