/**
 * How one predicate on a source column translates through one partition transform.
 *
 * Inclusive: every row matching the predicate lies in a partition matching the projection (used
 * to prune). Strict: every row of a partition matching the projection matches the predicate (used
 * to prove a predicate true for a whole partition). "Nothing can be said" is undefined: the caller
 * treats it as true (inclusive) or false (strict).
 *
 * The rules follow the reference implementation's projection utilities: order-preserving
 * transforms turn open bounds into closed ones (x < 25 → truncate(x) <= truncate(24)); bucket only
 * projects equality (and, strictly, inequality); time transforms widen negative (pre-1970) values
 * by one because old writers rounded those toward zero instead of down.
 */
import { parsePrimitive } from "../spec/conversions.ts";
import type { Transform } from "../spec/transforms.ts";
import type { PrimitiveType } from "../spec/types.ts";
import { sortedDistinct } from "./bind.ts";
import type { BoundPredicate, Literal } from "./bound.ts";
import type { Expression, PredicateOp } from "./expressions.ts";
import { literalFromValue } from "./literals.ts";

/** Which guarantee a projection gives. */
export type ProjectionMode = "inclusive" | "strict";

/** A projected predicate on the partition value, before it is named and turned into literals. */
interface Projected {
  op: PredicateOp;
  value?: Literal;
  values?: Literal[];
}

type Apply = (v: Literal) => Literal;

const TIME_TRANSFORMS = new Set(["year", "month", "day", "hour"]);

/**
 * Projects a bound predicate through `transform` onto the partition field `name`; undefined when
 * the projection says nothing.
 */
export function projectPredicate(
  mode: ProjectionMode,
  transform: Transform,
  name: string,
  pred: BoundPredicate,
): Expression | undefined {
  const source = pred.ref.type;
  if (transform.name === "void" || transform.name === "unknown" || !transform.canTransform(source)) return undefined;
  const resultType = transform.resultType(source) as PrimitiveType;
  const apply: Apply = (v) => transform.apply(source, v) as Literal;
  const projected =
    mode === "inclusive" ? inclusiveRule(transform, source, apply, pred) : strictRule(transform, source, apply, pred);
  if (!projected) return undefined;
  const toInput = (v: Literal) => literalFromValue(resultType, v);
  if (projected.values) {
    const values = sortedDistinct(resultType, projected.values).map(toInput);
    return { op: projected.op, term: name, values };
  }
  if (projected.value !== undefined) return { op: projected.op, term: name, value: toInput(projected.value) };
  return { op: projected.op, term: name };
}

function inclusiveRule(
  transform: Transform,
  source: PrimitiveType,
  apply: Apply,
  pred: BoundPredicate,
): Projected | undefined {
  if (transform.name === "identity") return same(pred);
  if (!("value" in pred) && !("values" in pred)) return { op: pred.op };
  const set = (): Projected | undefined =>
    "values" in pred && pred.op === "in" ? { op: "in", values: pred.values.map(apply) } : undefined;
  switch (transform.name) {
    case "bucket":
      if ("value" in pred && pred.op === "eq") return { op: "eq", value: apply(pred.value) };
      return set();
    case "truncate":
      if (!("value" in pred)) return set();
      if (kindOf(source) === "string") return truncateStringInclusive(transform.param!, apply, pred.op, pred.value);
      if (kindOf(source) === "binary") return truncateArrayInclusive(apply, pred.op, pred.value);
      return truncateIntegerInclusive(apply, pred.op, pred.value);
  }
  if (TIME_TRANSFORMS.has(transform.name))
    return fixInclusiveTime("value" in pred ? truncateIntegerInclusive(apply, pred.op, pred.value) : set());
  return undefined;
}

function strictRule(
  transform: Transform,
  source: PrimitiveType,
  apply: Apply,
  pred: BoundPredicate,
): Projected | undefined {
  if (transform.name === "identity") return same(pred);
  if (!("value" in pred) && !("values" in pred)) return { op: pred.op };
  const set = (): Projected | undefined =>
    "values" in pred && pred.op === "not-in" ? { op: "not-in", values: pred.values.map(apply) } : undefined;
  switch (transform.name) {
    case "bucket":
      if ("value" in pred && pred.op === "not-eq") return { op: "not-eq", value: apply(pred.value) };
      return set();
    case "truncate":
      if (!("value" in pred)) return set();
      if (kindOf(source) === "string") return truncateStringStrict(transform.param!, apply, pred.op, pred.value);
      if (kindOf(source) === "binary") return truncateArrayStrict(apply, pred.op, pred.value);
      return truncateIntegerStrict(apply, pred.op, pred.value);
  }
  if (TIME_TRANSFORMS.has(transform.name))
    return fixStrictTime("value" in pred ? truncateIntegerStrict(apply, pred.op, pred.value) : set());
  return undefined;
}

const kindOf = (type: PrimitiveType): string => parsePrimitive(type).kind;

function same(pred: BoundPredicate): Projected {
  if ("values" in pred) return { op: pred.op, values: pred.values };
  if ("value" in pred) return { op: pred.op, value: pred.value };
  return { op: pred.op };
}

