/**
 * Converts a field default from its JSON form in the schema (Avro spec "default values") into
 * floe's JS value mapping, so the writer can encode it like any other value. JSON spells bytes and
 * fixed as strings whose code points 0-255 are the bytes, and a union default must match its
 * first branch.
 */
import { badInput } from "../core/errors.ts";
import type { ResolvedSchema } from "./resolved-schema.ts";

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** The default of field `where` as a JS value; throws bad-input if it does not fit the field's type. */
export function jsonDefaultToValue(schema: ResolvedSchema, json: unknown, where: string): unknown {
  const fail = (): never => {
    const shown = typeof json === "bigint" ? json.toString() : JSON.stringify(json);
    throw badInput(`Avro default for ${where} does not match its type ${schema.kind}: ${shown}`);
  };
  switch (schema.kind) {
    case "null":
      return json === null ? null : fail();
    case "boolean":
      return typeof json === "boolean" ? json : fail();
    case "int": {
      const value = typeof json === "bigint" ? Number(json) : json;
      return typeof value === "number" && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX
        ? value
        : fail();
    }
    case "long": {
      const value = typeof json === "number" && Number.isSafeInteger(json) ? BigInt(json) : json;
      return typeof value === "bigint" && value >= LONG_MIN && value <= LONG_MAX ? value : fail();
    }
    case "float":
    case "double":
      if (typeof json === "number") return json;
      if (typeof json === "bigint") return Number(json);
      if (json === "NaN") return Number.NaN;
      if (json === "Infinity") return Number.POSITIVE_INFINITY;
      if (json === "-Infinity") return Number.NEGATIVE_INFINITY;
      return fail();
    case "string":
      return typeof json === "string" ? json : fail();
    case "bytes":
    case "fixed": {
      if (typeof json !== "string") return fail();
      const bytes = Uint8Array.from(json, (char) => char.charCodeAt(0));
      const faithful = [...json].every((char) => char.charCodeAt(0) <= 0xff);
      if (!faithful || (schema.kind === "fixed" && bytes.length !== schema.size)) return fail();
      return bytes;
    }
    case "enum":
      return typeof json === "string" && schema.symbols.includes(json) ? json : fail();
    case "array":
      return Array.isArray(json)
        ? json.map((item, index) => jsonDefaultToValue(schema.items, item, `${where}[${index}]`))
        : fail();
    case "map":
      if (typeof json !== "object" || json === null || Array.isArray(json)) return fail();
      return new Map(
        Object.entries(json).map(([key, value]) => [
          key,
          jsonDefaultToValue(schema.values, value, `${where}["${key}"]`),
        ]),
      );
    case "record": {
      if (typeof json !== "object" || json === null || Array.isArray(json)) return fail();
      const source = json as Record<string, unknown>;
      const record: Record<string, unknown> = {};
      for (const field of schema.fields) {
        const inner = `${where}.${field.name}`;
        if (Object.hasOwn(source, field.name))
          defineField(record, field.name, jsonDefaultToValue(field.schema, source[field.name], inner));
        else if (field.hasDefault)
          defineField(record, field.name, jsonDefaultToValue(field.schema, field.defaultJson, inner));
        else if (!field.nullable) throw badInput(`Avro default for ${where} lacks field "${field.name}"`);
      }
      return record;
    }
    case "union":
      // Only the first branch, as the spec says: Java's parser rejects other defaults, and a
      // file whose schema Java cannot parse would be unreadable there.
      try {
        return jsonDefaultToValue(schema.branches[0], json, where);
      } catch {
        return fail();
      }
  }
}

/** Sets a field on a plain object, even one named "__proto__" (a legal Avro name). */
export function defineField(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === "__proto__")
    Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
