/**
 * Lossless JSON. Iceberg stores int64 values (snapshot ids, sequence numbers, sizes) as JSON
 * numbers; `JSON.parse` rounds anything above 2^53. Here integers that are not safe JS integers
 * parse as `bigint`, every other number as `number`, and `bigint` values stringify as bare
 * integer literals. Callers that need a field as bigint regardless of size use `toBigInt`.
 */
import { isInteger, isSafeNumber, parse, stringify } from "lossless-json";
import { badInput } from "./errors.ts";

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

const parseNumber = (text: string): number | bigint =>
  isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text);

/** Parses JSON text; integers beyond 2^53 become bigint. Throws a bad-input FloeError on malformed text. */
export function parseJson(text: string, what = "JSON"): JsonValue {
  try {
    return parse(text, null, parseNumber) as JsonValue;
  } catch (error) {
    throw badInput(`${what} is not valid JSON: ${(error as Error).message}`, error);
  }
}

/** Stringifies with bigint written as exact integers. `indent` as in JSON.stringify. */
export function stringifyJson(value: unknown, indent?: number): string {
  const text = stringify(value, undefined, indent);
  if (text === undefined) throw badInput("value cannot be serialized as JSON");
  return text;
}

/** Reads a JSON number (or bigint, or integer string) as bigint; throws if it is not an integer. */
export function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  throw badInput(`${what} must be an integer, got ${String(value)}`);
}

/** Reads an integer that must fit in a JS number (ids, counts of schema fields, timestamps in ms). */
export function toSafeNumber(value: unknown, what: string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "bigint" && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(value);
  throw badInput(`${what} must be an integer, got ${String(value)}`);
}
