/**
 * Compact text forms for schemas, partition fields and sort fields on the command line:
 *   schema:    "id long required, name string, price decimal(10,2), tags list<string>,
 *               attrs map<string,long>, place struct<lat double, lon double>"
 *   partition: "day(event_time)", "bucket(16, user_id)", "truncate(4, name)", "country"
 *   sort:      "element_id", "event_time desc nulls-last", "day(event_time) asc"
 * A JSON schema (the spec's own form) is accepted wherever a schema is.
 */
import { badInput } from "../core/errors.ts";
import { parseJson } from "../core/json.ts";
import { parsePrimitiveType } from "../spec/metadata-parser.ts";
import type { IcebergType, NestedField, Schema } from "../spec/types.ts";

/** Splits on a separator at bracket depth 0. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "<" || c === "(") depth++;
    else if (c === ">" || c === ")") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

class IdAllocator {
  private next = 1;
  take(): number {
    return this.next++;
  }
}

function parseType(text: string, ids: IdAllocator): IcebergType {
  const t = text.trim();
  const generic = /^(list|map|struct)\s*<(.*)>$/is.exec(t);
  if (!generic) {
    return parsePrimitiveType(t.toLowerCase().replace(/\s+/g, ""), "schema");
  }
  const [, kind, inner] = generic;
  switch (kind.toLowerCase()) {
    case "list":
      return { type: "list", "element-id": ids.take(), element: parseType(inner, ids), "element-required": false };
    case "map": {
      const [key, value, ...rest] = splitTopLevel(inner, ",");
      if (!key || !value || rest.length) throw badInput(`map needs key and value types: "${t}"`);
      const keyId = ids.take();
      const valueId = ids.take();
      return {
        type: "map",
        "key-id": keyId,
        key: parseType(key, ids),
        "value-id": valueId,
        value: parseType(value, ids),
        "value-required": false,
      };
    }
    default:
      return { type: "struct", fields: parseFields(inner, ids) };
  }
}

function parseFields(text: string, ids: IdAllocator): NestedField[] {
  const declared = splitTopLevel(text, ",").map((decl) => {
    const match = /^([A-Za-z_][\w]*)\s+(.+?)(\s+(required|not\s+null|optional))?$/is.exec(decl);
    if (!match) throw badInput(`field needs "name type [required]": "${decl}"`);
    return {
      name: match[1],
      typeText: match[2],
      required: /required|not\s+null/i.test(match[4] ?? ""),
      id: ids.take(),
    };
  });
  return declared.map((d) => ({ id: d.id, name: d.name, required: d.required, type: parseType(d.typeText, ids) }));
}

/** Parses a schema from the compact form or from spec JSON. Ids are provisional: table creation reassigns them. */
export function parseSchemaArg(text: string): Schema {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const json = parseJson(trimmed, "schema") as unknown as Schema;
    return { ...json, type: "struct", "schema-id": json["schema-id"] ?? 0 };
  }
  return { type: "struct", "schema-id": 0, fields: parseFields(trimmed, new IdAllocator()) };
}

/** "bucket(16, id)" → { source: "id", transform: "bucket[16]" }; "country" → identity. */
export function parsePartitionArg(text: string): { source: string; transform: string } {
  const call = /^\s*(\w+)\s*\(\s*(?:(\d+)\s*,\s*)?([\w.]+)\s*\)\s*$/.exec(text);
  if (!call) {
    if (!/^\s*[\w.]+\s*$/.test(text))
      throw badInput(`partition field must be "column" or "transform(column)": "${text}"`);
    return { source: text.trim(), transform: "identity" };
  }
  const [, name, param, source] = call;
  const transform = name.toLowerCase().replace(/s$/, "");
  return { source, transform: param ? `${transform}[${param}]` : transform };
}

/** "event_time desc nulls-last" → sort field pieces. */
export function parseSortArg(text: string): {
  source: string;
  transform: string;
  direction: "asc" | "desc";
  nullOrder?: "nulls-first" | "nulls-last";
} {
  const [term, ...words] = text.trim().split(/\s+/);
  const { source, transform } = parsePartitionArg(term);
  const direction = words.includes("desc") ? "desc" : "asc";
  const nullOrder = words.find((w) => w.startsWith("nulls-")) as "nulls-first" | "nulls-last" | undefined;
  const unknown = words.filter((w) => !["asc", "desc", "nulls-first", "nulls-last"].includes(w));
  if (unknown.length) throw badInput(`unknown sort words ${unknown.join(", ")} in "${text}"`);
  return { source, transform, direction, nullOrder };
}
