/**
 * Checks and writes one piece of NDJSON input (a whole file, one batch of it, or one batch of a
 * stream) the fast way, leaving only what the fast reader cannot certify to the exact checker:
 *
 * 1. The certified records (ndjson-fast-read.ts) are written as data files through the engine's
 *    write path in one parallel pass from read_json to sorted Parquet; nothing is committed here.
 * 2. When the piece is plain (ndjson-layout.ts) and every line was written, that is all: the common
 *    case costs one read. Otherwise the uncertified records are found with their positions (a
 *    serial read, so only then), their line texts fetched, and the exact checker (record-checks.ts)
 *    gives each its values or its reason. Its valid records, if any, are written together with the
 *    certified ones in place of the first files (one sorted write again, so files keep the table's
 *    layout); its rejected records are the dead letters.
 *
 * A piece that is not known plain is first sanitized (ndjson-sanitize.ts); if read_json fails on a
 * plain piece (a malformed line), it is sanitized and read again; if it fails on a sanitized piece
 * (duplicate keys, say) the caller checks the piece with the exact checker alone.
 */
import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { FloeError, validation } from "../core/errors.ts";
import type { Engine } from "../engine/duckdb.ts";
import { quoteIdentifier } from "../engine/sql/quoting.ts";
import { dataLocation } from "../engine/write/append-query.ts";
import { writeDataFiles } from "../engine/write/write-data-files.ts";
import type { DataFile } from "../manifest/types.ts";
import type { Table } from "../table/table.ts";
import { certifiedRecordsSql, uncertifiedRecordsSql } from "./ndjson-fast-read.ts";
import { sanitizeNdjson } from "./ndjson-sanitize.ts";
import { LINE, REASON, checkedRecordsSql } from "./record-checks.ts";
import { ndjsonLinesSource, readLines } from "./record-sources.ts";

/** A piece of NDJSON input in a file. */
export interface NdjsonChunk {
  file: string;
  /** Line k of the file is line k + lineOffset of the input. */
  lineOffset: number;
  /**
   * "plain": a plain file (ndjson-layout.ts) of `lines` lines; "sanitized": written by
   * sanitizeNdjson (or a piece of such a copy); "raw": anything else.
   */
  kind: "plain" | "sanitized" | "raw";
  lines?: number;
}

/** The outcome of checkNdjsonChunk: data files written but not committed, and the counts. */
export interface CheckedChunk {
  files: DataFile[];
  valid: number;
  rejected: number;
  /** A temp table with LINE, REASON and RECORD holding the rejected records, or null. */
  rejects: string | null;
  /** Drops the temp tables and files of the check (not the data files). */
  release(): Promise<void>;
}

/** Options of checkNdjsonChunk. */
export interface ChunkOptions {
  /** Where temporary copies go. */
  tempDirectory: string;
  /** Overrides the table's write.target-file-size-bytes. */
  targetFileSizeBytes?: number;
}

/** Whether an engine error is read_json refusing the input (malformed JSON, duplicate keys, ...). */
export function isReadFailure(error: unknown): boolean {
  return error instanceof FloeError && error.kind === "bad-input" && /Invalid Input Error/.test(error.message);
}

/** Writes the certified records of a plain file: step 1 alone (see the module comment). */
export function writeCertified(engine: Engine, table: Table, file: string, options: ChunkOptions): Promise<DataFile[]> {
  return writeDataFiles(
    engine,
    table.io,
    writeOptions(table, certifiedRecordsSql(file, table.schema(), false), options),
  );
}

function writeOptions(table: Table, source: string, options: ChunkOptions) {
  return {
    source,
    schema: table.schema(),
    spec: table.spec(),
    sortOrder: table.sortOrder(),
    location: dataLocation(table),
    targetFileSizeBytes: options.targetFileSizeBytes,
    properties: table.properties(),
  };
}

/**
 * Checks `chunk` against the table's schema and writes its valid records; see the module comment.
 * `written`: for a plain chunk, the files writeCertified already wrote for it. Returns null when
 * read_json cannot read the piece even sanitized (nothing is left behind then).
 */
