/**
 * `floe table partition|sort`: partition evolution and the default sort order (Spark's ALTER TABLE
 * ... ADD/DROP PARTITION FIELD and WRITE ORDERED BY). Both change only how new data is written:
 * files already written keep the spec they were written with and stay readable as they are.
 */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import { findFieldByName } from "../../spec/schema.ts";
import { parseTransform } from "../../spec/transforms.ts";
import type { Table } from "../../table/table.ts";
import { parsePartitionArg } from "../schema-arg.ts";
import { parseSortFields } from "./admin-args.ts";
import { collect } from "./run.ts";
import { tableSummary } from "./table-summary.ts";
import { withTable } from "./with-table.ts";

interface PartitionOptions {
  add?: string[];
  remove?: string[];
  rename?: string[];
}

const summaryOf = (table: Table) => tableSummary(table.name(), table.metadataLocation, table.metadata);

/** "bucket(16, id) as id_bucket" → source, transform and the optional field name. */
function parseAddedField(text: string): { source: string; transform: string; name?: string } {
  const named = /^(.*\S)\s+as\s+(\S+)$/i.exec(text.trim());
  return named ? { ...parsePartitionArg(named[1]), name: named[2] } : parsePartitionArg(text);
}

/**
 * The partition field a --remove names: a field name of the current spec, or the field's
 * "transform(column)" form, which is what an operator usually remembers.
 */
function removedFieldName(table: Table, text: string): string {
  const spec = table.spec();
  if (spec.fields.some((field) => field.name === text)) return text;
  let wanted: { source: string; transform: string };
  try {
    wanted = parsePartitionArg(text);
  } catch {
    return text; // not a transform: the builder reports the unknown field name
  }
  const column = findFieldByName(table.schema(), wanted.source);
  const transform = parseTransform(wanted.transform).toString();
  const field = spec.fields.find(
    (f) => f["source-id"] === column?.id && parseTransform(f.transform).toString() === transform,
  );
  return field?.name ?? text;
}

export function registerTableLayoutCommands(table: Command): void {
  table
    .command("partition <table>")
    .description(
      'evolve the partition spec, e.g. --add "bucket(16, element_id)" --add "day(event_time)" --remove country',
    )
    .option("--add <field>", "add column | transform(column) | bucket(N, column) [as name] (repeatable)", collect)
    .option("--remove <field>", "remove a partition field by name or by transform(column) (repeatable)", collect)
    .option("--rename <old=new>", "rename a partition field (repeatable)", collect)
    .action((name: string, options: PartitionOptions, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const adds = (options.add ?? []).map(parseAddedField);
        const renames = (options.rename ?? []).map((pair) => {
          const [from, to, ...rest] = pair.split("=");
          if (!from || !to || rest.length) throw badInput(`--rename must be old=new, got "${pair}"`);
          return { from, to };
        });
        if (!adds.length && !options.remove?.length && !renames.length)
          throw badInput("partition needs --add, --remove or --rename");
        const before = t.metadata["default-spec-id"];
        const update = t.updateSpec();
        for (const field of options.remove ?? []) update.removeField(removedFieldName(t, field));
        for (const { from, to } of renames) update.renameField(from, to);
        for (const field of adds) update.addField(field.source, field.transform, field.name);
        await update.commit();
        const after = t.metadata["default-spec-id"];
        const { partitioning } = summaryOf(t);
        const layout = partitioning.length ? partitioning.join(", ") : "unpartitioned";
        output.done(
          after === before
            ? `${name}: no change (spec ${before}: ${layout})`
            : `${name} now writes spec ${after} (was ${before}): ${layout}; files already written keep their spec`,
          { table: name, changed: after !== before, "spec-id": after, "previous-spec-id": before, partitioning },
        );
      }),
    );

  table
    .command("sort <table> [fields...]")
    .description(
      'replace the sort order new data is written in, e.g. sort ns.t "element_id, event_time desc nulls last"',
    )
    .option("--unsorted", "remove the sort order")
    .action((name: string, fields: string[], options: { unsorted?: boolean }, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        if (Boolean(options.unsorted) === fields.length > 0)
          throw badInput("sort needs sort fields or --unsorted (not both)");
        const update = t.replaceSortOrder();
        for (const field of parseSortFields(fields)) {
          const fieldOptions = { transform: field.transform, nullOrder: field.nullOrder };
          if (field.direction === "desc") update.desc(field.source, fieldOptions);
          else update.asc(field.source, fieldOptions);
        }
        const before = t.metadata["default-sort-order-id"];
        await update.commit();
        const after = t.metadata["default-sort-order-id"];
        const order = summaryOf(t)["sort-order"];
        const described = order.length ? order.join(", ") : "unsorted";
        output.done(
          after === before
            ? `${name}: no change (sort order ${before}: ${described})`
            : `${name} now sorts new data by sort order ${after} (was ${before}): ${described}`,
          {
            table: name,
            changed: after !== before,
            "sort-order-id": after,
            "previous-sort-order-id": before,
            "sort-order": order,
          },
        );
      }),
    );
}
