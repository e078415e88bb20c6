/**
 * `floe clicks generate` (synthetic clicks to NDJSON, CSV or Parquet files) and `floe clicks load`
 * (synthetic clicks straight into an Iceberg table, one snapshot per day). Both are deterministic:
 * the same flags give the same rows. Click, engine and progress modules load when a command runs.
 */
import type { Command } from "commander";
import type { Catalog, TableIdentifier } from "../../catalog/catalog.ts";
import { formatTableIdentifier, parseTableIdentifier } from "../../catalog/identifiers.ts";
import { badInput } from "../../core/errors.ts";
import type { ClickFileFormat } from "../../clicks/generate.ts";
import type { LoadClicksResult } from "../../clicks/load.ts";
import type { Engine } from "../../engine/duckdb.ts";
import { formatBytes } from "../../ingest/progress.ts";
import { withContext } from "./run.ts";
import { positiveIntegerFlag, withEngine } from "./sql.ts";

/** The default clicks table (clicks.schema's CLICKS_TABLE, spelled out so help needs no import). */
export const DEFAULT_CLICKS_TABLE = "clicks.events";

/** Defaults of the generator flags. */
export const CLICK_DEFAULTS = {
  days: 1,
  perDay: 100_000,
  start: "2025-01-01",
  elements: 100_000,
  seed: 42,
} as const;

/** The generator flags as commander hands them over. */
interface GeneratorFlags {
  days: string;
  perDay: string;
  start: string;
  elements: string;
  seed: string;
  users?: string;
}

/** The generator inputs of parsed flags. */
export interface GeneratorInputs {
  days: number;
  perDay: number;
  start: string;
  elements: number;
  seed: number;
  users?: number;
}

function seedFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw badInput(`--seed must be a non-negative integer, got "${value}"`);
  return n;
}

function generatorInputs(flags: GeneratorFlags): GeneratorInputs {
  return {
    days: positiveIntegerFlag(flags.days, "--days"),
    perDay: positiveIntegerFlag(flags.perDay, "--per-day"),
    start: flags.start,
    elements: positiveIntegerFlag(flags.elements, "--elements"),
    seed: seedFlag(flags.seed),
    users: flags.users === undefined ? undefined : positiveIntegerFlag(flags.users, "--users"),
  };
}

function addGeneratorOptions(command: Command): Command {
  return command
    .option("--days <n>", "number of consecutive days", String(CLICK_DEFAULTS.days))
    .option("--per-day <n>", "clicks per day", String(CLICK_DEFAULTS.perDay))
    .option("--start <YYYY-MM-DD>", "first day", CLICK_DEFAULTS.start)
    .option("--elements <k>", "distinct element ids (Zipf-like popularity)", String(CLICK_DEFAULTS.elements))
    .option("--seed <s>", "seed: the same flags give the same rows", String(CLICK_DEFAULTS.seed))
    .option("--users <n>", "user population (default: max(1000, per-day / 5))");
}

/** "N rows/s" of a count over milliseconds. */
const rate = (rows: bigint | number, ms: number) => Math.round(Number(rows) / Math.max(ms / 1000, 0.001));

/** Loads clicks into `table` with a progress bar on a TTY; returns the result. */
export async function loadClicksWithProgress(
  engine: Engine,
  catalog: Catalog,
  identifier: TableIdentifier,
  inputs: GeneratorInputs,
): Promise<LoadClicksResult> {
  const [{ createClicksTable }, { loadClicks }, { createDayProgress }] = await Promise.all([
    import("../../clicks/schema.ts"),
    import("../../clicks/load.ts"),
    import("../progress.ts"),
  ]);
  const table = await createClicksTable(catalog, identifier);
  const progress = createDayProgress({
    enabled: Boolean(process.stderr.isTTY),
    days: inputs.days,
    label: formatTableIdentifier(identifier),
  });
  try {
    return await loadClicks(engine, table, {
      ...inputs,
      onProgress: (rowsDone, _bytes, p) => progress.update(p.daysDone, rowsDone, p.day),
    });
  } finally {
    progress.stop();
  }
}

/** The one-line summary of a load: rows, files, bytes, seconds, rows/s. */
export function loadSummary(table: string, result: LoadClicksResult): string {
  return `loaded ${result.rows} rows into ${table}: ${result.files} files, ${result.bytes} bytes (${formatBytes(
    Number(result.bytes),
  )}), ${(result.ms / 1000).toFixed(2)} s, ${rate(result.rows, result.ms)} rows/s`;
}

/** Registers `floe clicks generate` and `floe clicks load`. */
export function registerClicksCommands(program: Command): void {
  const clicks = program.command("clicks").description("synthetic click-stream data: generate files or load a table");

  addGeneratorOptions(
    clicks
      .command("generate")
      .description("write synthetic clicks to NDJSON, CSV or Parquet files (one per day in a directory, or one file)"),
  )
    .option("--format <format>", "ndjson | csv | parquet", "parquet")
    .requiredOption(
      "--out <path>",
      "a directory (one file per day: clicks-YYYY-MM-DD.<ext>) or a file ending in the format's extension",
    )
    .action((flags: GeneratorFlags & { format: string; out: string }, command: Command) =>
      withContext(command, async ({ output }) => {
        const inputs = generatorInputs(flags);
        const started = performance.now();
        const { generateClicks } = await import("../../clicks/generate.ts");
        const result = await withEngine((engine) =>
          generateClicks(engine, { ...inputs, format: flags.format as ClickFileFormat, out: flags.out }),
        );
        const ms = performance.now() - started;
        output.done(
          `wrote ${result.rows} rows to ${result.files.length} ${flags.format} files, ${result.bytes} bytes (${formatBytes(
            result.bytes,
          )}), ${(ms / 1000).toFixed(2)} s, ${rate(result.rows, ms)} rows/s`,
          { rows: result.rows, bytes: result.bytes, seconds: ms / 1000, files: result.files },
        );
      }),
    );

  addGeneratorOptions(
    clicks
      .command("load")
      .description(
        "generate clicks into an Iceberg table (created with the clicks layout if missing), one snapshot per day",
      ),
  )
    .option("--table <ns.table>", "the table to load", DEFAULT_CLICKS_TABLE)
    .action((flags: GeneratorFlags & { table: string }, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const inputs = generatorInputs(flags);
        const identifier = parseTableIdentifier(flags.table);
        const result = await withEngine(async (engine) =>
          loadClicksWithProgress(engine, await catalog(), identifier, inputs),
        );
        output.done(loadSummary(formatTableIdentifier(identifier), result), {
          table: formatTableIdentifier(identifier),
          rows: result.rows,
          files: result.files,
          bytes: result.bytes,
          seconds: result.ms / 1000,
          rowsPerSecond: rate(result.rows, result.ms),
          snapshots: result.days.map((d) => d.snapshotId),
        });
      }),
    );
}
