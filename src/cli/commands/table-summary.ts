/** What `table describe` shows of a table, also printed by the verbs that create or change one. */
import { fieldNameById } from "../../spec/schema.ts";
import type { TableMetadata } from "../../spec/table-metadata.ts";
import { describeSchema } from "../describe.ts";

/** A short description of a table's state, shared by `table describe` and `table create`. */
export function tableSummary(name: string, location: string, metadata: TableMetadata) {
  const schema = metadata.schemas.find((s) => s["schema-id"] === metadata["current-schema-id"])!;
  const spec = metadata["partition-specs"].find((s) => s["spec-id"] === metadata["default-spec-id"])!;
  const order = metadata["sort-orders"].find((o) => o["order-id"] === metadata["default-sort-order-id"]);
  const columnName = (id: number) => fieldNameById(schema, id) ?? `#${id}`;
  const current = metadata.snapshots.find((s) => s["snapshot-id"] === metadata["current-snapshot-id"]);
  return {
    table: name,
    "format-version": metadata["format-version"],
    "table-uuid": metadata["table-uuid"],
    location: metadata.location,
    "metadata-location": location,
    "current-snapshot-id": metadata["current-snapshot-id"],
    refs: metadata.refs,
    "total-records": current?.summary["total-records"] ?? "0",
    "total-data-files": current?.summary["total-data-files"] ?? "0",
    "current-schema-id": schema["schema-id"],
    schema: describeSchema(schema),
    "default-spec-id": spec["spec-id"],
    partitioning: spec.fields.map((f) => `${f.name}: ${f.transform}(${columnName(f["source-id"])})`),
    "default-sort-order-id": metadata["default-sort-order-id"],
    "sort-order": (order?.fields ?? []).map(
      (f) => `${f.transform}(${columnName(f["source-id"])}) ${f.direction} ${f["null-order"]}`,
    ),
    properties: metadata.properties,
  };
}
