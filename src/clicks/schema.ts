/**
 * The click record of the original system as an Iceberg schema, and the default layout of the
 * `clicks.events` table: partitioned by day(event_time) so an ML job's "one day" read opens one
 * partition, sorted by (element_id, event_time) inside each file so a dashboard's "one element
 * between two dates" read skips every row group whose element_id range misses.
 *
 * Requiredness: event_id (the row key), element_id (what was clicked) and event_time (when) are
 * what makes a click a click and what both access patterns filter on, so they are required. Every
 * other column is optional: clients omit them (no location permission, anonymous users, IP
 * scrubbing for privacy), and a missing value must not drop the click.
 */
import { isFloeError, validation } from "../core/errors.ts";
import type { Catalog, TableIdentifier } from "../catalog/catalog.ts";
import { formatTableIdentifier } from "../catalog/identifiers.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { findFieldByName } from "../spec/schema.ts";
import type { SortOrder } from "../spec/sort-order.ts";
import { PARQUET_COMPRESSION, WRITE_TARGET_FILE_SIZE_BYTES } from "../spec/table-properties.ts";
import type { NestedField, Schema } from "../spec/types.ts";
import { Table } from "../table/table.ts";

const field = (id: number, name: string, type: string, required: boolean, doc: string): NestedField => ({
  id,
  name,
  required,
  type,
  doc,
});

/** The click schema (field ids 1..12, event_id is the identifier field). */
export const CLICK_SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  "identifier-field-ids": [1],
  fields: [
    field(1, "event_id", "string", true, "Unique id of the click (UUID text)"),
    field(2, "user_id", "string", false, "The user who clicked; absent for anonymous clicks"),
    field(3, "device_id", "string", false, "The device the click came from"),
    field(4, "element_id", "long", true, "The UI element clicked"),
    field(5, "latitude", "double", false, "Latitude in degrees, when the client shared its location"),
    field(6, "longitude", "double", false, "Longitude in degrees, when the client shared its location"),
    field(7, "country", "string", false, "ISO 3166-1 alpha-2 country code"),
    field(8, "event_time", "timestamp", true, "When the click happened (UTC, microseconds, no zone)"),
    field(9, "ip_address", "string", false, "Client IPv4/IPv6 address as text"),
    field(10, "city", "string", false, "City name"),
    field(11, "os", "string", false, "Operating system of the device"),
    field(12, "device_model", "string", false, "Device model"),
  ],
};

/** The default table identifier of the click stream. */
export const CLICKS_TABLE: TableIdentifier = { namespace: ["clicks"], name: "events" };

/**
 * Target size of a data file. Measured (generator-sql.ts data, 100k elements, sorted by
 * (element_id, event_time), zstd Parquet written by DuckDB 1.5 with 122,880-row row groups):
 * 1M rows → 54.7 MB (54.7 B/row; event_id, random UUID text, is 20.6 B of it), 6M rows →
 * 325.4 MB in 49 row groups (54.2 B/row). 512 MiB (the Iceberg default) lands a 6M-click day as one
 * file and leaves headroom up to ~9.9M clicks a day before a second file appears; a smaller target
 * would split every day for no reading gain (element lookups prune by row group, not by file).
 */
export const CLICK_TARGET_FILE_SIZE_BYTES = 536_870_912;
/** Measured bytes per row of sorted zstd Parquet clicks (see CLICK_TARGET_FILE_SIZE_BYTES). */
export const CLICK_BYTES_PER_ROW = 54.2;

/** The default layout of the clicks table: schema, partition spec, sort order and properties. */
export interface ClickTableLayout {
  schema: Schema;
  partitionSpec: PartitionSpec;
  sortOrder: SortOrder;
  properties: Record<string, string>;
}

/** day(event_time) partitions, (element_id asc, event_time asc) order, zstd Parquet files of 512 MiB. */
export function clickTableLayout(): ClickTableLayout {
  return {
    schema: structuredClone(CLICK_SCHEMA),
    partitionSpec: {
      "spec-id": 0,
      fields: [{ "source-id": 8, "field-id": 1000, name: "event_time_day", transform: "day" }],
    },
    sortOrder: {
      "order-id": 1,
      fields: [
        { transform: "identity", "source-id": 4, direction: "asc", "null-order": "nulls-first" },
        { transform: "identity", "source-id": 8, direction: "asc", "null-order": "nulls-first" },
      ],
    },
    properties: {
      [WRITE_TARGET_FILE_SIZE_BYTES]: String(CLICK_TARGET_FILE_SIZE_BYTES),
      [PARQUET_COMPRESSION]: "zstd",
    },
  };
}

/** Names of click columns whose type differs in `schema` (or that it lacks). */
function incompatibleColumns(schema: Schema): string[] {
  return CLICK_SCHEMA.fields
    .filter((expected) => findFieldByName(schema, expected.name)?.type !== expected.type)
    .map((expected) => expected.name);
}

/**
 * Creates the clicks table (and its namespace) with the default layout, or returns the existing
 * table when it already holds every click column with the click type; validation error otherwise.
 * Safe to call concurrently: losing a creation race returns the winner's table.
 */
export async function createClicksTable(catalog: Catalog, identifier: TableIdentifier = CLICKS_TABLE): Promise<Table> {
  if (!(await catalog.namespaceExists(identifier.namespace))) {
    await catalog.createNamespace(identifier.namespace).catch((error: unknown) => {
      if (!isFloeError(error, "already-exists")) throw error;
    });
  }
  let table: Table;
  if (await catalog.tableExists(identifier)) {
    table = await Table.load(catalog, identifier);
  } else {
    try {
      table = new Table(catalog, await catalog.createTable(identifier, clickTableLayout()));
      return table;
    } catch (error) {
      if (!isFloeError(error, "already-exists")) throw error;
      table = await Table.load(catalog, identifier);
    }
  }
  const bad = incompatibleColumns(table.schema());
  if (bad.length > 0) {
    throw validation(
      `table ${formatTableIdentifier(identifier)} exists but is not a clicks table: columns ${bad.join(", ")} are missing or have another type`,
    );
  }
  return table;
}
