/**
 * The Avro object container file (Avro 1.11 spec, "Object Container Files"): magic `Obj\x01`,
 * a header map<bytes> holding `avro.schema`, `avro.codec` and caller metadata, a 16-byte random
 * sync marker, then blocks of (record count, byte size, data, sync marker).
 */
import { randomBytes } from "node:crypto";
import { badInput } from "../core/errors.ts";
import { parseJson, stringifyJson } from "../core/json.ts";
import { AvroDecoder } from "./binary-decoder.ts";
import { AvroEncoder } from "./binary-encoder.ts";
import { type AvroWriteCodec, checkReadableCodec, compressBlock, decompressBlock } from "./codec.ts";
import { type ValueReader, compileReader } from "./datum-reader.ts";
import { encodeValue } from "./datum-writer.ts";
import { describeSchema, resolveAvroSchema } from "./resolved-schema.ts";
import type { AvroSchema } from "./schema.ts";

const MAGIC = Uint8Array.of(0x4f, 0x62, 0x6a, 0x01); // "Obj" 1
const SYNC_SIZE = 16;
const utf8 = new TextEncoder();
const lenientUtf8 = new TextDecoder();

/**
 * Default uncompressed bytes per block: 64,000, the sync interval of the Java and Python reference
 * implementations. Blocks bound a reader's memory and are the unit of compression; ~64 KB fills
 * deflate's 32 KiB window twice over while keeping per-block overhead (24+ bytes) negligible.
 */
export const DEFAULT_AVRO_BLOCK_SIZE = 64_000;

/** Options for writeAvroContainer. */
export interface AvroWriteOptions {
  schema: AvroSchema;
  records: Iterable<unknown>;
  /** Block compression; default "null" (none). */
  codec?: AvroWriteCodec;
  /** Extra header entries (keys must not start with "avro.", which the spec reserves). */
  metadata?: Record<string, string>;
  /** A block is closed once its uncompressed data reaches this many bytes. */
  blockSize?: number;
}

/** An opened container: header fields plus a lazy record iterator. */
export interface AvroContainerReader {
  /** The writer's schema, parsed from the `avro.schema` header entry (attributes preserved). */
  schema: AvroSchema;
  /** Every header entry as UTF-8 text, including `avro.schema` and `avro.codec` when present. */
  metadata: Record<string, string>;
  /** The block codec; "null" when the header has no `avro.codec`. */
  codec: string;
  /** Records in file order, decoded block by block as iteration proceeds. */
  records: Generator<unknown>;
}

/** Encodes records into a complete Avro object container file. */
export function writeAvroContainer(options: AvroWriteOptions): Uint8Array {
  const { schema, records, codec = "null", metadata = {}, blockSize = DEFAULT_AVRO_BLOCK_SIZE } = options;
  if (codec !== "null" && codec !== "deflate")
    throw badInput(`Avro codec "${String(codec)}" cannot be written (floe writes "null" or "deflate")`);
  if (!Number.isInteger(blockSize) || blockSize < 1)
    throw badInput(`Avro block size must be a positive integer, got ${blockSize}`);
  const resolved = resolveAvroSchema(schema, { forWriting: true });
  const entries: [string, string][] = [
    ["avro.schema", stringifyJson(schema)],
    ["avro.codec", codec],
  ];
  for (const [key, value] of Object.entries(metadata)) {
    if (key.startsWith("avro.")) throw badInput(`Avro metadata key "${key}" is reserved (keys starting with "avro.")`);
    if (typeof value !== "string") throw badInput(`Avro metadata "${key}" must be a string, got ${typeof value}`);
    entries.push([key, value]);
  }
  const sync = new Uint8Array(randomBytes(SYNC_SIZE));
  const out = new AvroEncoder(Math.min(blockSize, 1 << 20) + 1024);
  out.writeRaw(MAGIC);
  out.writeLong(entries.length);
  for (const [key, value] of entries) {
    out.writeString(key);
    out.writeBytes(utf8.encode(value));
  }
  out.writeLong(0);
  out.writeRaw(sync);

  const block = new AvroEncoder(Math.min(blockSize, 1 << 20) + 1024);
  let count = 0;
  const flush = () => {
    const data = compressBlock(codec, block.toBytes());
    out.writeLong(count);
    out.writeLong(data.length);
    out.writeRaw(data);
    out.writeRaw(sync);
    block.reset();
    count = 0;
  };
  let index = 0;
  for (const record of records) {
    encodeValue(block, resolved, record, `Avro record #${index} (${describeSchema(resolved)})`);
    index++;
    count++;
    if (block.length >= blockSize) flush();
  }
  if (count > 0) flush();
  return out.toBytes();
}

/** Reads a whole container: schema, header metadata and every record. */
export function readAvroContainer(bytes: Uint8Array): {
  schema: AvroSchema;
  metadata: Record<string, string>;
  records: unknown[];
} {
  const header = readHeader(bytes);
  const records: unknown[] = [];
  for (const block of blocks(bytes, header)) {
    const { decoder, count, what, read } = block;
    for (let index = 0; index < count; index++) records.push(read(decoder));
    checkBlockEnd(decoder, count, what);
  }
  return { schema: header.schema, metadata: header.metadata, records };
}

