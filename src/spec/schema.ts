/**
 * Lookups over schemas and nested types: by field id, by (nested, dotted) name, and the highest
 * assigned id. Names of nested fields follow the spec's conventions: struct fields by name,
 * list elements as "element", map keys and values as "key" and "value" (e.g. "locations.key.zip").
 */
import { notFound } from "../core/errors.ts";
import { type IcebergType, type NestedField, type Schema, type StructType, isList, isMap, isStruct } from "./types.ts";

/** A field found inside a type, with its full dotted name and the fields leading to it. */
export interface IndexedField {
  field: NestedField;
  /** Full dotted name from the root struct. */
  name: string;
  /** Ids of the enclosing fields, outermost first. */
  parents: number[];
}

/** Visits every nested field (struct fields, list elements, map keys and values) depth-first. */
export function* walkFields(
  type: IcebergType,
  prefix = "",
  parents: number[] = [],
): Generator<IndexedField> {
  const children: NestedField[] = isStruct(type)
    ? type.fields
    : isList(type)
      ? [{ id: type["element-id"], name: "element", required: type["element-required"], type: type.element }]
      : isMap(type)
        ? [
            { id: type["key-id"], name: "key", required: true, type: type.key },
            { id: type["value-id"], name: "value", required: type["value-required"], type: type.value },
          ]
        : [];
  for (const field of children) {
    const name = prefix ? `${prefix}.${field.name}` : field.name;
    yield { field, name, parents };
    yield* walkFields(field.type, name, [...parents, field.id]);
  }
}

const indexCache = new WeakMap<StructType, Map<number, IndexedField>>();

/** Every nested field by id (cached per schema object: schemas are treated as immutable). */
export function indexById(schema: StructType): Map<number, IndexedField> {
  let index = indexCache.get(schema);
  if (!index) {
    index = new Map();
    for (const entry of walkFields(schema)) index.set(entry.field.id, entry);
    indexCache.set(schema, index);
  }
  return index;
}

export const findFieldById = (schema: StructType, id: number): NestedField | undefined =>
  indexById(schema).get(id)?.field;

/** The field with this id, or a not-found FloeError naming the id. */
export function fieldById(schema: StructType, id: number): NestedField {
  const field = findFieldById(schema, id);
  if (!field) throw notFound(`field id ${id} not found in schema${"schema-id" in schema ? ` ${(schema as Schema)["schema-id"]}` : ""}`);
  return field;
}

/** The full dotted name of the field with this id. */
export const fieldNameById = (schema: StructType, id: number): string | undefined => indexById(schema).get(id)?.name;

/** Finds a field by full dotted name; case-insensitive matching when asked. */
export function findFieldByName(schema: StructType, name: string, caseSensitive = true): NestedField | undefined {
  const wanted = caseSensitive ? name : name.toLowerCase();
  for (const entry of indexById(schema).values()) {
    if ((caseSensitive ? entry.name : entry.name.toLowerCase()) === wanted) return entry.field;
  }
  return undefined;
}

/** The highest field id used anywhere in the type (0 for an empty struct). */
export function highestFieldId(type: IcebergType): number {
  let max = 0;
  for (const { field } of walkFields(type)) max = Math.max(max, field.id);
  return max;
}
