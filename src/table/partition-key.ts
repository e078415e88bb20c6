/**
 * A string key for a partition tuple of one spec, so partitions can live in Sets and Maps.
 * Each value is tagged with its JS type: the same digits as a number (int, date) and as a bigint
 * (long, timestamp) must not collide, and binary values are compared by content.
 */
import type { Value } from "../spec/types.ts";

const encodeValue = (value: Value): string => {
  if (value === null) return "null";
  if (typeof value === "bigint") return `l:${value}`;
  if (typeof value === "number") return `n:${Object.is(value, -0) ? "-0" : String(value)}`;
  if (typeof value === "boolean") return `b:${value}`;
  if (typeof value === "string") return `s:${JSON.stringify(value)}`;
  return `x:${Buffer.from(value).toString("hex")}`;
};

/** The key of `partition` under the spec with id `specId`. */
export const partitionKey = (specId: number, partition: Value[]): string =>
  `${specId}|${partition.map(encodeValue).join(",")}`;
