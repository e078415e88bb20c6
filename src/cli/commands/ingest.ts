/**
 * `floe ingest <ns.table> <file or glob>...`: NDJSON, CSV or Parquet files into an existing
 * table, with record checks, a dead-letter file for rejected records and batched commits.
 * `floe ingest <ns.table> -` reads NDJSON (or CSV) from stdin instead, committing a batch when it
 * reaches --batch-rows, when --max-latency has passed since its first record, and at the end.
 * Exits with INGEST_REJECTS_EXIT_CODE when records were rejected, unless --allow-rejects: the
 * valid records are committed either way, but a script must notice the rejects. The ingest and
 * table modules load when the command runs.
 */
import type { Command } from "commander";
import { parseTableIdentifier } from "../../catalog/identifiers.ts";
import { badInput } from "../../core/errors.ts";
import type { IngestFormat } from "../../ingest/record-sources.ts";
import type { Table } from "../../table/table.ts";
import { withContext } from "./run.ts";
import { positiveIntegerFlag, withEngine } from "./sql.ts";

/** Exit code of an ingest that rejected records (without --allow-rejects); distinct from every error kind's. */
export const INGEST_REJECTS_EXIT_CODE = 11;

const INGEST_FORMATS: readonly IngestFormat[] = ["ndjson", "csv", "parquet"];

interface IngestFlags {
  format?: string;
  deadLetter?: string;
  allowRejects?: boolean;
  batchRows?: string;
  maxLatency?: string;
  delimiter?: string;
  force?: boolean;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration flag in milliseconds: "500" (ms), "500ms", "2s", "1.5m", "1h". */
export function parseDurationMs(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) throw badInput(`${flag} must be a duration such as 500, 500ms, 2s or 1m, got "${value}"`);
  return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? "ms"]);
}

/** Registers `floe ingest`. */
export function registerIngestCommand(program: Command): void {
  program
    .command("ingest <table> <inputs...>")
    .description(
      `ingest NDJSON, CSV or Parquet files (paths or globs: *, ?, **, [abc], {a,b}) into a table, or NDJSON/CSV from stdin with "-"; exits ${INGEST_REJECTS_EXIT_CODE} when records were rejected unless --allow-rejects`,
    )
    .addHelpText(
      "after",
      `
Files already in the table's history (same content hash) are skipped. Stdin ("-")
has no content hash: sending the same records twice commits them twice. Its
rejected records name the source "stdin" and their line in the stream.
`,
    )
    .option("--format <format>", "ndjson | csv | parquet (default: by each file's extension; ndjson for stdin)")
    .option(
      "--dead-letter <path>",
      "NDJSON file rejected records are appended to (default ./floe-dead-letters/<table>-<time>.ndjson)",
    )
    .option("--allow-rejects", `exit 0 even when records were rejected (default: exit ${INGEST_REJECTS_EXIT_CODE})`)
    .option("--batch-rows <n>", "commit at most about N input records per snapshot (default 10,000,000)")
    .option(
      "--max-latency <duration>",
      "stdin only: commit a batch at the latest this long after its first record (500, 500ms, 2s, 1m; default: at --batch-rows or the end)",
    )
    .option("--delimiter <char>", "CSV field delimiter (default ,)")
    .option("--force", "re-ingest files whose content is already in the table's history")
    .action((name: string, inputs: string[], flags: IngestFlags, command: Command) =>
      withContext(command, async (context) => {
        if (flags.format !== undefined && !INGEST_FORMATS.includes(flags.format as IngestFormat))
          throw badInput(`--format must be one of ${INGEST_FORMATS.join(", ")}, got "${flags.format}"`);
        const fromStdin = inputs.length === 1 && inputs[0] === "-";
        if (inputs.includes("-") && !fromStdin) throw badInput('ingest: "-" (stdin) cannot be mixed with files');
        if (flags.maxLatency !== undefined && !fromStdin) throw badInput("--max-latency applies to stdin (-) only");
        const batchRows =
          flags.batchRows === undefined ? undefined : positiveIntegerFlag(flags.batchRows, "--batch-rows");
        const { Table } = await import("../../table/table.ts");
        const table = await Table.load(await context.catalog(), parseTableIdentifier(name));
        const outcome = fromStdin
          ? await ingestStdin(table, flags, batchRows)
          : await ingestFilesCommand(name, table, inputs, flags, batchRows);
        const { output } = context;
        if (output.json) output.object(outcome.counts);
        else for (const line of outcome.lines) output.done(line);
        if (outcome.rejected > 0 && !flags.allowRejects) {
          process.stderr.write(
            `error (rejects): ${outcome.rejected} records of ${name} were rejected (see ${outcome.deadLetter}); pass --allow-rejects to accept\n`,
          );
          process.exitCode = INGEST_REJECTS_EXIT_CODE;
        }
      }),
    );
}

