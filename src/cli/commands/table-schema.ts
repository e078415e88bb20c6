/**
 * `floe table add-column|drop-column|rename-column|alter-column`: schema evolution through the
 * table layer's UpdateSchema (Spark's ALTER TABLE ... ADD/DROP/RENAME/ALTER COLUMN). Columns are
 * tracked by id, so old data files keep reading correctly: an added column reads as null in rows
 * written before it, a renamed one keeps its data. Nested columns are named with dots ("place.lat").
 */
import type { Command } from "commander";
import { badInput, validation } from "../../core/errors.ts";
import type { Table } from "../../table/table.ts";
import type { UpdateSchema } from "../../table/update-schema.ts";
import { describeSchema, typeToString } from "../describe.ts";
import type { Output } from "../output.ts";
import { parseColumnType, parsePrimitiveColumnType } from "./admin-args.ts";
import { withTable } from "./with-table.ts";

/** Commits one schema change and reports the schema id it led to (unchanged when the change was a no-op). */
async function evolve(
  table: Table,
  output: Output,
  change: string,
  build: (update: UpdateSchema) => UpdateSchema,
): Promise<void> {
  const name = table.name();
  const before = table.metadata["current-schema-id"];
  await build(table.updateSchema()).commit();
  const after = table.metadata["current-schema-id"];
  const changed = after !== before;
  output.done(
    changed ? `${change} in ${name}: schema ${after} (was ${before})` : `${name}: no change (schema ${before})`,
    {
      table: name,
      changed,
      "schema-id": after,
      "previous-schema-id": before,
      schema: describeSchema(table.schema()),
    },
  );
}

/** "a.b.c" → parent "a.b" and leaf "c"; a top-level name has no parent. */
function splitColumnName(name: string): { parent: string | null; leaf: string } {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? { parent: null, leaf: name } : { parent: name.slice(0, dot), leaf: name.slice(dot + 1) };
}

interface AddColumnOptions {
  doc?: string;
  required?: boolean;
  first?: boolean;
  after?: string;
}

interface AlterColumnOptions {
  type?: string;
  doc?: string;
  optional?: boolean;
}

export function registerTableSchemaCommands(table: Command): void {
  table
    .command("add-column <table> <column> <type>")
    .description(
      'add an optional column, e.g. add-column ns.t country string, add-column ns.t place.alt double, add-column ns.t tags "list<string>"',
    )
    .option("--doc <text>", "column documentation")
    .option("--required", "refused: rows written earlier have no value for a new column (needs a default, format v3)")
    .option("--first", "place the column first in its struct")
    .option("--after <column>", "place the column after this one (same struct)")
    .action((name: string, column: string, typeText: string, options: AddColumnOptions, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const { parent, leaf } = splitColumnName(column);
        if (!leaf) throw badInput(`column name must not end with a dot: "${column}"`);
        if (options.required)
          throw validation(
            `cannot add required column ${column} to ${name}: rows written before it would have no value (format v${t.metadata["format-version"]} has no column defaults); add it as optional`,
          );
        if (options.first && options.after) throw badInput("choose one of --first and --after");
        const type = parseColumnType(typeText);
        await evolve(t, output, `added column ${column} ${typeToString(type)}`, (update) => {
          update.addColumn(parent, leaf, type, options.doc === undefined ? {} : { doc: options.doc });
          if (options.first) update.moveFirst(column);
          if (options.after) update.moveAfter(column, options.after);
          return update;
        });
      }),
    );

  table
    .command("drop-column <table> <column>")
    .description("drop a column (and everything nested in it); its data stays in old files but is never read")
    .action((name: string, column: string, _options: unknown, command: Command) =>
      withTable(command, name, (t, { output }) =>
        evolve(t, output, `dropped column ${column}`, (update) => update.deleteColumn(column)),
      ),
    );

  table
    .command("rename-column <table> <column> <new-name>")
    .description("rename a column (nested: rename-column ns.t place.lat latitude); data is kept, matched by id")
    .action((name: string, column: string, newName: string, _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const { parent } = splitColumnName(column);
        // The new name is the leaf name: a rename never moves a column to another struct.
        const leaf = parent !== null && newName.startsWith(`${parent}.`) ? newName.slice(parent.length + 1) : newName;
        if (leaf.includes("."))
          throw badInput(`the new name of ${column} is a name within its struct, without dots: "${newName}"`);
        await evolve(t, output, `renamed column ${column} to ${leaf}`, (update) => update.renameColumn(column, leaf));
      }),
    );

  table
    .command("alter-column <table> <column>")
    .description(
      "widen a column's type (int→long, float→double, decimal(P,S)→decimal(P2,S) with P2>P), change its doc, or make it optional",
    )
    .option("--type <type>", "the wider type")
    .option("--doc <text>", "new column documentation")
    .option("--optional", "make a required column optional")
    .action((name: string, column: string, options: AlterColumnOptions, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        if (options.type === undefined && options.doc === undefined && !options.optional)
          throw badInput("alter-column needs --type, --doc or --optional");
        const type = options.type === undefined ? undefined : parsePrimitiveColumnType(options.type);
        const changes = [
          type !== undefined && `type ${type}`,
          options.doc !== undefined && "doc",
          options.optional && "optional",
        ].filter(Boolean);
        await evolve(t, output, `altered column ${column} (${changes.join(", ")})`, (update) => {
          if (type !== undefined) update.updateColumn(column, type);
          if (options.doc !== undefined) update.updateColumnDoc(column, options.doc);
          if (options.optional) update.makeColumnOptional(column);
          return update;
        });
      }),
    );
}
