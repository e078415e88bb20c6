/**
 * Field lookup by Iceberg field id in the Avro schema a file was written with. Manifests and
 * manifest lists are read by id, never by name or position: writers differ in names (v1 lists
 * from old writers say "added_data_files_count"), in field order, and in which optional fields
 * they include, but the ids are fixed by the spec.
 */
import { badInput } from "../core/errors.ts";
import type { AvroField, AvroRecord, AvroSchema } from "../avro/schema.ts";

/** A record field located by id: its name in the file and its schema without the null branch. */
export interface FileField {
  name: string;
  schema: AvroSchema;
  field: AvroField;
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The writer schema of one file, with its named types indexed so references can be followed. */
export class FileSchema {
  private readonly named = new Map<string, AvroSchema>();

  constructor(
    readonly root: AvroSchema,
    private readonly what: string,
  ) {
    this.collect(root, undefined);
  }

  private collect(node: unknown, namespace: string | undefined): void {
    if (Array.isArray(node)) {
      for (const branch of node) this.collect(branch, namespace);
      return;
    }
    if (!isObject(node)) return;
    if (isObject(node.type) || Array.isArray(node.type)) {
      this.collect(node.type, namespace);
      return;
    }
    let inner = namespace;
    if (typeof node.name === "string" && (node.type === "record" || node.type === "fixed" || node.type === "enum")) {
      const ns = typeof node.namespace === "string" ? node.namespace : namespace;
      const full = node.name.includes(".") || !ns ? node.name : `${ns}.${node.name}`;
      this.named.set(full, node as AvroSchema);
      this.named.set(node.name.slice(node.name.lastIndexOf(".") + 1), node as AvroSchema);
      inner = full.includes(".") ? full.slice(0, full.lastIndexOf(".")) : ns;
    }
    if (Array.isArray(node.fields))
      for (const field of node.fields) if (isObject(field)) this.collect(field.type, inner);
    if (node.items !== undefined) this.collect(node.items, inner);
    if (node.values !== undefined) this.collect(node.values, inner);
  }

  /** Follows name references and strips a union with null down to its other branch. */
  resolve(schema: AvroSchema): AvroSchema {
    let node: AvroSchema = schema;
    for (let depth = 0; depth < 32; depth++) {
      if (Array.isArray(node)) {
        const branches = node.filter((branch) => branch !== "null");
        if (branches.length !== 1) return node;
        node = branches[0];
      } else if (typeof node === "string") {
        const target = this.named.get(node);
        if (!target) return node;
        node = target;
      } else if (isObject(node) && (isObject(node.type) || Array.isArray(node.type))) {
        node = node.type as AvroSchema;
      } else return node;
    }
    return node;
  }

  /** The record a schema resolves to; throws naming `where` if it is not a record. */
  record(schema: AvroSchema, where: string): AvroRecord {
    const node = this.resolve(schema);
    if (!isObject(node) || node.type !== "record" || !Array.isArray(node.fields))
      throw badInput(`${this.what}: ${where} is not an Avro record in the file schema`);
    return node as AvroRecord;
  }

  /** The fields of a record that carry a field-id, by id. */
  fieldsById(record: AvroRecord): Map<number, FileField> {
    const fields = new Map<number, FileField>();
    for (const field of record.fields) {
      const id = field["field-id"];
      const numeric = typeof id === "number" ? id : typeof id === "string" && /^\d+$/.test(id) ? Number(id) : undefined;
      if (numeric !== undefined) fields.set(numeric, { name: field.name, schema: this.resolve(field.type), field });
    }
    return fields;
  }

  /** The element schema of an array (without its null branch), or undefined when not an array. */
  items(schema: AvroSchema): AvroSchema | undefined {
    const node = this.resolve(schema);
    return isObject(node) && node.type === "array" ? this.resolve(node.items as AvroSchema) : undefined;
  }
}

/** A record value (a plain object keyed by field name) read from a file. */
export type RecordValue = Record<string, unknown>;

/** The value of the field with `id` in `record`, or null when the file has no such field. */
export function fieldValue(record: RecordValue, fields: Map<number, FileField>, id: number): unknown {
  const field = fields.get(id);
  if (!field) return null;
  return record[field.name] ?? null;
}

/** Whether a JS value is a record value. */
export const isRecordValue = (value: unknown): value is RecordValue =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
