/**
 * Fresh column ids for a schema, in the same order as the reference implementation
 * (TypeUtil.assignFreshIds): the fields of a struct get their ids first, then each field's type is
 * visited in order; a list's element id comes before the element type, a map's key and value ids
 * before the key and value types. Matching the order matters because another engine creating the
 * same table from the same schema must end up with the same ids.
 */
import { validation } from "../core/errors.ts";
import { fieldNameById, findFieldByName } from "./schema.ts";
import { type IcebergType, type NestedField, type Schema, type StructType, isList, isMap, isStruct } from "./types.ts";

function freshType(type: IcebergType, nextId: () => number): IcebergType {
  if (isStruct(type)) return freshStruct(type, nextId);
  if (isList(type)) {
    const elementId = nextId();
    return { ...type, "element-id": elementId, element: freshType(type.element, nextId) };
  }
  if (isMap(type)) {
    const keyId = nextId();
    const valueId = nextId();
    return {
      ...type,
      "key-id": keyId,
      key: freshType(type.key, nextId),
      "value-id": valueId,
      value: freshType(type.value, nextId),
    };
  }
  return type;
}

function freshStruct(struct: StructType, nextId: () => number): StructType {
  // ids for this level first, so siblings are numbered consecutively
  const ids = struct.fields.map(() => nextId());
  const fields: NestedField[] = struct.fields.map((field, i) => ({
    ...field,
    id: ids[i],
    type: freshType(field.type, nextId),
  }));
  return { ...struct, type: "struct", fields };
}

/**
 * A copy of `schema` with every field, element, key and value id drawn from `nextId`; the
 * identifier field ids are remapped by name. The schema id is kept as given.
 */
export function assignFreshIds(schema: Schema, nextId: () => number): Schema {
  const fresh = freshStruct(schema, nextId) as Schema;
  const result: Schema = { ...fresh, "schema-id": schema["schema-id"] };
  const identifiers = schema["identifier-field-ids"];
  if (identifiers !== undefined) {
    result["identifier-field-ids"] = identifiers.map((id) => {
      const name = fieldNameById(schema, id);
      const field = name === undefined ? undefined : findFieldByName(fresh, name);
      if (!field) throw validation(`identifier field id ${id} not found in schema ${schema["schema-id"]}`);
      return field.id;
    });
  }
  return result;
}
