/**
 * Whole-table consistency rules shared by the parser (a file must satisfy them to be read) and
 * applyUpdates (a commit must not produce metadata that could not be read back). They mirror the
 * checks of the reference implementation's TableMetadata and its schema, spec and sort-order
 * binding, so floe never writes what Java would refuse to load.
 */
import { validation } from "../core/errors.ts";
import { parsePrimitive } from "./conversions.ts";
import type { PartitionSpec } from "./partition-spec.ts";
import { indexById, walkFields } from "./schema.ts";
import { MAIN_BRANCH } from "./snapshot.ts";
import type { SortOrder } from "./sort-order.ts";
import type { TableMetadata } from "./table-metadata.ts";
import { parseTransform } from "./transforms.ts";
import { type IcebergType, type Schema, isList, isMap, isPrimitive } from "./types.ts";

/** Clock skew tolerated between log entries written by different machines, as Java allows. */
const ONE_MINUTE_MS = 60_000;

/** Primitive type kinds added by format v3. */
const V3_TYPES = new Set(["unknown", "variant", "timestamp_ns", "timestamptz_ns", "geometry", "geography"]);

const primitiveKind = (type: IcebergType): string | undefined =>
  isPrimitive(type) ? parsePrimitive(type).kind : undefined;

/** Rejects duplicate field ids and invalid identifier fields (must be required primitives, not float/double, not inside lists, maps or optional structs). */
export function validateSchema(schema: Schema): void {
  const where = `schema ${schema["schema-id"]}`;
  const seen = new Set<number>();
  for (const { field } of walkFields(schema)) {
    if (seen.has(field.id)) throw validation(`${where}: field id ${field.id} is used more than once`);
    seen.add(field.id);
  }
  const index = indexById(schema);
  for (const id of schema["identifier-field-ids"] ?? []) {
    const entry = index.get(id);
    const bad = (reason: string) => validation(`${where}: cannot use field id ${id} as an identifier field: ${reason}`);
    if (!entry) throw bad("field does not exist");
    const kind = primitiveKind(entry.field.type);
    if (kind === undefined) throw bad("not a primitive type field");
    if (!entry.field.required) throw bad("not a required field");
    if (kind === "float" || kind === "double") throw bad("must not be float or double");
    for (const parentId of entry.parents) {
      const parent = index.get(parentId)!.field;
      if (isList(parent.type) || isMap(parent.type))
        throw bad(`must not be nested in ${parent.type.type} ${parent.name}`);
      if (!parent.required) throw bad(`must not be nested in optional field ${parent.name}`);
    }
  }
}

/** Rejects types and column defaults that the table's format version does not support (v3 types, non-null defaults before v3). */
export function checkSchemaCompatibility(schema: Schema, formatVersion: number): void {
  const where = `schema ${schema["schema-id"]}`;
  for (const { field, name } of walkFields(schema)) {
    const kind = primitiveKind(field.type);
    if (kind !== undefined && V3_TYPES.has(kind) && formatVersion < 3)
      throw validation(`${where}: invalid type for ${name}: ${field.type} is not supported until v3`);
    if (kind === "unknown" && field.required)
      throw validation(`${where}: field ${name} of type unknown must be optional`);
    if (formatVersion < 3) {
      for (const key of ["initial-default", "write-default"] as const) {
        const value = field[key];
        if (value !== undefined && value !== null)
          throw validation(`${where}: invalid ${key} for ${name}: non-null default is not supported until v3`);
      }
    }
  }
}

function checkSourceFields(
  what: string,
  fields: { "source-id": number; "source-ids"?: number[]; transform: string }[],
  schema: Schema,
): void {
  const index = indexById(schema);
  for (const field of fields) {
    const transform = parseTransform(field.transform);
    for (const sourceId of field["source-ids"] ?? [field["source-id"]]) {
      const source = index.get(sourceId)?.field;
      if (!source) {
        // a void field may outlive its dropped source column (v1 tables cannot remove partition fields)
        if (transform.name === "void") continue;
        throw validation(`${what}: cannot find source column ${sourceId} in schema ${schema["schema-id"]}`);
      }
      if (!isPrimitive(source.type))
        throw validation(`${what}: cannot use non-primitive source field ${source.name} (${source.type.type})`);
      if (!transform.canTransform(source.type))
        throw validation(
          `${what}: invalid source type ${source.type} of ${source.name} for transform ${field.transform}`,
        );
    }
  }
}

/** Checks that every partition field's source exists in `schema` and its transform applies to it; names must be unique. */
export function checkPartitionSpecCompatibility(spec: PartitionSpec, schema: Schema): void {
  const what = `partition spec ${spec["spec-id"]}`;
  const names = new Set<string>();
  for (const field of spec.fields) {
    if (field.name === "") throw validation(`${what}: partition field names must not be empty`);
    if (names.has(field.name)) throw validation(`${what}: partition field name ${field.name} is used more than once`);
    names.add(field.name);
  }
  checkSourceFields(what, spec.fields, schema);
}

