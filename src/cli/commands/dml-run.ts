/**
 * What `floe delete`, `floe update` and `floe merge` share: the --mode and --dry-run options, the
 * --where / --all guard, running a command against a loaded table with the engine, one-line
 * errors, and the report of what the command did. The table and engine modules load when a
 * command runs, as for the other commands.
 */
import type { Command } from "commander";
import { parseTableIdentifier } from "../../catalog/identifiers.ts";
import { FloeError, badInput } from "../../core/errors.ts";
import type { DmlOptions, DmlResult, RowFilter, RowLevelCommand, RowLevelMode } from "../../engine/dml/index.ts";
import type { Engine } from "../../engine/duckdb.ts";
import { alwaysTrue } from "../../expr/expressions.ts";
import type { Table } from "../../table/table.ts";
import type { Context } from "../context.ts";
import type { Output } from "../output.ts";
import { withContext } from "./run.ts";
import { withEngine } from "./sql.ts";

/** The flags every row-level command takes. */
export interface DmlFlags {
  mode?: string;
  dryRun?: boolean;
}

/** The row filter flags of delete and update. */
export interface FilterFlags {
  where?: string;
  all?: boolean;
}

const MODES: readonly RowLevelMode[] = ["copy-on-write", "merge-on-read"];

/** Adds --mode and --dry-run. */
export function addDmlOptions(command: Command, verb: RowLevelCommand): Command {
  return command
    .option(
      "--mode <mode>",
      `copy-on-write | merge-on-read (default: the table property write.${verb}.mode, else copy-on-write)`,
    )
    .option("--dry-run", "count the rows that would change; write and commit nothing");
}

/** Adds --where and --all. */
export function addFilterOptions(command: Command, verb: RowLevelCommand): Command {
  return command
    .option("--where <condition>", `SQL condition over the table's columns selecting the rows to ${verb}`)
    .option("--all", `${verb} every row (required instead of --where, so that forgetting --where is not fatal)`);
}

/**
 * The row filter of --where / --all. A command without either fails rather than touching every
 * row: the guard users of SQL consoles wish they had. --all is an expression, not SQL text, so
 * a delete can drop whole files without reading them.
 */
export function rowFilterOf(flags: FilterFlags, verb: RowLevelCommand): RowFilter {
  if (flags.where !== undefined && flags.all) throw badInput(`${verb}: choose --where or --all, not both`);
  if (flags.all) return alwaysTrue;
  if (flags.where === undefined) throw badInput(`${verb} needs --where "<condition>", or --all to ${verb} every row`);
  if (flags.where.trim() === "") throw badInput(`${verb}: --where is empty`);
  return flags.where;
}

/** The library options of --mode and --dry-run. */
export function dmlOptionsOf(flags: DmlFlags): DmlOptions {
  const options: DmlOptions = { dryRun: Boolean(flags.dryRun) };
  if (flags.mode !== undefined) {
    const mode = flags.mode.trim().toLowerCase() as RowLevelMode;
    if (!MODES.includes(mode)) throw badInput(`--mode must be one of ${MODES.join(", ")}, got "${flags.mode}"`);
    options.mode = mode;
  }
  return options;
}

/**
 * DuckDB's messages span lines (a caret under the SQL, candidate names) and end with the SQL floe
 * built around the user's text; the CLI prints errors on one line, so keep the first line only.
 * --debug still prints the original through the cause's stack.
 */
export function oneLineError(error: unknown): unknown {
  if (!(error instanceof FloeError) || !error.message.startsWith("duckdb: ")) return error;
  const first = duckdbReason(error.message);
  return new FloeError(error.kind, `duckdb: ${first}`, { cause: error, retryable: error.retryable });
}

/** The first line of a wrapped DuckDB message, without the "duckdb: " prefix and the SQL it quotes. */
export function duckdbReason(message: string): string {
  return message
    .replace(/^duckdb: /, "")
    .split("\n")[0]
    .replace(/ \(in: .*$/, "")
    .trim();
}

/** The body of a row-level command: runs the library call and returns its result. */
export type DmlBody = (engine: Engine, table: Table, context: Context, options: DmlOptions) => Promise<DmlResult>;

/** Loads table `name`, runs `body` with the engine and prints what it did. */
export function runDml(command: Command, verb: RowLevelCommand, name: string, flags: DmlFlags, body: DmlBody) {
  return withContext(command, async (context) => {
    const options = dmlOptionsOf(flags);
    const { Table } = await import("../../table/table.ts");
    const table = await Table.load(await context.catalog(), parseTableIdentifier(name));
    try {
      const result = await withEngine((engine) => body(engine, table, context, options));
      reportDml(context.output, verb, name, result, Boolean(options.dryRun));
    } catch (error) {
      throw oneLineError(error);
    }
  });
}

const rows = (n: bigint) => `${n} ${n === 1n ? "row" : "rows"}`;

/** The first line of the report: what happened to which rows. */
function changeLine(verb: RowLevelCommand, name: string, r: DmlResult, dryRun: boolean): string {
  const mode = `(${r.mode})`;
  if (verb === "delete") return `${dryRun ? "would delete" : "deleted"} ${rows(r.rowsDeleted)} from ${name} ${mode}`;
  if (verb === "update") return `${dryRun ? "would update" : "updated"} ${rows(r.rowsUpdated)} of ${name} ${mode}`;
  const counts = `${rows(r.rowsUpdated)} updated, ${rows(r.rowsDeleted)} deleted, ${rows(r.rowsInserted)} inserted`;
  return `${dryRun ? "would merge into" : "merged into"} ${name} ${mode}: ${counts}`;
}

/**
 * Prints what a command did: one JSON object under --json, otherwise a line of row counts and a
 * line with the snapshot and the files it added and removed. Removed data files are those
 * rewritten (copy-on-write) plus those whose every row was deleted. A dry run has no file
 * counts: they are only known once the files are written.
 */
export function reportDml(output: Output, verb: RowLevelCommand, name: string, r: DmlResult, dryRun: boolean): void {
  if (output.json) {
    output.object({
      table: name,
      command: verb,
      mode: r.mode,
      dryRun,
      snapshotId: r.snapshotId,
      rowsDeleted: r.rowsDeleted,
      rowsUpdated: r.rowsUpdated,
      rowsInserted: r.rowsInserted,
      ...(dryRun
        ? {}
        : {
            dataFilesAdded: r.dataFilesAdded,
            dataFilesRemoved: r.dataFilesRewritten + r.dataFilesRemoved,
            dataFilesRewritten: r.dataFilesRewritten,
            deleteFilesAdded: r.deleteFilesAdded,
            deleteFilesRemoved: r.deleteFilesRemoved,
          }),
    });
    return;
  }
  output.done(changeLine(verb, name, r, dryRun));
  if (dryRun) output.done("dry run: nothing written or committed");
  else if (r.snapshotId === null) output.done("no row changed: nothing committed");
  else
    output.done(
      `snapshot ${r.snapshotId}: data files ${r.dataFilesAdded} added, ${r.dataFilesRewritten + r.dataFilesRemoved} removed ` +
        `(${r.dataFilesRewritten} rewritten); delete files ${r.deleteFilesAdded} added, ${r.deleteFilesRemoved} removed`,
    );
}