export async function checkNdjsonChunk(
  engine: Engine,
  table: Table,
  chunk: NdjsonChunk,
  options: ChunkOptions,
  written?: DataFile[],
): Promise<CheckedChunk | null> {
  const schema = table.schema();
  const tempFiles: string[] = [];
  const tempTables: string[] = [];
  const release = async () => {
    for (const name of tempTables) await engine.run(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
    for (const file of tempFiles) await rm(file, { force: true });
  };
  const write = (source: string) => writeDataFiles(engine, table.io, writeOptions(table, source, options));
  const sanitize = async () => {
    const copy = await sanitizeNdjson(engine, chunk.file, options.tempDirectory);
    tempFiles.push(copy);
    return copy;
  };
  const tempTable = () => {
    const name = quoteIdentifier(`floe_ingest_${randomUUID().replaceAll("-", "")}`);
    tempTables.push(name);
    return name;
  };

  let files: DataFile[] | undefined = written;
  try {
    let source = chunk.kind === "raw" ? await sanitize() : chunk.file;
    let plain = chunk.kind === "plain";
    for (;;) {
      try {
        files ??= await write(certifiedRecordsSql(source, schema, !plain));
        break;
      } catch (error) {
        if (!isReadFailure(error)) throw error;
        if (!plain) {
          await release();
          return null;
        }
        source = await sanitize();
        plain = false;
      }
    }
    const certified = Number(files.reduce((sum, f) => sum + f.recordCount, 0n));
    if (plain && certified === chunk.lines) return { files, valid: certified, rejected: 0, rejects: null, release };

    // The records the fast reader could not certify, with their line texts, through the exact checker.
    const uncertified = tempTable();
    await engine.run(`CREATE TEMP TABLE ${uncertified} AS ${uncertifiedRecordsSql(source, schema, !plain)}`);
    const [{ unplaced }] = await engine.all<{ unplaced: bigint }>(
      `SELECT count(*) AS unplaced FROM ${uncertified} WHERE skip IS NULL`,
    );
    const lines =
      unplaced === 0n
        ? `(SELECT n + ${chunk.lineOffset} AS ${LINE}, text AS __floe_text FROM ${uncertified})`
        : `(SELECT u.n + ${chunk.lineOffset} AS ${LINE}, coalesce(u.text, l.line) AS __floe_text
            FROM ${uncertified} AS u LEFT JOIN (SELECT ordinality AS n, line FROM ${readLines(source)} WITH ORDINALITY) AS l
              ON u.skip IS NULL AND l.n = u.n)`;
    const stage = tempTable();
    await engine.run(`CREATE TEMP TABLE ${stage} AS ${checkedRecordsSql(schema, ndjsonLinesSource(lines, schema))}`);
    const [counts] = await engine.all<{ valid: bigint; rejected: bigint }>(
      `SELECT count(*) FILTER (WHERE ${REASON} IS NULL) AS valid, count(*) FILTER (WHERE ${REASON} IS NOT NULL) AS rejected
       FROM ${stage}`,
    );
    const valid = Number(counts.valid);
    const rejected = Number(counts.rejected);
    // Each line of a plain piece is one record: certified, or checked by the exact checker.
    if (plain && certified + valid + rejected !== chunk.lines) {
      throw validation(
        `ingest: ${chunk.file}: ${chunk.lines} lines but ${certified} certified and ${valid + rejected} checked records`,
      );
    }
    if (valid > 0) {
      const first = files;
      files = undefined;
      await table.io.deleteMany(first.map((f) => f.filePath));
      const columns = schema.fields.map((field) => quoteIdentifier(field.name)).join(", ");
      files = await write(
        `${certifiedRecordsSql(source, schema, !plain)} UNION ALL SELECT ${columns} FROM ${stage} WHERE ${REASON} IS NULL`,
      );
    }
    return { files, valid: certified + valid, rejected, rejects: rejected > 0 ? stage : null, release };
  } catch (error) {
    // Nothing references the data files yet.
    if (files) await table.io.deleteMany(files.map((f) => f.filePath)).catch(() => undefined);
    await release();
    throw error;
  }
}