/** Checks that every sort field's source exists in `schema` and its transform applies to it. */
export function checkSortOrderCompatibility(order: SortOrder, schema: Schema): void {
  checkSourceFields(`sort order ${order["order-id"]}`, order.fields, schema);
}

function checkUnique<T>(items: T[], id: (item: T) => number | bigint, what: string): void {
  const seen = new Set<number | bigint>();
  for (const item of items) {
    const key = id(item);
    if (seen.has(key)) throw validation(`table metadata: ${what} ${key} appears more than once`);
    seen.add(key);
  }
}

function checkLogOrder(timestamps: number[], lastUpdatedMs: number, what: string): void {
  for (let i = 1; i < timestamps.length; i++) {
    if (timestamps[i] - timestamps[i - 1] < -ONE_MINUTE_MS)
      throw validation(
        `table metadata: ${what} entries must be sorted by timestamp-ms: ${timestamps[i - 1]} before ${timestamps[i]}`,
      );
  }
  const last = timestamps[timestamps.length - 1];
  if (last !== undefined && lastUpdatedMs - last < -ONE_MINUTE_MS)
    throw validation(`table metadata: last-updated-ms ${lastUpdatedMs} is before the last ${what} entry at ${last}`);
}

/** Checks everything a readable table metadata must satisfy; throws validation naming the broken rule. */
export function checkTableInvariants(metadata: TableMetadata): void {
  const version = metadata["format-version"];
  checkUnique(metadata.schemas, (s) => s["schema-id"], "schema id");
  checkUnique(metadata["partition-specs"], (s) => s["spec-id"], "partition spec id");
  checkUnique(metadata["sort-orders"], (o) => o["order-id"], "sort order id");
  checkUnique(metadata.snapshots, (s) => s["snapshot-id"], "snapshot id");
  if (version === 1 && metadata["last-sequence-number"] !== 0n)
    throw validation(`table metadata: last-sequence-number must be 0 in v1, got ${metadata["last-sequence-number"]}`);
  if (version > 1 && metadata["table-uuid"] === "")
    throw validation(`table metadata: table-uuid must exist in format v${version}`);
  if (version >= 3 && metadata["next-row-id"] === undefined)
    throw validation(`table metadata: next-row-id must exist in format v${version}`);

  for (const schema of metadata.schemas) {
    validateSchema(schema);
    checkSchemaCompatibility(schema, version);
  }
  const schema = metadata.schemas.find((s) => s["schema-id"] === metadata["current-schema-id"]);
  if (!schema)
    throw validation(`table metadata: cannot find schema with current-schema-id=${metadata["current-schema-id"]}`);

  // Only the default spec and order must bind to the current schema: older ones may reference dropped columns.
  const spec = metadata["partition-specs"].find((s) => s["spec-id"] === metadata["default-spec-id"]);
  if (!spec)
    throw validation(`table metadata: cannot find partition spec with default-spec-id=${metadata["default-spec-id"]}`);
  checkPartitionSpecCompatibility(spec, schema);
  const order = metadata["sort-orders"].find((o) => o["order-id"] === metadata["default-sort-order-id"]);
  if (!order)
    throw validation(
      `table metadata: cannot find sort order with default-sort-order-id=${metadata["default-sort-order-id"]}`,
    );
  checkSortOrderCompatibility(order, schema);

  const snapshotIds = new Set(metadata.snapshots.map((s) => s["snapshot-id"]));
  const current = metadata["current-snapshot-id"];
  if (current !== null && !snapshotIds.has(current))
    throw validation(`table metadata: cannot find current snapshot ${current} in snapshots`);
  for (const [name, ref] of Object.entries(metadata.refs)) {
    if (!snapshotIds.has(ref["snapshot-id"]))
      throw validation(`table metadata: snapshot ${ref["snapshot-id"]} of ref ${name} does not exist in snapshots`);
  }
  const main = metadata.refs[MAIN_BRANCH];
  if (main !== undefined && main.type !== "branch") throw validation("table metadata: ref main must be a branch");
  if (current === null && main !== undefined)
    throw validation(`table metadata: current snapshot is not set, but branch main points to ${main["snapshot-id"]}`);
  if (current !== null && main !== undefined && main["snapshot-id"] !== current)
    throw validation(
      `table metadata: current-snapshot-id ${current} does not match branch main (${main["snapshot-id"]})`,
    );

  const lastUpdated = metadata["last-updated-ms"];
  checkLogOrder(
    metadata["snapshot-log"].map((e) => e["timestamp-ms"]),
    lastUpdated,
    "snapshot-log",
  );
  checkLogOrder(
    metadata["metadata-log"].map((e) => e["timestamp-ms"]),
    lastUpdated,
    "metadata-log",
  );
}