/** The next (delta 1) or previous (delta -1) integral value: ints and dates are numbers, the rest bigints. */
const step = (v: Literal, delta: 1 | -1): Literal =>
  typeof v === "number" ? v + delta : (v as bigint) + BigInt(delta);

/** Integral transforms (truncate of int/long/decimal, time units): close open bounds before transforming. */
function truncateIntegerInclusive(apply: Apply, op: PredicateOp, b: Literal): Projected | undefined {
  switch (op) {
    case "lt":
      return { op: "lt-eq", value: apply(step(b, -1)) };
    case "lt-eq":
      return { op: "lt-eq", value: apply(b) };
    case "gt":
      return { op: "gt-eq", value: apply(step(b, 1)) };
    case "gt-eq":
      return { op: "gt-eq", value: apply(b) };
    case "eq":
      return { op: "eq", value: apply(b) };
    default:
      return undefined;
  }
}

/** Strict integral projection: the partition's whole range must lie on the matching side. */
function truncateIntegerStrict(apply: Apply, op: PredicateOp, b: Literal): Projected | undefined {
  switch (op) {
    case "lt":
      return { op: "lt", value: apply(b) };
    case "lt-eq":
      return { op: "lt", value: apply(step(b, 1)) };
    case "gt":
      return { op: "gt", value: apply(b) };
    case "gt-eq":
      return { op: "gt", value: apply(step(b, -1)) };
    case "not-eq":
      return { op: "not-eq", value: apply(b) };
    default:
      // No equality is guaranteed: neighbouring values share a partition.
      return undefined;
  }
}

/** Prefix transforms (truncate of string/binary): a value's truncation orders like the value. */
function truncateArrayInclusive(apply: Apply, op: PredicateOp, b: Literal): Projected | undefined {
  switch (op) {
    case "lt":
    case "lt-eq":
      return { op: "lt-eq", value: apply(b) };
    case "gt":
    case "gt-eq":
      return { op: "gt-eq", value: apply(b) };
    case "eq":
      return { op: "eq", value: apply(b) };
    case "starts-with":
      return { op: "starts-with", value: apply(b) };
    default:
      return undefined;
  }
}

function truncateArrayStrict(apply: Apply, op: PredicateOp, b: Literal): Projected | undefined {
  switch (op) {
    case "lt":
    case "lt-eq":
      return { op: "lt", value: apply(b) };
    case "gt":
    case "gt-eq":
      return { op: "gt", value: apply(b) };
    case "not-eq":
      return { op: "not-eq", value: apply(b) };
    default:
      return undefined;
  }
}

const codePoints = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** String truncation also projects prefixes: a prefix no longer than the width survives truncation. */
function truncateStringInclusive(width: number, apply: Apply, op: PredicateOp, b: Literal): Projected | undefined {
  if (op === "starts-with" || op === "not-starts-with") {
    const length = codePoints(b as string);
    if (length < width) return { op, value: b };
    if (length === width) return { op: op === "starts-with" ? "eq" : "not-eq", value: b };
    return op === "starts-with" ? { op, value: apply(b) } : undefined;
  }
  return truncateArrayInclusive(apply, op, b);
}

function truncateStringStrict(width: number, apply: Apply, op: PredicateOp, b: Literal): Projected | undefined {
  if (op === "starts-with" || op === "not-starts-with") {
    const length = codePoints(b as string);
    if (length < width) return { op, value: b };
    if (length === width) return { op: op === "starts-with" ? "eq" : "not-eq", value: b };
    // A partition not starting with the truncated prefix holds no value starting with the prefix.
    return op === "not-starts-with" ? { op, value: apply(b) } : undefined;
  }
  return truncateArrayStrict(apply, op, b);
}

/**
 * Old writers computed year/month/day/hour of pre-1970 values by truncating toward zero, so a
 * stored partition value p <= 0 may hold values whose correct transform is p - 1. Inclusive
 * projections also accept p + 1 for negative bounds so such files are not pruned.
 */
function fixInclusiveTime(p: Projected | undefined): Projected | undefined {
  if (!p) return undefined;
  const v = p.value as number;
  switch (p.op) {
    case "lt":
    case "lt-eq":
      return v < 0 ? { op: p.op, value: v + 1 } : p;
    case "eq":
      return v < 0 ? { op: "in", values: [v, v + 1] } : p;
    case "in":
      return { op: "in", values: widenNegatives(p.values as number[]) };
    case "gt":
    case "gt-eq":
      return p;
    default:
      return undefined;
  }
}

/** Strict counterpart: partitions that may hold mis-transformed values must not count as proven. */
function fixStrictTime(p: Projected | undefined): Projected | undefined {
  if (!p) return undefined;
  const v = p.value as number;
  switch (p.op) {
    case "lt":
    case "lt-eq":
      return p;
    case "gt":
    case "gt-eq":
      return v <= 0 ? { op: p.op, value: v + 1 } : p;
    case "not-eq":
      return v < 0 ? { op: "not-in", values: [v, v + 1] } : p;
    case "not-in":
      return { op: "not-in", values: widenNegatives(p.values as number[]) };
    default:
      return undefined;
  }
}

const widenNegatives = (values: number[]): number[] =>
  sortedDistinct(
    "int",
    values.flatMap((v) => (v < 0 ? [v, v + 1] : [v])),
  ) as number[];
