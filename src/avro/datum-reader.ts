/**
 * Decodes one value per a resolved schema into floe's JS value mapping: long -> bigint, bytes and
 * fixed -> Uint8Array (copied), map -> Map<string, unknown>, record -> plain object, union -> the
 * branch's value, enum -> its symbol.
 */
import type { AvroDecoder } from "./binary-decoder.ts";
import { defineField } from "./defaults.ts";
import type { ResolvedSchema } from "./resolved-schema.ts";

/** Reads one value of `schema` from `decoder`. */
export function readValue(decoder: AvroDecoder, schema: ResolvedSchema): unknown {
  switch (schema.kind) {
    case "null":
      return null;
    case "boolean":
      return decoder.readBoolean();
    case "int":
      return decoder.readInt();
    case "long":
      return decoder.readLong();
    case "float":
      return decoder.readFloat();
    case "double":
      return decoder.readDouble();
    case "bytes":
      return decoder.readBytes();
    case "string":
      return decoder.readString();
    case "fixed":
      return decoder.readFixed(schema.size);
    case "enum": {
      const index = decoder.readInt();
      if (index < 0 || index >= schema.symbols.length)
        throw decoder.corrupt(`enum index ${index} is out of range for ${schema.fullName}`);
      return schema.symbols[index];
    }
    case "array": {
      const items: unknown[] = [];
      const itemSize = minimumSize(schema.items);
      for (let count = readBlockCount(decoder, itemSize); count > 0; count = readBlockCount(decoder, itemSize))
        for (let index = 0; index < count; index++) items.push(readValue(decoder, schema.items));
      return items;
    }
    case "map": {
      const map = new Map<string, unknown>();
      const entrySize = 1 + minimumSize(schema.values); // the key takes at least its length byte
      for (let count = readBlockCount(decoder, entrySize); count > 0; count = readBlockCount(decoder, entrySize))
        for (let index = 0; index < count; index++) {
          const key = decoder.readString();
          map.set(key, readValue(decoder, schema.values));
        }
      return map;
    }
    case "record": {
      const record: Record<string, unknown> = {};
      for (const field of schema.fields) defineField(record, field.name, readValue(decoder, field.schema));
      return record;
    }
    case "union": {
      const index = decoder.readInt();
      if (index < 0 || index >= schema.branches.length)
        throw decoder.corrupt(`union branch ${index} is out of range (the union has ${schema.branches.length})`);
      return readValue(decoder, schema.branches[index]);
    }
  }
}

/**
 * The item count of the next array/map block. A negative count is followed by the block's byte
 * size (which lets readers skip it), and means |count| items. Counts that the remaining input
 * cannot possibly hold are reported as corrupt rather than looped over.
 */
function readBlockCount(decoder: AvroDecoder, itemSize: number): number {
  let count = decoder.readLongAsNumber();
  if (count < 0) {
    count = -count;
    const size = decoder.readLongAsNumber();
    if (size < 0 || size > decoder.remaining) throw decoder.corrupt(`block byte size ${size} is impossible`);
  }
  const limit = itemSize > 0 ? decoder.remaining / itemSize : MAX_EMPTY_ITEMS;
  if (count > limit) throw decoder.corrupt(`block claims ${count} items but only ${decoder.remaining} bytes remain`);
  return count;
}

/** Items that take no bytes (null, empty records) cannot be checked against the input size; cap them. */
const MAX_EMPTY_ITEMS = 10_000_000;

const minimumSizes = new WeakMap<ResolvedSchema, number>();

/** The fewest bytes any value of the schema can take (map entries count their key too). */
function minimumSize(schema: ResolvedSchema, visiting = new Set<ResolvedSchema>()): number {
  const cached = minimumSizes.get(schema);
  if (cached !== undefined) return cached;
  if (visiting.has(schema)) return 0;
  visiting.add(schema);
  let size: number;
  switch (schema.kind) {
    case "null":
      size = 0;
      break;
    case "float":
      size = 4;
      break;
    case "double":
      size = 8;
      break;
    case "fixed":
      size = schema.size;
      break;
    case "record":
      size = schema.fields.reduce((sum, field) => sum + minimumSize(field.schema, visiting), 0);
      break;
    default:
      size = 1;
  }
  visiting.delete(schema);
  minimumSizes.set(schema, size);
  return size;
}
