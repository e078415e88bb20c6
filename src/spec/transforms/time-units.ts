/**
 * The year/month/day/hour transforms: whole calendar units since 1970-01-01 (UTC for
 * timestamptz). Values before the epoch are negative and count down with floor division, so
 * 1969-12-31T23:59:59 is hour -1, day -1, month -1 and year -1 — the spec's ordering, not
 * truncation toward zero.
 */
import { badInput } from "../../core/errors.ts";
import { civilFromDays, formatDate, formatYear, parsePrimitive } from "../conversions.ts";
import type { PrimitiveType, Value } from "../types.ts";

export type TimeUnit = "year" | "month" | "day" | "hour";

/** Coarseness rank: a finer unit's order implies every coarser unit's order. */
export const TIME_UNIT_RANK: Record<TimeUnit, number> = { hour: 0, day: 1, month: 2, year: 3 };

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
};
const floorMod = (a: number, b: number): number => ((a % b) + b) % b;

const MICROS_PER_HOUR = 3_600_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;

/** Microseconds per unit of a timestamp type's stored value (1 for µs types, 1000 for ns types). */
function unitsPerMicro(type: PrimitiveType): bigint {
  return parsePrimitive(type).kind.endsWith("_ns") ? 1000n : 1n;
}

/** Whether the type carries a date (date and all timestamp types). */
export function isDateLike(type: PrimitiveType): boolean {
  const kind = parsePrimitive(type).kind;
  return kind === "date" || kind.startsWith("timestamp");
}

/** Whether the type is one of the timestamp types. */
export const isTimestamp = (type: PrimitiveType): boolean => parsePrimitive(type).kind.startsWith("timestamp");

/** Days since the epoch of a date or timestamp value. */
function daysOf(type: PrimitiveType, value: Value): number {
  if (parsePrimitive(type).kind === "date") {
    if (typeof value !== "number") throw badInput(`date value must be a number of days, got ${String(value)}`);
    return value;
  }
  if (typeof value !== "bigint") throw badInput(`${type} value must be a bigint, got ${String(value)}`);
  return Number(floorDiv(value, MICROS_PER_DAY * unitsPerMicro(type)));
}

/** Applies a time unit transform to a non-null date or timestamp value. */
export function applyTimeUnit(unit: TimeUnit, type: PrimitiveType, value: Value): number {
  if (unit === "hour") {
    if (!isTimestamp(type) || typeof value !== "bigint")
      throw badInput(`hour transform needs a timestamp value, got ${String(value)} of ${type}`);
    return Number(floorDiv(value, MICROS_PER_HOUR * unitsPerMicro(type)));
  }
  const days = daysOf(type, value);
  if (unit === "day") return days;
  const { year, month } = civilFromDays(days);
  return unit === "year" ? year - 1970 : (year - 1970) * 12 + month - 1;
}

/** Partition-path form of a time unit value: "2025", "2025-01", "2025-01-01", "2025-01-01-13". */
export function timeUnitToHuman(unit: TimeUnit, value: number): string {
  switch (unit) {
    case "year":
      return formatYear(1970 + value);
    case "month":
      return `${formatYear(1970 + Math.floor(value / 12))}-${String(floorMod(value, 12) + 1).padStart(2, "0")}`;
    case "day":
      return formatDate(value);
    case "hour":
      return `${formatDate(Math.floor(value / 24))}-${String(floorMod(value, 24)).padStart(2, "0")}`;
  }
}
