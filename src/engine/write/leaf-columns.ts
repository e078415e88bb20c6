/**
 * The primitive leaf columns of a schema as the Parquet writer lays them out: each with its
 * Iceberg field, full dotted Iceberg name, the key DuckDB's RETURN_STATS uses for it (quoted path
 * segments: `"s"."y"."element"."z"`) and whether it sits inside a list or map (repeated: Iceberg
 * keeps no bounds for those).
 */
import { type NestedField, type Schema, type StructType, isList, isMap, isPrimitive } from "../../spec/types.ts";
import { quoteIdentifier } from "../sql/quoting.ts";

/** A primitive column of the written Parquet file. */
export interface LeafColumn {
  field: NestedField;
  /** Full dotted Iceberg name, e.g. "locations.key.zip". */
  name: string;
  /** Path segments in the Parquet file (list elements "element", map entries "key"/"value"). */
  path: string[];
  /** The column_statistics key of COPY ... RETURN_STATS. */
  statsKey: string;
  /** Inside a list or map. */
  repeated: boolean;
}

function* visit(field: NestedField, path: string[], repeated: boolean): Generator<LeafColumn> {
  const here = [...path, field.name];
  const type = field.type;
  if (isPrimitive(type)) {
    yield { field, name: here.join("."), path: here, statsKey: here.map(quoteIdentifier).join("."), repeated };
  } else if (isList(type)) {
    yield* visit(
      { id: type["element-id"], name: "element", required: type["element-required"], type: type.element },
      here,
      true,
    );
  } else if (isMap(type)) {
    yield* visit({ id: type["key-id"], name: "key", required: true, type: type.key }, here, true);
    yield* visit(
      { id: type["value-id"], name: "value", required: type["value-required"], type: type.value },
      here,
      true,
    );
  } else {
    for (const child of type.fields) yield* visit(child, here, repeated);
  }
}

/** Every primitive leaf column, depth-first in schema order. */
export function leafColumns(schema: StructType | Schema): LeafColumn[] {
  return schema.fields.flatMap((field) => [...visit(field, [], false)]);
}
