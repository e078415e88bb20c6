/**
 * Decodes one value per a resolved schema into floe's JS value mapping: long -> bigint, bytes and
 * fixed -> Uint8Array (copied), map -> Map<string, unknown>, record -> plain object, union -> the
 * branch's value, enum -> its symbol.
 */
import type { AvroDecoder } from "./binary-decoder.ts";
import { defineField } from "./defaults.ts";
import type { ResolvedRecord, ResolvedSchema, ResolvedUnion } from "./resolved-schema.ts";

/** Reads one value of `schema` from `decoder`. */
export function readValue(decoder: AvroDecoder, schema: ResolvedSchema): unknown {
  return compileReader(schema)(decoder);
}

/** A reader of one value of a fixed schema. */
export type ValueReader = (decoder: AvroDecoder) => unknown;

const compiled = new WeakMap<ResolvedSchema, ValueReader>();

const readNull: ValueReader = () => null;
const readBoolean: ValueReader = (decoder) => decoder.readBoolean();
const readInt: ValueReader = (decoder) => decoder.readInt();
const readLong: ValueReader = (decoder) => decoder.readLong();
const readFloat: ValueReader = (decoder) => decoder.readFloat();
const readDouble: ValueReader = (decoder) => decoder.readDouble();
const readBytes: ValueReader = (decoder) => decoder.readBytes();
const readString: ValueReader = (decoder) => decoder.readString();

/**
 * The reader of `schema`, built once per resolved schema node: a tree of closures that reads
 * fields in order without re-dispatching on the schema kind for every value. Recursive records
 * work because a record's reader is registered before its fields are compiled.
 */
export function compileReader(schema: ResolvedSchema): ValueReader {
  const known = compiled.get(schema);
  if (known) return known;
  switch (schema.kind) {
    case "null":
      return remember(schema, readNull);
    case "boolean":
      return remember(schema, readBoolean);
    case "int":
      return remember(schema, readInt);
    case "long":
      return remember(schema, readLong);
    case "float":
      return remember(schema, readFloat);
    case "double":
      return remember(schema, readDouble);
    case "bytes":
      return remember(schema, readBytes);
    case "string":
      return remember(schema, readString);
    case "fixed": {
      const size = schema.size;
      return remember(schema, (decoder) => decoder.readFixed(size));
    }
    case "enum": {
      const { symbols, fullName } = schema;
      return remember(schema, (decoder) => {
        const index = decoder.readInt();
        if (index < 0 || index >= symbols.length)
          throw decoder.corrupt(`enum index ${index} is out of range for ${fullName}`);
        return symbols[index];
      });
    }
    case "array": {
      const items = schema.items;
      const itemSize = minimumSize(items);
      // Items are compiled on first use: an array of the record being compiled is legal.
      let readItem: ValueReader | undefined;
      return remember(schema, (decoder) => {
        readItem ??= compileReader(items);
        const values: unknown[] = [];
        for (let count = readBlockCount(decoder, itemSize); count > 0; count = readBlockCount(decoder, itemSize))
          for (let index = 0; index < count; index++) values.push(readItem(decoder));
        return values;
      });
    }
    case "map": {
      const valuesSchema = schema.values;
      const entrySize = 1 + minimumSize(valuesSchema); // the key takes at least its length byte
      let readEntry: ValueReader | undefined;
      return remember(schema, (decoder) => {
        readEntry ??= compileReader(valuesSchema);
        const map = new Map<string, unknown>();
        for (let count = readBlockCount(decoder, entrySize); count > 0; count = readBlockCount(decoder, entrySize))
          for (let index = 0; index < count; index++) {
            const key = decoder.readString();
            map.set(key, readEntry(decoder));
          }
        return map;
      });
    }
    case "record":
      return compileRecord(schema);
    case "union":
      return compileUnion(schema);
  }
}

function remember(schema: ResolvedSchema, reader: ValueReader): ValueReader {
  compiled.set(schema, reader);
  return reader;
}

function compileRecord(schema: ResolvedRecord): ValueReader {
  const names = schema.fields.map((field) => field.name);
  const readers: ValueReader[] = [];
  const count = names.length;
  // Only a field named "__proto__" needs defineProperty; every other record assigns plainly.
  const plain = !names.includes("__proto__");
  const reader: ValueReader = plain
    ? (decoder) => {
        const record: Record<string, unknown> = {};
        for (let index = 0; index < count; index++) record[names[index]] = readers[index](decoder);
        return record;
      }
    : (decoder) => {
        const record: Record<string, unknown> = {};
        for (let index = 0; index < count; index++) defineField(record, names[index], readers[index](decoder));
        return record;
      };
  remember(schema, reader);
  for (const field of schema.fields) readers.push(compileReader(field.schema));
  return reader;
}

function compileUnion(schema: ResolvedUnion): ValueReader {
  const { branches } = schema;
  const readers: ValueReader[] = [];
  const outOfRange = (decoder: AvroDecoder, index: number): Error =>
    decoder.corrupt(`union branch ${index} is out of range (the union has ${branches.length})`);
  let reader: ValueReader;
  if (branches.length === 2 && branches[0].kind === "null") {
    // ["null", T], the shape of every optional field: no array lookup for the common branches.
    reader = (decoder) => {
      const index = decoder.readInt();
      if (index === 0) return null;
      if (index === 1) return readers[1](decoder);
      throw outOfRange(decoder, index);
    };
  } else {
    reader = (decoder) => {
      const index = decoder.readInt();
      if (index < 0 || index >= readers.length) throw outOfRange(decoder, index);
      return readers[index](decoder);
    };
  }
  remember(schema, reader);
  for (const branch of branches) readers.push(compileReader(branch));
  return reader;
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
