/**
 * `floe merge <ns.table> --source <files> | --source-sql <query> --on <keys>`: MERGE by key in one
 * snapshot. By default an upsert (matched target rows take the source's values, unmatched source
 * rows are inserted); --when-matched and --when-not-matched choose the library's other behaviours.
 */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import type { MergeOptions } from "../../engine/dml/index.ts";
import type { IngestFormat } from "../../ingest/record-sources.ts";
import { type DmlFlags, addDmlOptions, runDml } from "./dml-run.ts";
import { mergeSourceSql } from "./merge-source.ts";
import { collect } from "./run.ts";

interface MergeFlags extends DmlFlags {
  source?: string[];
  sourceSql?: string;
  format?: string;
  on: string;
  whenMatched: string;
  whenNotMatched: string;
}

const FORMATS: readonly IngestFormat[] = ["ndjson", "csv", "parquet"];
const WHEN_MATCHED: readonly MergeOptions["whenMatched"][] = ["update", "delete", "ignore"];
const WHEN_NOT_MATCHED: readonly MergeOptions["whenNotMatched"][] = ["insert", "ignore"];

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw badInput(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

/** The key columns of --on: comma-separated names, each once. */
export function parseKeys(text: string): string[] {
  const keys = text.split(",").map((key) => key.trim());
  if (keys.some((key) => key === "")) throw badInput(`--on must be "<column>[,<column>...]", got "${text}"`);
  const repeated = keys.find((key, i) => keys.indexOf(key) !== i);
  if (repeated !== undefined) throw badInput(`--on names ${repeated} twice`);
  return keys;
}

/** Registers `floe merge`. */
export function registerMergeCommand(program: Command): void {
  const command = program
    .command("merge <table>")
    .description(
      "merge source rows into a table by key: update matched rows and insert the others (copy-on-write or merge-on-read per write.merge.mode)",
    )
    .option("--source <file>", "NDJSON, CSV or Parquet file, glob or directory (repeatable)", collect)
    .option("--format <format>", "ndjson | csv | parquet for --source (default: by each file's extension)")
    .option("--source-sql <query>", "a SELECT as the source, over catalog tables (ns.table) like floe sql")
    .requiredOption("--on <columns>", "key columns compared by equality, comma-separated (null keys never match)")
    .option(
      "--when-matched <action>",
      "update | delete | ignore: what happens to target rows a source row matches",
      "update",
    )
    .option(
      "--when-not-matched <action>",
      "insert | ignore: what happens to source rows matching no target row",
      "insert",
    );
  addDmlOptions(command, "merge").action(async (name: string, flags: MergeFlags, cmd: Command) => {
    if ((flags.source === undefined) === (flags.sourceSql === undefined))
      throw badInput("merge needs exactly one of --source <file or glob> and --source-sql <query>");
    if (flags.format !== undefined && flags.source === undefined)
      throw badInput("--format applies to --source files only");
    const format = flags.format === undefined ? undefined : oneOf("--format", flags.format, FORMATS);
    const on = parseKeys(flags.on);
    const whenMatched = oneOf("--when-matched", flags.whenMatched, WHEN_MATCHED);
    const whenNotMatched = oneOf("--when-not-matched", flags.whenNotMatched, WHEN_NOT_MATCHED);
    if (whenMatched === "ignore" && whenNotMatched === "ignore")
      throw badInput("--when-matched ignore with --when-not-matched ignore would change nothing");
    return runDml(cmd, "merge", name, flags, async (engine, table, context, options) => {
      const { mergeInto } = await import("../../engine/dml/index.ts");
      const source = await mergeSourceSql(engine, await context.catalog(), context.io, table.schema(), {
        files: flags.source,
        format,
        sql: flags.sourceSql,
      });
      return mergeInto(engine, table, source, { ...options, on, whenMatched, whenNotMatched });
    });
  });
}
