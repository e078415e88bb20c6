/** Readable one-line-per-column rendering of a schema, nested types inline. */
import { type IcebergType, type Schema, isList, isMap, isPrimitive } from "../spec/types.ts";

export function typeToString(type: IcebergType): string {
  if (isPrimitive(type)) return type;
  if (isList(type)) return `list<${typeToString(type.element)}>`;
  if (isMap(type)) return `map<${typeToString(type.key)}, ${typeToString(type.value)}>`;
  return `struct<${type.fields.map((f) => `${f.name} ${typeToString(f.type)}${f.required ? " required" : ""}`).join(", ")}>`;
}

/** "id: long required (1)" lines for the top-level columns. */
export const describeSchema = (schema: Schema): string[] =>
  schema.fields.map((f) => `${f.name}: ${typeToString(f.type)}${f.required ? " required" : ""} (id ${f.id})`);
