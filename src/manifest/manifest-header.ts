/**
 * The key/value metadata of a manifest file (spec "Manifest Metadata"): the table schema and
 * partition spec the manifest was written with, their ids, the format version and the content.
 * v1 files may lack everything but "schema" and "partition-spec"; defaults follow the spec.
 */
import { badInput } from "../core/errors.ts";
import { parseJson, stringifyJson } from "../core/json.ts";
import type { FileIO } from "../io/file-io.ts";
import { openAvroContainer } from "../avro/container.ts";
import { parsePartitionFields, parseSchema } from "../spec/metadata-parser.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import type { Schema } from "../spec/types.ts";
import { ManifestContent } from "./types.ts";

/** What a manifest's header says about how it was written. */
export interface ManifestHeader {
  schema?: Schema;
  spec?: PartitionSpec;
  specId: number;
  formatVersion: number;
  content: "data" | "deletes";
}

function parseIntKey(metadata: Record<string, string>, key: string, what: string): number | undefined {
  const text = metadata[key];
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw badInput(`${what}: header ${key} is not an integer: ${text}`);
  return Number(text.trim());
}

/** Interprets manifest header metadata; `fallbackSpecId` is used when the header has no spec id (v1). */
export function parseManifestHeader(
  metadata: Record<string, string>,
  what: string,
  fallbackSpecId?: number,
): ManifestHeader {
  const specId = parseIntKey(metadata, "partition-spec-id", what) ?? fallbackSpecId ?? 0;
  const formatVersion = parseIntKey(metadata, "format-version", what) ?? 1;
  const contentText = metadata.content ?? "data";
  if (contentText !== "data" && contentText !== "deletes")
    throw badInput(`${what}: header content must be "data" or "deletes", got ${contentText}`);
  const header: ManifestHeader = { specId, formatVersion, content: contentText };
  if (metadata.schema !== undefined) {
    const schema = parseSchema(parseJson(metadata.schema, `${what} header schema`), `${what} header schema`);
    const schemaId = parseIntKey(metadata, "schema-id", what);
    header.schema = schemaId === undefined ? schema : { ...schema, "schema-id": schemaId };
  }
  if (metadata["partition-spec"] !== undefined) {
    const json = parseJson(metadata["partition-spec"], `${what} header partition-spec`);
    if (!Array.isArray(json)) throw badInput(`${what}: header partition-spec is not a JSON array`);
    header.spec = { "spec-id": specId, fields: parsePartitionFields(json, `${what} header partition-spec`) };
  }
  return header;
}

/** The header metadata floe writes into a v2 manifest. */
export function manifestHeaderMetadata(
  schema: Schema,
  spec: PartitionSpec,
  content: ManifestContent,
  formatVersion: number,
): Record<string, string> {
  return {
    schema: stringifyJson(schema),
    "schema-id": String(schema["schema-id"]),
    "partition-spec": stringifyJson(spec.fields),
    "partition-spec-id": String(spec["spec-id"]),
    "format-version": String(formatVersion),
    content: content === ManifestContent.Deletes ? "deletes" : "data",
  };
}

/** Reads only the header of a manifest file. */
export async function readManifestHeader(io: FileIO, path: string): Promise<ManifestHeader> {
  const bytes = await io.read(path);
  return parseManifestHeader(openAvroContainer(bytes).metadata, `manifest ${path}`);
}
