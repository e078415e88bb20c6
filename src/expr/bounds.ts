/**
 * Helpers for reasoning with lower/upper bounds in the spec's binary single-value form, shared by
 * the manifest and file-metrics evaluators.
 */
import { compareBytes, compareValues } from "../spec/compare.ts";
import { fromBytes } from "../spec/conversions.ts";
import type { PrimitiveType } from "../spec/types.ts";
import type { Literal } from "./bound.ts";

/**
 * The value of a serialized bound, or undefined when absent. A bound that cannot be read (a
 * writer bug, an unexpected promotion) is treated as absent: pruning then simply does less.
 */
export function decodeBound(type: PrimitiveType, bytes: Uint8Array | undefined): Literal | undefined {
  if (bytes === undefined) return undefined;
  try {
    const value = fromBytes(type, bytes);
    return value === null ? undefined : value;
  } catch {
    return undefined;
  }
}

/** Whether a value is a float NaN (a NaN bound means the writer's bounds are unreliable). */
export const isNaNValue = (v: Literal | undefined): boolean => typeof v === "number" && Number.isNaN(v);

/** Compares a bound cut to the prefix's length with the prefix (unsigned bytes; a shorter bound stays whole). */
export function comparePrefix(bound: Uint8Array, prefix: Uint8Array): number {
  return compareBytes(bound.subarray(0, Math.min(bound.length, prefix.length)), prefix);
}

/** Whether the bound starts with the prefix (a bound shorter than the prefix does not). */
export const boundStartsWith = (bound: Uint8Array, prefix: Uint8Array): boolean =>
  bound.length >= prefix.length && comparePrefix(bound, prefix) === 0;

/** UTF-8 bytes of a string literal, which is how string bounds are serialized. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/**
 * Whether some of the sorted distinct `values` lies in [lower, upper] (an absent bound is open).
 * Binary search, so large in-lists cost log(n) per file.
 */
export function anyWithin(
  type: PrimitiveType,
  values: readonly Literal[],
  lower: Literal | undefined,
  upper: Literal | undefined,
): boolean {
  let lo = 0;
  let hi = values.length;
  if (lower !== undefined) {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareValues(type, values[mid], lower) < 0) lo = mid + 1;
      else hi = mid;
    }
  }
  if (lo >= values.length) return false;
  return upper === undefined || compareValues(type, values[lo], upper) <= 0;
}

/** The ordered comparisons whose match a [lower, upper] range can rule out. */
export type RangeOp = "lt" | "lt-eq" | "gt" | "gt-eq" | "eq" | "in";

/**
 * Whether some value in [lower, upper] (an absent bound is open) might satisfy `op` against the
 * literal (or, for `in`, one of the sorted distinct literals). NaN bounds prove nothing.
 */
export function rangeMightMatch(
  type: PrimitiveType,
  op: RangeOp,
  literal: Literal | readonly Literal[],
  lower: Literal | undefined,
  upper: Literal | undefined,
): boolean {
  if (isNaNValue(lower) || isNaNValue(upper)) return true;
  if (op === "in") return anyWithin(type, literal as readonly Literal[], lower, upper);
  const lit = literal as Literal;
  // A missing bound allows anything; otherwise the comparison of bound and literal must leave room.
  const lowerAllows = (ok: (cmp: number) => boolean) => lower === undefined || ok(compareValues(type, lower, lit));
  const upperAllows = (ok: (cmp: number) => boolean) => upper === undefined || ok(compareValues(type, upper, lit));
  switch (op) {
    case "lt":
      return lowerAllows((cmp) => cmp < 0);
    case "lt-eq":
      return lowerAllows((cmp) => cmp <= 0);
    case "gt":
      return upperAllows((cmp) => cmp > 0);
    case "gt-eq":
      return upperAllows((cmp) => cmp >= 0);
    case "eq":
      return lowerAllows((cmp) => cmp <= 0) && upperAllows((cmp) => cmp >= 0);
  }
}
