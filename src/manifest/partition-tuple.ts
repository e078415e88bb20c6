/**
 * The data_file.partition record (field 102) in and out of a manifest. Writing keys values by the
 * Avro field names of the partition type; reading matches the file's partition fields to the spec
 * by partition field id, so a file written with other names or another field order reads the same.
 */
import { badInput, validation } from "../core/errors.ts";
import type { AvroRecord } from "../avro/schema.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { isPrimitive, type StructType, type Value } from "../spec/types.ts";
import { avroToValue, avroToValueByLogicalType, valueToAvro } from "./avro-values.ts";
import { type FileSchema, isRecordValue } from "./file-schema.ts";
import { avroFieldName } from "./iceberg-to-avro.ts";

/** Encodes a partition tuple (spec field order) as the Avro record of `partitionType`. */
export function partitionToAvro(partitionType: StructType, values: Value[], what: string): Record<string, unknown> {
  if (values.length !== partitionType.fields.length)
    throw validation(
      `${what}: partition has ${values.length} values but the spec has ${partitionType.fields.length} fields`,
    );
  const record: Record<string, unknown> = {};
  partitionType.fields.forEach((field, index) => {
    if (!isPrimitive(field.type)) throw badInput(`${what}: partition field ${field.name} is not a primitive type`);
    record[avroFieldName(field.name)] = valueToAvro(
      field.type,
      values[index] ?? null,
      `${what} partition ${field.name}`,
    );
  });
  return record;
}

/** How to read each spec field out of a file's partition record. */
export interface PartitionDecoder {
  decode(raw: unknown, what: string): Value[];
}

/**
 * Prepares decoding of the partition record of one file. `icebergType`, when known, gives each
 * field's Iceberg type (so a promoted int reads as a long); otherwise the file's logical types
 * decide. Files whose partition fields carry no ids (very old writers) are matched by position.
 */
export function partitionDecoder(
  file: FileSchema,
  partitionRecord: AvroRecord,
  spec: PartitionSpec,
  icebergType: StructType | undefined,
  what: string,
): PartitionDecoder {
  const byId = file.fieldsById(partitionRecord);
  const typeById = new Map(icebergType?.fields.map((field) => [field.id, field.type]));
  const readers = spec.fields.map((specField, index) => {
    const located =
      byId.get(specField["field-id"]) ??
      (byId.size === 0 && partitionRecord.fields[index]
        ? {
            name: partitionRecord.fields[index].name,
            schema: file.resolve(partitionRecord.fields[index].type),
          }
        : undefined);
    if (!located)
      throw validation(
        `${what}: partition field ${specField.name} (id ${specField["field-id"]}) of spec ${spec["spec-id"]} is not in the file's partition record`,
      );
    const type = typeById.get(specField["field-id"]);
    const schema = located.schema;
    const logicalType = typeof schema === "object" && !Array.isArray(schema) ? schema.logicalType : undefined;
    return (record: Record<string, unknown>, at: string): Value => {
      const raw = record[located.name] ?? null;
      return type !== undefined && isPrimitive(type) && type !== "unknown"
        ? avroToValue(type, raw, `${at} partition ${specField.name}`)
        : avroToValueByLogicalType(logicalType, raw, `${at} partition ${specField.name}`);
    };
  });
  return {
    decode(raw: unknown, at: string): Value[] {
      if (!isRecordValue(raw)) throw badInput(`${at}: partition is not a record`);
      return readers.map((read) => read(raw, at));
    },
  };
}
