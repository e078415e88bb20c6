/** `floe table set|unset`: table properties (Spark's ALTER TABLE ... SET/UNSET TBLPROPERTIES). */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import { parseProperties } from "./run.ts";
import { withTable } from "./with-table.ts";

const properties = (n: number) => `${n} propert${n === 1 ? "y" : "ies"}`;

export function registerTablePropertyCommands(table: Command): void {
  table
    .command("set <table> <key=value...>")
    .description("set table properties, e.g. floe table set ns.t write.delete.mode=merge-on-read")
    .action((name: string, pairs: string[], _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const changes = parseProperties(pairs);
        const after = await t.updateProperties().setAll(changes).commit();
        output.done(`set ${properties(Object.keys(changes).length)} on ${name}`, {
          table: name,
          set: changes,
          properties: after.properties(),
        });
      }),
    );

  table
    .command("unset <table> <key...>")
    .description("remove table properties (keys that are not set are reported, not an error)")
    .action((name: string, keys: string[], _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const bad = keys.find((key) => key.includes("="));
        if (bad) throw badInput(`unset takes property keys, not key=value: "${bad}"`);
        const removed = keys.filter((key) => key in t.properties());
        const notSet = keys.filter((key) => !(key in t.properties()));
        const update = t.updateProperties();
        for (const key of keys) update.remove(key);
        const after = await update.commit();
        const note = notSet.length ? ` (not set: ${notSet.join(", ")})` : "";
        output.done(`removed ${properties(removed.length)} from ${name}${note}`, {
          table: name,
          removed,
          "not-set": notSet,
          properties: after.properties(),
        });
      }),
    );
}
