/**
 * `floe sql`: a SELECT over catalog tables (`ns.table`, with DuckDB's AT clause for time travel)
 * and `iceberg_scan(...)`, planned by floe and run by DuckDB. Also the result writer shared by
 * `floe query`: csv, parquet and json results go from DuckDB straight to a file with COPY (to
 * stdout through a temporary file), so rows pass through JavaScript only for the `table` format,
 * which prints at most `--limit` rows.
 *
 * The engine and the click modules are imported when a command runs, not when the program is
 * built, so commands that never touch DuckDB start without loading it.
 */
import { once } from "node:events";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import { toBigInt } from "../../core/json.ts";
import type { Engine } from "../../engine/duckdb.ts";
import type { ExportFormat } from "../../engine/sql-query.ts";
import type { SnapshotSelector } from "../../scan/snapshot-selection.ts";
import type { Context } from "../context.ts";
import { formatTable } from "../output.ts";
import { parseTimestampMs } from "../timestamps.ts";
import { withContext } from "./run.ts";

/** Output formats of query results. */
export type ResultFormat = "table" | ExportFormat;

const RESULT_FORMATS: readonly ResultFormat[] = ["table", "json", "csv", "parquet"];

/** Rows the table format prints unless --limit says otherwise. */
export const DEFAULT_TABLE_LIMIT = 100;

/** The result flags as commander hands them over. */
export interface ResultFlags {
  format?: string;
  output?: string;
  limit?: string;
}

/** What writing a result produced. */
export interface ResultWritten {
  format: ResultFormat;
  /** Rows written (table format: rows printed). */
  rows: bigint;
  /** Table format only: more rows exist than were printed. */
  truncated: boolean;
  /** Wall time of running the query and writing its result. */
  executionMs: number;
}

/** Adds --format, --output and --limit to a command that prints query results. */
export function addResultOptions(command: Command): Command {
  return command
    .option("--format <format>", "table | json | csv | parquet (default: table, or json with --json)")
    .option("--output <file>", "write the result to FILE (local path or s3://...) instead of stdout")
    .option("--limit <n>", `table format only: print at most N rows (default ${DEFAULT_TABLE_LIMIT})`);
}

/** The format the flags ask for (default: table, or json under the global --json). */
export function resultFormat(flags: ResultFlags, json: boolean): ResultFormat {
  const format = flags.format ?? (json ? "json" : "table");
  if (!RESULT_FORMATS.includes(format as ResultFormat))
    throw badInput(`--format must be one of ${RESULT_FORMATS.join(", ")}, got "${format}"`);
  return format as ResultFormat;
}

