/**
 * `floe ingest <ns.table> <file or glob>...`: NDJSON, CSV or Parquet files into an existing
 * table, with record checks, a dead-letter file for rejected records and batched commits.
 * Exits with INGEST_REJECTS_EXIT_CODE when records were rejected, unless --allow-rejects: the
 * valid records are committed either way, but a script must notice the rejects. The ingest and
 * table modules load when the command runs.
 */
import type { Command } from "commander";
import { parseTableIdentifier } from "../../catalog/identifiers.ts";
import { badInput } from "../../core/errors.ts";
import type { IngestFormat } from "../../ingest/record-sources.ts";
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
  delimiter?: string;
  force?: boolean;
}

/** Registers `floe ingest`. */
export function registerIngestCommand(program: Command): void {
  program
    .command("ingest <table> <inputs...>")
    .description(
      `ingest NDJSON, CSV or Parquet files (paths or globs: *, ?, **, [abc], {a,b}) into a table; exits ${INGEST_REJECTS_EXIT_CODE} when records were rejected unless --allow-rejects`,
    )
    .option("--format <format>", "ndjson | csv | parquet (default: by each file's extension)")
    .option(
      "--dead-letter <path>",
      "NDJSON file rejected records are appended to (default ./floe-dead-letters/<table>-<time>.ndjson)",
    )
    .option("--allow-rejects", `exit 0 even when records were rejected (default: exit ${INGEST_REJECTS_EXIT_CODE})`)
    .option("--batch-rows <n>", "commit at most about N input records per snapshot (default 10,000,000)")
    .option("--delimiter <char>", "CSV field delimiter (default ,)")
    .option("--force", "re-ingest files whose content is already in the table's history")
    .action((name: string, inputs: string[], flags: IngestFlags, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        if (flags.format !== undefined && !INGEST_FORMATS.includes(flags.format as IngestFormat))
          throw badInput(`--format must be one of ${INGEST_FORMATS.join(", ")}, got "${flags.format}"`);
        const [{ Table }, { ingestFiles }, { createProgressReporter }] = await Promise.all([
          import("../../table/table.ts"),
          import("../../ingest/ingest-files.ts"),
          import("../../ingest/progress.ts"),
        ]);
        const table = await Table.load(await catalog(), parseTableIdentifier(name));
        const progress = createProgressReporter({ enabled: Boolean(process.stderr.isTTY), label: name });
        const started = performance.now();
        const result = await withEngine(async (engine) => {
          try {
            return await ingestFiles(engine, table, inputs, {
              format: flags.format as IngestFormat | undefined,
              deadLetter: flags.deadLetter,
              batchRows:
                flags.batchRows === undefined ? undefined : positiveIntegerFlag(flags.batchRows, "--batch-rows"),
              csvDelimiter: flags.delimiter,
              force: flags.force,
              onProgress: progress.onProgress,
            });
          } finally {
            progress.stop();
          }
        });
        const seconds = (performance.now() - started) / 1000;
        const counts = {
          table: name,
          read: result.read,
          committed: result.committed,
          rejected: result.rejected,
          files: result.files,
          skippedFiles: result.skipped,
          snapshots: result.snapshots,
          deadLetter: result.deadLetterPath,
          seconds: Number(seconds.toFixed(3)),
        };
        if (output.json) output.object(counts);
        else {
          output.done(
            `ingested ${name}: ${result.read} read, ${result.committed} committed, ${result.rejected} rejected, ` +
              `${result.files} files, ${result.skipped} skipped files, ${result.snapshots} snapshots, ${seconds.toFixed(2)} s`,
          );
          if (result.deadLetterPath) output.done(`rejected records: ${result.deadLetterPath}`);
        }
        if (result.rejected > 0 && !flags.allowRejects) {
          process.stderr.write(
            `error (rejects): ${result.rejected} records of ${name} were rejected (see ${result.deadLetterPath}); pass --allow-rejects to accept\n`,
          );
          process.exitCode = INGEST_REJECTS_EXIT_CODE;
        }
      }),
    );
}
