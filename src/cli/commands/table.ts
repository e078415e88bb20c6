/**
 * `floe table create|list|describe|drop|register|rename`, plus the verbs that alter a table
 * (properties, schema, partitioning, sort order) registered from their own modules.
 */
import type { Command } from "commander";
import { formatTableIdentifier, parseNamespace, parseTableIdentifier } from "../../catalog/identifiers.ts";
import { buildPartitionSpec } from "../../spec/partitioning.ts";
import { buildSortOrder } from "../../spec/sort-orders.ts";
import { parsePartitionArg, parseSchemaArg, parseSortArg } from "../schema-arg.ts";
import { collect, parseProperties, withContext } from "./run.ts";
import { registerTableLayoutCommands } from "./table-layout.ts";
import { registerTablePropertyCommands } from "./table-properties.ts";
import { registerTableSchemaCommands } from "./table-schema.ts";
import { tableSummary } from "./table-summary.ts";

interface CreateOptions {
  schema: string;
  partition?: string[];
  sort?: string[];
  property?: string[];
  location?: string;
  formatVersion?: string;
}

export function registerTableCommands(program: Command): void {
  const table = program.command("table").description("manage tables");

  table
    .command("create <table>")
    .description('create a table, e.g. --schema "id long required, ts timestamptz" --partition "day(ts)" --sort id')
    .requiredOption("-s, --schema <schema>", 'columns as "name type [required], ..." or the spec\'s schema JSON')
    .option(
      "--partition <field>",
      "partition field: column | transform(column) | bucket(N, column) (repeatable)",
      collect,
    )
    .option(
      "--sort <field>",
      "sort field: column|transform(column) [asc|desc] [nulls-first|nulls-last] (repeatable)",
      collect,
    )
    .option("-p, --property <key=value>", "table property (repeatable)", collect)
    .option("--location <location>", "table location (default: under the warehouse)")
    .option("--format-version <n>", "Iceberg format version, 1 or 2", "2")
    .action((name: string, options: CreateOptions, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const schema = parseSchemaArg(options.schema);
        const partitionSpec = buildPartitionSpec(schema, (options.partition ?? []).map(parsePartitionArg));
        const sortOrder = options.sort?.length ? buildSortOrder(schema, options.sort.map(parseSortArg), 1) : undefined;
        const formatVersion = Number(options.formatVersion) === 1 ? 1 : 2;
        const created = await (await catalog()).createTable(parseTableIdentifier(name), {
          schema,
          partitionSpec,
          sortOrder,
          properties: parseProperties(options.property),
          location: options.location,
          formatVersion,
        });
        output.done(
          `created table ${name} at ${created.metadata.location}`,
          tableSummary(name, created.metadataLocation, created.metadata),
        );
      }),
    );

  table
    .command("list <namespace>")
    .description("list the tables of a namespace")
    .action((namespace: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const tables = await (await catalog()).listTables(parseNamespace(namespace));
        output.rows(tables.map((id) => ({ table: formatTableIdentifier(id) })));
      }),
    );

  table
    .command("describe <table>")
    .description("show a table's schema, partitioning, sort order, snapshot and properties")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const loaded = await (await catalog()).loadTable(parseTableIdentifier(name));
        output.object(tableSummary(name, loaded.metadataLocation, loaded.metadata));
      }),
    );

  table
    .command("drop <table>")
    .description("drop a table from the catalog (--purge also deletes its files)")
    .option("--purge", "delete the table's data and metadata files")
    .action((name: string, options: { purge?: boolean }, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        await (await catalog()).dropTable(parseTableIdentifier(name), { purge: Boolean(options.purge) });
        output.done(`dropped table ${name}${options.purge ? " and purged its files" : ""}`, { table: name });
      }),
    );

  table
    .command("register <table> <metadata-location>")
    .description("register an existing Iceberg table by its metadata file")
    .action((name: string, metadataLocation: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const loaded = await (await catalog()).registerTable(parseTableIdentifier(name), metadataLocation);
        output.done(`registered table ${name}`, tableSummary(name, loaded.metadataLocation, loaded.metadata));
      }),
    );

  table
    .command("rename <from> <to>")
    .description("rename a table (it may move to another namespace; its files stay where they are)")
    .action((from: string, to: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        await (await catalog()).renameTable(parseTableIdentifier(from), parseTableIdentifier(to));
        output.done(`renamed table ${from} to ${to}`, { from, to });
      }),
    );

  registerTablePropertyCommands(table);
  registerTableSchemaCommands(table);
  registerTableLayoutCommands(table);
}