/** Parses a positive integer flag. */
export function positiveIntegerFlag(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw badInput(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

/** Writes a file's bytes to stdout, waiting for the pipe when it is full. */
async function streamToStdout(file: string): Promise<void> {
  for await (const chunk of createReadStream(file)) {
    if (!process.stdout.write(chunk as Uint8Array)) await once(process.stdout, "drain");
  }
}

async function writeText(text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    if (!process.stdout.write(`${text}\n`)) await once(process.stdout, "drain");
    return;
  }
  const stream = createWriteStream(output);
  stream.end(`${text}\n`);
  await once(stream, "finish");
}

/** Prints at most `limit` rows as an aligned table; DuckDB renders every value as text. */
async function writeTable(engine: Engine, sql: string, limit: number, output: string | undefined) {
  const rows = await engine.all<Record<string, string | null>>(
    `SELECT COLUMNS(*)::VARCHAR FROM (${sql}) AS floe_result LIMIT ${limit + 1}`,
  );
  const truncated = rows.length > limit;
  const shown = truncated ? rows.slice(0, limit) : rows;
  const footer = truncated
    ? `(first ${limit} rows; more exist: raise --limit or use --format csv|json|parquet)`
    : `(${shown.length} ${shown.length === 1 ? "row" : "rows"})`;
  const table = shown.length > 0 ? `${formatTable(shown)}\n` : "";
  await writeText(`${table}${footer}`, output);
  return { rows: BigInt(shown.length), truncated };
}

/**
 * Runs `sql` and writes its result as the flags ask: to --output or stdout, in --format. Returns
 * the rows written and the execution time.
 */
export async function writeResult(
  engine: Engine,
  context: Context,
  sql: string,
  flags: ResultFlags,
): Promise<ResultWritten> {
  const format = resultFormat(flags, context.output.json);
  if (flags.limit !== undefined && format !== "table")
    throw badInput(`--limit applies to the table format only; got --format ${format}`);
  const started = performance.now();
  const done = (rows: bigint, truncated = false): ResultWritten => ({
    format,
    rows,
    truncated,
    executionMs: performance.now() - started,
  });
  if (format === "table") {
    if (flags.output !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(flags.output))
      throw badInput(
        `the table format writes local files only, got --output ${flags.output} (use csv, json or parquet)`,
      );
    const limit = flags.limit === undefined ? DEFAULT_TABLE_LIMIT : positiveIntegerFlag(flags.limit, "--limit");
    const { rows, truncated } = await writeTable(engine, sql, limit, flags.output);
    return done(rows, truncated);
  }
  const { exportQuery } = await import("../../engine/sql-query.ts");
  if (flags.output !== undefined) {
    const rows = await exportQuery(engine, sql, { format, output: flags.output, io: context.io });
    return done(rows);
  }
  if (format === "parquet" && process.stdout.isTTY)
    throw badInput("refusing to write Parquet to a terminal: pass --output FILE or redirect stdout");
  const dir = mkdtempSync(path.join(tmpdir(), "floe-result-"));
  try {
    const file = path.join(dir, `result.${format}`);
    const rows = await exportQuery(engine, sql, { format, output: file });
    await streamToStdout(file);
    return done(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `body` with the process-wide engine and closes it afterwards (its temp files go with it). */
export async function withEngine<T>(body: (engine: Engine) => Promise<T>): Promise<T> {
  const { defaultEngine } = await import("../../engine/duckdb.ts");
  const engine = await defaultEngine();
  try {
    return await body(engine);
  } finally {
    engine.close();
  }
}

/** --as-of as epoch milliseconds (see parseTimestampMs for the accepted forms). */
export const parseAsOf = (value: string): number =>
  parseTimestampMs(value, "--as-of", "a timestamp (e.g. 2025-01-31T12:00:00Z) or epoch ms");

/** The snapshot selector of --snapshot / --as-of / --ref (at most one of them). */
export function snapshotSelector(flags: { snapshot?: string; asOf?: string; ref?: string }): SnapshotSelector {
  const given = [flags.snapshot && "--snapshot", flags.asOf && "--as-of", flags.ref && "--ref"].filter(Boolean);
  if (given.length > 1) throw badInput(`choose one of --snapshot, --as-of and --ref, got ${given.join(" and ")}`);
  if (flags.snapshot !== undefined) return { snapshotId: toBigInt(flags.snapshot, "--snapshot") };
  if (flags.asOf !== undefined) return { asOfTimestampMs: parseAsOf(flags.asOf) };
  if (flags.ref !== undefined) return { ref: flags.ref };
  return {};
}

interface SqlFlags extends ResultFlags {
  snapshot?: string;
  asOf?: string;
  ref?: string;
}

/** Registers `floe sql`. */
export function registerSqlCommand(program: Command): void {
  const command = program
    .command("sql <query>")
    .description(
      "run a SELECT over catalog tables (ns.table, time travel per table with AT (VERSION => id|'ref') or AT (TIMESTAMP => '...')) and iceberg_scan('<path>' [, snapshot_id => N] [, allow_moved_paths => true])",
    )
    .option("--snapshot <id>", "read every catalog table at this snapshot id")
    .option(
      "--as-of <timestamp>",
      "read every catalog table as of this time (ISO timestamp, UTC unless offset; or epoch ms)",
    )
    .option("--ref <name>", "read every catalog table at this branch or tag");
  addResultOptions(command).action((query: string, flags: SqlFlags, cmd: Command) =>
    withContext(cmd, async (context) => {
      const selector = snapshotSelector(flags);
      const catalog = await context.catalog();
      const { planSql } = await import("../../engine/sql-query.ts");
      await withEngine(async (engine) => {
        const planned = await planSql(engine, catalog, query, { ...selector, io: context.io });
        const written = await writeResult(engine, context, planned, flags);
        if (flags.output !== undefined)
          context.output.done(`wrote ${written.rows} rows to ${flags.output} (${written.format})`, {
            rows: written.rows,
            output: flags.output,
            format: written.format,
          });
      });
    }),
  );
}
