/**
 * Keys that identify a partition across files of one plan: spec id plus the partition tuple, as a
 * string usable in a Map (tuples hold bigint and bytes, which Map keys would compare by identity).
 */
import { bytesToHex } from "../spec/conversions.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import type { Value } from "../spec/types.ts";

const valueKey = (value: Value): string => {
  if (value === null) return "n";
  if (value instanceof Uint8Array) return `x${bytesToHex(value)}`;
  if (typeof value === "string") return `s${JSON.stringify(value)}`;
  if (typeof value === "number") return `d${Object.is(value, -0) ? "-0" : String(value)}`;
  return `${typeof value === "bigint" ? "b" : "t"}${String(value)}`;
};

/** The key of a partition tuple written with the spec `specId`. */
export const partitionKey = (specId: number, partition: Value[]): string =>
  `${specId}|${partition.map(valueKey).join(",")}`;

/** Whether a spec partitions nothing (no fields, or only void ones): its deletes apply table-wide. */
export const isUnpartitioned = (spec: PartitionSpec): boolean =>
  spec.fields.every((field) => field.transform === "void");
