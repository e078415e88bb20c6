/** `floe update <ns.table> --set "<col> = <expr>"... --where "<condition>" | --all`: updates rows, in one snapshot. */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import { checkAssignment, checkCondition } from "./dml-expressions.ts";
import { type DmlFlags, type FilterFlags, addDmlOptions, addFilterOptions, rowFilterOf, runDml } from "./dml-run.ts";
import { collect } from "./run.ts";

interface UpdateFlags extends DmlFlags, FilterFlags {
  set?: string[];
}

/**
 * "column = expression" as a column name and SQL text. The column may be double-quoted ("a b",
 * "x""y"); the expression is everything after the first "=" that follows it, so it may hold "=".
 */
export function parseAssignment(text: string): { column: string; expr: string } {
  const match = /^\s*("(?:[^"]|"")+"|[^\s="]+)\s*=(.*)$/s.exec(text);
  const expr = match?.[2].trim() ?? "";
  if (!match || expr === "") throw badInput(`--set must be "<column> = <SQL expression>", got "${text}"`);
  const column = match[1].startsWith('"') ? match[1].slice(1, -1).replaceAll('""', '"') : match[1];
  return { column, expr };
}

/** The assignments of the --set flags, by column; each column at most once. */
export function parseAssignments(texts: string[] = []): Record<string, string> {
  if (texts.length === 0) throw badInput('update needs at least one --set "<column> = <SQL expression>"');
  const set: Record<string, string> = {};
  for (const text of texts) {
    const { column, expr } = parseAssignment(text);
    if (Object.hasOwn(set, column)) throw badInput(`--set ${column} is given twice`);
    set[column] = expr;
  }
  return set;
}

/** Registers `floe update`. */
export function registerUpdateCommand(program: Command): void {
  const command = program
    .command("update <table>")
    .description(
      "set columns on the rows matching --where (copy-on-write or merge-on-read per the table property write.update.mode)",
    )
    .option("--set <assignment>", '"<column> = <SQL expression>" over the row\'s current values (repeatable)', collect);
  addDmlOptions(addFilterOptions(command, "update"), "update").action(
    async (name: string, flags: UpdateFlags, cmd: Command) => {
      const set = parseAssignments(flags.set);
      const filter = rowFilterOf(flags, "update");
      return runDml(cmd, "update", name, flags, async (engine, table, _context, options) => {
        const { updateWhere } = await import("../../engine/dml/index.ts");
        for (const [column, expr] of Object.entries(set)) await checkAssignment(engine, table.schema(), column, expr);
        if (typeof filter === "string") await checkCondition(engine, table.schema(), filter);
        return updateWhere(engine, table, set, filter, options);
      });
    },
  );
}
