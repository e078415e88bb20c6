/**
 * The metadata of a brand-new table, built the way the reference implementation's
 * TableMetadata.newTableMetadata builds it, so that a table created by floe from a given schema,
 * spec and order is identical (ids included) to one created by Java: column ids are reassigned
 * from 1, the spec's and order's source ids follow their columns by name, partition field ids start
 * at 1000, the spec is id 0 and a sorted order id 1.
 */
import { unsupported, validation } from "../core/errors.ts";
import { newUuid } from "../core/ids.ts";
import { assignFreshIds } from "./fresh-ids.ts";
import { checkTableInvariants } from "./metadata-validation.ts";
import { PARTITION_DATA_ID_START, type PartitionField, type PartitionSpec } from "./partition-spec.ts";
import { fieldNameById, findFieldByName } from "./schema.ts";
import type { SortOrder } from "./sort-order.ts";
import type { FormatVersion, TableMetadata } from "./table-metadata.ts";
import { FORMAT_VERSION, RESERVED_PROPERTIES, propertyInt } from "./table-properties.ts";
import type { Schema } from "./types.ts";

/** The format version of tables created without one: v2, what floe writes and every engine reads. */
export const DEFAULT_FORMAT_VERSION: FormatVersion = 2;

/** What a new table is made of; ids in `schema` (and the sources in spec and order that point at them) are reassigned. */
export interface NewTableOptions {
  schema: Schema;
  /** Unpartitioned when absent; `field-id` may be missing on fields (assigned from 1000). */
  partitionSpec?: Omit<PartitionSpec, "fields" | "spec-id"> & {
    "spec-id"?: number;
    fields: (Omit<PartitionField, "field-id"> & { "field-id"?: number })[];
  };
  /** Unsorted when absent. */
  sortOrder?: Omit<SortOrder, "order-id"> & { "order-id"?: number };
  location: string;
  /** Table properties; "format-version" here is read as the format version and not stored. */
  properties?: Record<string, string>;
  /** Takes precedence over a "format-version" property; default 2. */
  formatVersion?: 1 | 2 | 3;
  tableUuid?: string;
  nowMs?: number;
}

/** Maps a source column id of the caller's schema to the fresh schema's id of the same column. */
function remapSource(original: Schema, fresh: Schema, id: number, what: string): number {
  const name = fieldNameById(original, id);
  const field = name === undefined ? undefined : findFieldByName(fresh, name);
  if (!field) throw validation(`${what}: cannot find source column ${id} in the table schema`);
  return field.id;
}

function remapSources<T extends { "source-id": number; "source-ids"?: number[] }>(
  item: T,
  original: Schema,
  fresh: Schema,
  what: string,
): T {
  const result = { ...item, "source-id": remapSource(original, fresh, item["source-id"], what) };
  const ids = item["source-ids"];
  if (ids !== undefined) result["source-ids"] = ids.map((id) => remapSource(original, fresh, id, what));
  return result;
}

function resolveFormatVersion(options: NewTableOptions): FormatVersion {
  const version = options.formatVersion ?? propertyInt(options.properties, FORMAT_VERSION, DEFAULT_FORMAT_VERSION);
  if (version > 3)
    throw unsupported(`cannot create a table with unsupported format version ${version} (supported: 1 to 3)`);
  if (version < 1) throw validation(`cannot create a table with format version ${version}`);
  return version as FormatVersion;
}

/** Builds the initial metadata of a table (no snapshots); throws validation for an inconsistent schema, spec or order. */
export function newTableMetadata(options: NewTableOptions): TableMetadata {
  const formatVersion = resolveFormatVersion(options);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.properties ?? {})) {
    if (key === FORMAT_VERSION) continue;
    if (RESERVED_PROPERTIES.has(key)) throw validation(`table properties must not contain reserved property ${key}`);
    properties[key] = value;
  }

  let lastColumnId = 0;
  const original = options.schema;
  const schema = assignFreshIds({ ...original, "schema-id": 0 }, () => ++lastColumnId);

  let lastPartitionId = PARTITION_DATA_ID_START - 1;
  const fields: PartitionField[] = (options.partitionSpec?.fields ?? []).map((field) => {
    const fieldId = field["field-id"] ?? lastPartitionId + 1;
    lastPartitionId = Math.max(lastPartitionId, fieldId);
    return { ...remapSources(field, original, schema, `partition field ${field.name}`), "field-id": fieldId };
  });
  const spec: PartitionSpec = { "spec-id": 0, fields };

  const sortFields = (options.sortOrder?.fields ?? []).map((field) =>
    remapSources(field, original, schema, `sort field ${field.transform}(${field["source-id"]})`),
  );
  const order: SortOrder = { "order-id": sortFields.length === 0 ? 0 : 1, fields: sortFields };

  const metadata: TableMetadata = {
    "format-version": formatVersion,
    "table-uuid": options.tableUuid ?? newUuid(),
    location: options.location.replace(/(?<=[^/])\/+$/, ""),
    "last-sequence-number": 0n,
    "last-updated-ms": options.nowMs ?? Date.now(),
    "last-column-id": lastColumnId,
    schemas: [schema],
    "current-schema-id": 0,
    "partition-specs": [spec],
    "default-spec-id": 0,
    "last-partition-id": lastPartitionId,
    properties,
    "current-snapshot-id": null,
    snapshots: [],
    "snapshot-log": [],
    "metadata-log": [],
    "sort-orders": [order],
    "default-sort-order-id": order["order-id"],
    refs: {},
    statistics: [],
    "partition-statistics": [],
  };
  if (formatVersion >= 3) metadata["next-row-id"] = 0n;
  checkTableInvariants(metadata);
  return metadata;
}