/** What the command prints: the JSON counts, or text lines. */
interface IngestOutcome {
  counts: Record<string, unknown>;
  lines: string[];
  rejected: number;
  deadLetter: string | null;
}

async function ingestFilesCommand(
  name: string,
  table: Table,
  inputs: string[],
  flags: IngestFlags,
  batchRows: number | undefined,
): Promise<IngestOutcome> {
  const [{ ingestFiles }, { createProgressReporter }] = await Promise.all([
    import("../../ingest/ingest-files.ts"),
    import("../../ingest/progress.ts"),
  ]);
  const progress = createProgressReporter({ enabled: Boolean(process.stderr.isTTY), label: name });
  const started = performance.now();
  const result = await withEngine(async (engine) => {
    try {
      return await ingestFiles(engine, table, inputs, {
        format: flags.format as IngestFormat | undefined,
        deadLetter: flags.deadLetter,
        batchRows,
        csvDelimiter: flags.delimiter,
        force: flags.force,
        onProgress: progress.onProgress,
      });
    } finally {
      progress.stop();
    }
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    counts: {
      table: name,
      read: result.read,
      committed: result.committed,
      rejected: result.rejected,
      files: result.files,
      skippedFiles: result.skipped,
      snapshots: result.snapshots,
      deadLetter: result.deadLetterPath,
      seconds: Number(seconds.toFixed(3)),
    },
    lines: [
      `ingested ${name}: ${result.read} read, ${result.committed} committed, ${result.rejected} rejected, ` +
        `${result.files} files, ${result.skipped} skipped files, ${result.snapshots} snapshots, ${seconds.toFixed(2)} s`,
      ...(result.deadLetterPath ? [`rejected records: ${result.deadLetterPath}`] : []),
    ],
    rejected: result.rejected,
    deadLetter: result.deadLetterPath,
  };
}

/** `-`: NDJSON or CSV from stdin, committed per batch; a line per batch on stderr when it is a terminal. */
async function ingestStdin(table: Table, flags: IngestFlags, batchRows: number | undefined): Promise<IngestOutcome> {
  if (flags.format === "parquet") throw badInput("ingest: stdin (-) takes ndjson or csv, not parquet");
  if (flags.force) throw badInput("--force applies to files only: stdin has no content hash");
  const { ingestStream } = await import("../../ingest/ingest-stream.ts");
  const name = table.name();
  const started = performance.now();
  const result = await withEngine((engine) =>
    ingestStream(engine, table, process.stdin, {
      format: (flags.format as "ndjson" | "csv" | undefined) ?? "ndjson",
      csvDelimiter: flags.delimiter,
      batchRows,
      maxLatencyMs: flags.maxLatency === undefined ? undefined : parseDurationMs(flags.maxLatency, "--max-latency"),
      deadLetter: flags.deadLetter,
      onBatch: process.stderr.isTTY
        ? (batch) =>
            process.stderr.write(
              `batch ${batch.batch} (${batch.trigger}): lines ${batch.firstLine}-${batch.lastLine}, ${batch.committed} committed, ${batch.rejected} rejected, snapshot ${batch.snapshotId}\n`,
            )
        : undefined,
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    counts: {
      table: name,
      source: "stdin",
      read: result.read,
      committed: result.committed,
      rejected: result.rejected,
      snapshots: result.snapshots,
      deadLetter: result.deadLetterPath,
      seconds: Number(seconds.toFixed(3)),
    },
    lines: [
      `ingested ${name} from stdin: ${result.read} read, ${result.committed} committed, ${result.rejected} rejected, ` +
        `${result.snapshots} snapshots, ${seconds.toFixed(2)} s`,
      ...(result.deadLetterPath ? [`rejected records: ${result.deadLetterPath}`] : []),
    ],
    rejected: result.rejected,
    deadLetter: result.deadLetterPath,
  };
}
