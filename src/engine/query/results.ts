/**
 * Query results: as JavaScript rows for callers that asked for them (exact bigints for 64-bit
 * integers, see engine values.ts), or exported straight from DuckDB to Parquet, CSV or JSON with
 * COPY, so large results never pass through JavaScript. JSON export writes one array of row
 * objects; DuckDB prints BIGINT values as exact integer literals (9007199254740993 stays itself).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createReadStream } from "node:fs";
import { badInput } from "../../core/errors.ts";
import type { FileIO } from "../../io/file-io.ts";
import type { Engine, EngineRow } from "../duckdb.ts";
import { localPathOf } from "../read/file-cache.ts";
import { quoteString } from "../read/sql-text.ts";

/** The formats exportQuery writes. */
export type ExportFormat = "parquet" | "csv" | "json";

/** Where and how to export. */
export interface ExportOptions {
  format: ExportFormat;
  /** A local path, or (with `io`) any location FileIO can write. */
  output: string;
  /** Needed for non-local outputs: the file is written locally, then uploaded through it. */
  io?: FileIO;
}

/** Rows of a query as objects keyed by column name. */
export async function queryToRows(engine: Engine, sql: string): Promise<EngineRow[]> {
  return engine.all(sql);
}

const COPY_OPTIONS: Record<ExportFormat, string> = {
  parquet: "FORMAT parquet, COMPRESSION zstd",
  csv: "FORMAT csv, HEADER true",
  json: "FORMAT json, ARRAY true",
};

/** Writes the result of `sql` to `options.output`; resolves to the number of rows written. */
export async function exportQuery(engine: Engine, sql: string, options: ExportOptions): Promise<bigint> {
  const copyOptions = COPY_OPTIONS[options.format];
  if (!copyOptions) throw badInput(`unknown export format ${String(options.format)} (use parquet, csv or json)`);
  const local = localPathOf(options.output);
  if (local !== undefined) return copy(engine, sql, local, copyOptions);
  if (!options.io)
    throw badInput(`exporting to ${options.output} needs a FileIO (only local paths are written directly)`);
  const dir = mkdtempSync(path.join(tmpdir(), "floe-export-"));
  try {
    const file = path.join(dir, `export.${options.format}`);
    const rows = await copy(engine, sql, file, copyOptions);
    await options.io.writeStream(options.output, createReadStream(file) as AsyncIterable<Uint8Array>, {
      overwrite: true,
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function copy(engine: Engine, sql: string, file: string, copyOptions: string): Promise<bigint> {
  const rows = await engine.all<{ Count: bigint }>(`COPY (${sql}) TO ${quoteString(file)} (${copyOptions})`);
  return BigInt(rows[0]?.Count ?? 0n);
}
