/**
 * `floe query day` and `floe query element`: the two access patterns of the click stream, with
 * pruning by partition, file statistics and row-group statistics. `--explain` reports what was
 * considered, pruned and read and how long planning and execution took; it goes to stderr (JSON
 * under --json) so that the result on stdout stays a clean stream in any format. The click and
 * table modules load when a command runs.
 */
import type { Command } from "commander";
import { formatTableIdentifier, parseTableIdentifier } from "../../catalog/identifiers.ts";
import { badInput } from "../../core/errors.ts";
import { toBigInt } from "../../core/json.ts";
import type { ClickQuery, ClickQueryOptions } from "../../clicks/queries.ts";
import type { Engine } from "../../engine/duckdb.ts";
import type { Table } from "../../table/table.ts";
import type { Context } from "../context.ts";
import { type Row, createOutput } from "../output.ts";
import { withContext } from "./run.ts";
import { type ResultFlags, type ResultWritten, addResultOptions, withEngine, writeResult } from "./sql.ts";

interface QueryFlags extends ResultFlags {
  count?: boolean;
  snapshot?: string;
  explain?: boolean;
  columns?: string;
}

interface ElementFlags extends QueryFlags {
  from: string;
  to: string;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** The explain report of a click query that ran: pruning at each level and time per phase. */
export function explainReport(table: string, query: ClickQuery, planningMs: number, written: ResultWritten): Row {
  const { explain } = query;
  return {
    table,
    snapshot: query.plan.snapshot?.["snapshot-id"] ?? null,
    filter: explain.filter,
    files: explain.files,
    "row-groups": explain.rowGroups ?? "unknown (files are not local)",
    "bytes-read": explain.bytes,
    "records-in-files-read": explain.records,
    "rows-returned": written.rows,
    // Storage traffic of this query: GETs and bytes (zero for a local warehouse, whose files are read in place).
    "get-requests": explain.remote.metadata.getRequests + explain.remote.data.getRequests,
    "bytes-fetched": explain.remote.metadata.bytesFetched + explain.remote.data.bytesFetched,
    "remote-files": explain.remote.files,
    "planning-ms": round(planningMs),
    "scan-planning-ms": round(explain.planningMs),
    "execution-ms": round(written.executionMs),
  };
}

function queryOptions(flags: QueryFlags): ClickQueryOptions {
  const columns = flags.columns
    ?.split(",")
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
  if (columns && columns.length === 0) throw badInput("--columns must name at least one column");
  return {
    count: flags.count,
    columns,
    snapshotId: flags.snapshot === undefined ? undefined : toBigInt(flags.snapshot, "--snapshot"),
  };
}

/** Builds the query (timed as planning), writes its result, and prints the explain when asked. */
async function runClickQuery(
  context: Context,
  name: string,
  flags: QueryFlags,
  build: (engine: Engine, table: Table) => Promise<ClickQuery>,
): Promise<void> {
  const identifier = parseTableIdentifier(name);
  const { Table } = await import("../../table/table.ts");
  const table = await Table.load(await context.catalog(), identifier);
  await withEngine(async (engine) => {
    const started = performance.now();
    const query = await build(engine, table);
    const planningMs = performance.now() - started;
    const written = await writeResult(engine, context, query.sql, flags);
    if (flags.output !== undefined && !flags.explain)
      context.output.done(`wrote ${written.rows} rows to ${flags.output} (${written.format})`, {
        rows: written.rows,
        output: flags.output,
        format: written.format,
      });
    if (flags.explain) {
      const report = explainReport(formatTableIdentifier(identifier), query, planningMs, written);
      createOutput(context.output.json, (text) => process.stderr.write(`${text}\n`)).object(report);
    }
  });
}

function addQueryOptions(command: Command): Command {
  return addResultOptions(
    command
      .option("--count", "print the number of matching clicks instead of the clicks")
      .option("--columns <list>", "comma-separated columns to return (default: all)")
      .option("--snapshot <id>", "query this snapshot instead of the current one")
      .option(
        "--explain",
        "also report (on stderr) files and row groups considered, pruned and read, bytes read, GET requests and bytes fetched from remote storage, and planning/execution time",
      ),
  );
}

/** Registers `floe query day` and `floe query element`. */
export function registerQueryCommands(program: Command): void {
  const query = program
    .command("query")
    .description("the click-stream access patterns: one day, or one element over a date range");

  addQueryOptions(
    query.command("day <table> <day>").description("every click of one day (YYYY-MM-DD, UTC), pruned to its partition"),
  ).action((name: string, day: string, flags: QueryFlags, command: Command) =>
    withContext(command, async (context) => {
      const { queryDay } = await import("../../clicks/queries.ts");
      await runClickQuery(context, name, flags, (engine, table) => queryDay(engine, table, day, queryOptions(flags)));
    }),
  );

  addQueryOptions(
    query
      .command("element <table> <element_id>")
      .description("the clicks of one element between two days (inclusive), pruned by partition, file and row group")
      .requiredOption("--from <YYYY-MM-DD>", "first day (inclusive)")
      .requiredOption("--to <YYYY-MM-DD>", "last day (inclusive)"),
  ).action((name: string, elementId: string, flags: ElementFlags, command: Command) =>
    withContext(command, async (context) => {
      const { queryElement } = await import("../../clicks/queries.ts");
      await runClickQuery(context, name, flags, (engine, table) =>
        queryElement(engine, table, toBigInt(elementId, "element_id"), {
          ...queryOptions(flags),
          from: flags.from,
          to: flags.to,
        }),
      );
    }),
  );
}
