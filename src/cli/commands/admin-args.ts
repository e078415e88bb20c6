/**
 * Argument parsing shared by the table administration verbs: snapshot ids, durations
 * ("7d", "12h"), points in time (ISO timestamps, epoch ms, or a duration meaning "that long ago"),
 * column types in the `table create --schema` syntax, and sort field lists.
 */
import { badInput } from "../../core/errors.ts";
import { toBigInt } from "../../core/json.ts";
import { type IcebergType, type PrimitiveType, isPrimitive } from "../../spec/types.ts";
import { parseSchemaArg, parseSortArg } from "../schema-arg.ts";
import { parseTimestampMs } from "../timestamps.ts";

/** A snapshot id argument (int64, so never a JS number). */
export const snapshotIdArg = (value: string, what = "snapshot id"): bigint => toBigInt(value.trim(), what);

/** A positive integer option such as --retain-last. */
export function positiveIntArg(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw badInput(`${what} must be a positive integer, got "${value}"`);
  return n;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION = /^(\d+)\s*(ms|s|m|h|d|w)$/i;

/** "500ms", "90s", "30m", "12h", "7d", "2w" (or bare milliseconds) as milliseconds. */
export function parseDuration(value: string, what: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = DURATION.exec(text);
  if (!match) throw badInput(`${what} must be a duration like 7d, 12h, 30m, 90s or milliseconds, got "${value}"`);
  return Number(match[1]) * UNIT_MS[match[2].toLowerCase()];
}

/** A timestamp, or a duration with a unit ("7d") meaning that long before `nowMs`. */
export function parseTimeOrAgo(value: string, what: string, nowMs = Date.now()): number {
  return DURATION.test(value.trim())
    ? nowMs - parseDuration(value, what)
    : parseTimestampMs(value, what, "a timestamp (e.g. 2025-01-31T12:00:00Z), epoch ms or a duration");
}

/** A column type written as in `table create --schema` ("long", "decimal(12,2)", "struct<a int, b string>"). */
export function parseColumnType(text: string): IcebergType {
  // Parsed as a one-column schema so nested types get the same syntax; the ids it assigns are
  // placeholders that schema evolution replaces with fresh ones.
  const fields = parseSchemaArg(`c ${text}`).fields;
  if (fields.length !== 1 || fields[0].required)
    throw badInput(`column type must be one type (use --required for nullability), got "${text}"`);
  return fields[0].type;
}

/** A primitive type, for type promotions. */
export function parsePrimitiveColumnType(text: string): PrimitiveType {
  const type = parseColumnType(text);
  if (!isPrimitive(type)) throw badInput(`a column can only be changed to a primitive type, got "${text}"`);
  return type;
}

/** Splits "a, bucket(4, b) desc" on commas outside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "<") depth++;
    else if (c === ")" || c === ">") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * Sort fields from one or more arguments, each a comma-separated list of
 * "column|transform(column) [asc|desc] [nulls first|nulls last]" (the hyphenated
 * "nulls-first" of `table create --sort` works too).
 */
export function parseSortFields(args: string[]): ReturnType<typeof parseSortArg>[] {
  return args.flatMap(splitTopLevel).map((field) =>
    parseSortArg(
      field
        // parseSortArg splits on whitespace, so a term like "bucket(16, id)" must not contain any
        .replace(/\(([^)]*)\)/g, (_, inner: string) => `(${inner.replace(/\s+/g, "")})`)
        .replace(/\bnulls\s+(first|last)\b/gi, (_, which: string) => `nulls-${which.toLowerCase()}`),
    ),
  );
}
