/** The Avro module: schemas as plain data and the object-container codec. */
export * from "./schema.ts";
export * from "./container.ts";
export type { AvroWriteCodec } from "./codec.ts";
