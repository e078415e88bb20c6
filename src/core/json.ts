/**
 * Lossless JSON. Iceberg stores int64 values (snapshot ids, sequence numbers, sizes) as JSON
 * numbers; `JSON.parse` rounds anything above 2^53. Here integers that are not safe JS integers
 * parse as `bigint`, every other number as `number`, and `bigint` values stringify as bare
 * integer literals. Callers that need a field as bigint regardless of size use `toBigInt`.
 *
 * Why not a JSON library: metadata files grow with every commit (hundreds of KB after a thousand
 * snapshots) and are parsed on every commit and load, so speed matters. The native parser does
 * the work; a single regex pass first turns unsafe integer literals (outside strings) into tagged
 * strings that a reviver turns into bigint, and stringify does the reverse. Text without large
 * integers goes straight to `JSON.parse`.
 */
import { randomBytes } from "node:crypto";
import { badInput } from "./errors.ts";

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Tag for bigint literals while they travel through the native parser/serializer as strings. The
 * per-process nonce makes a collision with a real string value practically impossible.
 */
const NONCE = randomBytes(6).toString("hex");
const TAG = `\u0000int64-${NONCE}:`;
/** The tag as it appears inside JSON text (the NUL escaped). */
const TAG_IN_TEXT = `\\u0000int64-${NONCE}:`;
/** A JSON string (skipped as a whole) or an integer literal of 16+ digits (a candidate for bigint). */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|-?\d{16,}(?![\d.eE])/g;

const isUnsafe = (literal: string) => !Number.isSafeInteger(Number(literal));

function tagLargeIntegers(text: string): { text: string; tagged: boolean } {
  let tagged = false;
  const out = text.replace(STRING_OR_LONG_INTEGER, (token) => {
    if (token.charCodeAt(0) === 34 /* " */ || !isUnsafe(token)) return token;
    tagged = true;
    return `"${TAG_IN_TEXT}${token}"`;
  });
  return { text: out, tagged };
}

const revive = (_key: string, value: unknown) =>
  typeof value === "string" && value.startsWith(TAG) ? BigInt(value.slice(TAG.length)) : value;

/** Parses JSON text; integers beyond 2^53 become bigint. Throws a bad-input FloeError on malformed text. */
export function parseJson(text: string, what = "JSON"): JsonValue {
  try {
    if (!/\d{16}/.test(text)) return JSON.parse(text) as JsonValue;
    const { text: taggedText, tagged } = tagLargeIntegers(text);
    return (tagged ? JSON.parse(taggedText, revive) : JSON.parse(text)) as JsonValue;
  } catch (error) {
    throw badInput(`${what} is not valid JSON: ${(error as Error).message}`, error);
  }
}

const TAGGED_LITERAL = new RegExp(`"\\\\u0000int64-${NONCE}:(-?\\d+)"`, "g");

/** Stringifies with bigint written as exact integers. `indent` as in JSON.stringify. */
export function stringifyJson(value: unknown, indent?: number): string {
  let sawBigInt = false;
  const text = JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v !== "bigint") return v;
      sawBigInt = true;
      return `${TAG}${v}`;
    },
    indent,
  );
  if (text === undefined) throw badInput("value cannot be serialized as JSON");
  return sawBigInt ? text.replace(TAGGED_LITERAL, "$1") : text;
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
