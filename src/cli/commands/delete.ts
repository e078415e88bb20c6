/** `floe delete <ns.table> --where "<condition>" | --all`: deletes rows, in one snapshot. */
import type { Command } from "commander";
import { checkCondition } from "./dml-expressions.ts";
import { type DmlFlags, type FilterFlags, addDmlOptions, addFilterOptions, rowFilterOf, runDml } from "./dml-run.ts";

/** Registers `floe delete`. */
export function registerDeleteCommand(program: Command): void {
  const command = program
    .command("delete <table>")
    .description(
      "delete the rows matching --where (copy-on-write or merge-on-read per the table property write.delete.mode)",
    );
  addDmlOptions(addFilterOptions(command, "delete"), "delete").action(
    async (name: string, flags: DmlFlags & FilterFlags, cmd: Command) => {
      const filter = rowFilterOf(flags, "delete");
      return runDml(cmd, "delete", name, flags, async (engine, table, _context, options) => {
        const { deleteWhere } = await import("../../engine/dml/index.ts");
        if (typeof filter === "string") await checkCondition(engine, table.schema(), filter);
        return deleteWhere(engine, table, filter, options);
      });
    },
  );
}