/**
 * The records of a container, lazily. The header is parsed (and validated) when this is called,
 * so a file that is not Avro fails here rather than on the first `next()`.
 */
export function iterateAvroContainer(bytes: Uint8Array): Generator<unknown> {
  return openAvroContainer(bytes).records;
}

/** Parses and validates the header now; records are decoded lazily by the returned generator. */
export function openAvroContainer(bytes: Uint8Array): AvroContainerReader {
  const header = readHeader(bytes);
  return { schema: header.schema, metadata: header.metadata, codec: header.codec, records: readRecords(bytes, header) };
}

/** A parsed writer schema with its compiled reader. */
interface ParsedSchema {
  schema: AvroSchema;
  read: ValueReader;
}

/** Writer schemas by their header text: metadata files repeat a few schemas, parsed and compiled once each. */
const parsedSchemas = new Map<string, ParsedSchema>();
const MAX_PARSED_SCHEMAS = 256;

function parsedSchema(text: string): ParsedSchema {
  const known = parsedSchemas.get(text);
  if (known) return known;
  const schema = parseJson(text, "Avro file header schema (avro.schema)") as AvroSchema;
  const parsed = { schema, read: compileReader(resolveAvroSchema(schema)) };
  if (parsedSchemas.size >= MAX_PARSED_SCHEMAS) parsedSchemas.delete(parsedSchemas.keys().next().value as string);
  parsedSchemas.set(text, parsed);
  return parsed;
}

/** A container's header: its metadata, sync marker, codec, writer schema and where the blocks start. */
interface ContainerHeader extends ParsedSchema {
  metadata: Record<string, string>;
  codec: string;
  sync: Uint8Array;
  blocksStart: number;
}

function readHeader(bytes: Uint8Array): ContainerHeader {
  const decoder = new AvroDecoder(bytes, "Avro file header");
  const magic = bytes.length >= MAGIC.length ? bytes.subarray(0, MAGIC.length) : bytes;
  if (!MAGIC.every((byte, index) => magic[index] === byte))
    throw badInput(`not an Avro object container file: it does not start with "Obj\\x01" (${bytes.length} bytes)`);
  decoder.position = MAGIC.length;
  const metadata = readHeaderMetadata(decoder);
  const sync = decoder.readView(SYNC_SIZE).slice();
  const schemaText = metadata["avro.schema"];
  if (schemaText === undefined) throw badInput("Avro file header has no avro.schema entry");
  const { schema, read } = parsedSchema(schemaText);
  const codec = metadata["avro.codec"] ?? "null";
  checkReadableCodec(codec);
  return { schema, read, metadata, codec, sync, blocksStart: decoder.position };
}

function readHeaderMetadata(decoder: AvroDecoder): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  for (;;) {
    let count = decoder.readLongAsNumber();
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      decoder.readLongAsNumber(); // block byte size, only useful for skipping
    }
    if (count > decoder.remaining) throw decoder.corrupt(`metadata block claims ${count} entries`);
    for (let index = 0; index < count; index++) {
      const key = decoder.readString();
      metadata[key] = lenientUtf8.decode(decoder.readBytes());
    }
  }
  return { ...metadata };
}

/** One data block, decompressed, with a decoder positioned at its first record. */
interface Block {
  decoder: AvroDecoder;
  count: number;
  what: string;
  read: ValueReader;
}

function* blocks(bytes: Uint8Array, header: ContainerHeader): Generator<Block> {
  const file = new AvroDecoder(bytes, "Avro file");
  file.position = header.blocksStart;
  const { sync, codec, read } = header;
  for (let blockIndex = 0; file.remaining > 0; blockIndex++) {
    const what = `Avro block ${blockIndex} (at byte ${file.position})`;
    const count = file.readLongAsNumber();
    const size = file.readLongAsNumber();
    if (count < 0 || size < 0) throw badInput(`${what} is corrupt: negative record count ${count} or size ${size}`);
    const data = file.readView(size);
    const marker = file.readView(SYNC_SIZE);
    if (!marker.every((byte, index) => byte === sync[index]))
      throw badInput(`${what} is corrupt: its sync marker does not match the header's`);
    yield { decoder: new AvroDecoder(decompressBlock(codec, data, what), what), count, what, read };
  }
}

function checkBlockEnd(decoder: AvroDecoder, count: number, what: string): void {
  if (decoder.remaining !== 0)
    throw badInput(`${what} is corrupt: ${decoder.remaining} bytes remain after its ${count} records`);
}

function* readRecords(bytes: Uint8Array, header: ContainerHeader): Generator<unknown> {
  for (const { decoder, count, what, read } of blocks(bytes, header)) {
    for (let index = 0; index < count; index++) yield read(decoder);
    checkBlockEnd(decoder, count, what);
  }
}
