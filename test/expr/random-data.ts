// Seeded generators of rows, literals and expressions for the property tests of test/expr.
import { literalFromValue } from "../../src/expr/literals.ts";
import type { Expression, PredicateOp } from "../../src/expr/expressions.ts";
import type { Schema, Value } from "../../src/spec/types.ts";

/** mulberry32: a tiny deterministic PRNG, so a failing case reproduces from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over one PRNG. */
export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The schema the property tests use: every kind of column a transform applies to, plus a nested struct. */
export const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 7,
  fields: [
    { id: 1, name: "i", required: false, type: "int" },
    { id: 2, name: "l", required: false, type: "long" },
    { id: 3, name: "dec", required: false, type: "decimal(9,2)" },
    { id: 4, name: "s", required: false, type: "string" },
    { id: 5, name: "d", required: false, type: "date" },
    { id: 6, name: "ts", required: false, type: "timestamp" },
    { id: 7, name: "tz", required: false, type: "timestamptz_ns" },
    { id: 8, name: "f", required: false, type: "double" },
    { id: 9, name: "b", required: false, type: "binary" },
    {
      id: 10,
      name: "st",
      required: false,
      type: { type: "struct", fields: [{ id: 11, name: "n", required: true, type: "int" }] },
    },
    { id: 12, name: "r", required: true, type: "int" },
  ],
};

/** Primitive columns: name, field id, type and position path in a row. */
export const COLUMNS = [
  { name: "i", id: 1, type: "int", path: [0] },
  { name: "l", id: 2, type: "long", path: [1] },
  { name: "dec", id: 3, type: "decimal(9,2)", path: [2] },
  { name: "s", id: 4, type: "string", path: [3] },
  { name: "d", id: 5, type: "date", path: [4] },
  { name: "ts", id: 6, type: "timestamp", path: [5] },
  { name: "tz", id: 7, type: "timestamptz_ns", path: [6] },
  { name: "f", id: 8, type: "double", path: [7] },
  { name: "b", id: 9, type: "binary", path: [8] },
  { name: "st.n", id: 11, type: "int", path: [9, 0] },
  { name: "r", id: 12, type: "int", path: [10] },
] as const;

export type Column = (typeof COLUMNS)[number];

const HOUR = 3_600_000_000n;
const CHARS = ["a", "b", "é", "😀"];

/**
 * A non-null, non-NaN value of the column's type, drawn near interesting boundaries (0, 1970,
 * units). Literals may also be the int extremes; rows may not, because truncating the smallest
 * ints leaves the int range (the reference implementation wraps around there).
 */
export function randomValue(rnd: Random, column: Column, literal = false): Exclude<Value, null> {
  switch (column.type) {
    case "int":
      return literal && rnd.chance(0.05) ? rnd.pick([-(2 ** 31), 2 ** 31 - 1]) : rnd.int(-25, 25);
    case "long":
      return BigInt(rnd.int(-300, 300));
    case "decimal(9,2)":
      return BigInt(rnd.int(-300, 300));
    case "string": {
      let text = "";
      for (let n = rnd.int(0, 4); n > 0; n--) text += rnd.pick(CHARS);
      return text;
    }
    case "date":
      return rnd.chance(0.5) ? rnd.int(-40, 40) : rnd.int(-800, 800);
    case "timestamp": {
      const hour = BigInt(rnd.chance(0.5) ? rnd.int(-60, 60) : rnd.int(-24 * 800, 24 * 800));
      return hour * HOUR + rnd.pick([0n, 1n, -1n, HOUR - 1n, BigInt(rnd.int(0, 3_599_999_999))]);
    }
    case "timestamptz_ns": {
      const hour = BigInt(rnd.int(-24 * 400, 24 * 400));
      return hour * HOUR * 1000n + rnd.pick([0n, 1n, -1n, BigInt(rnd.int(0, 3_599_999_999)) * 1000n + 7n]);
    }
    case "double":
      return rnd.chance(0.6)
        ? rnd.pick([-3, -1.5, -0.5, 0, 0.5, 1, 2.5, 1e300, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
        : rnd.int(-30, 30) / 4;
    case "binary": {
      const bytes = new Uint8Array(rnd.int(0, 3));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rnd.pick([0, 1, 128, 255]);
      return bytes;
    }
  }
}

/** A row of SCHEMA: optional columns are null now and then, doubles NaN now and then, st sometimes null. */
export function randomRow(rnd: Random): Value[] {
  const row: (Value | Value[])[] = [];
  for (const column of COLUMNS) {
    if (column.name === "st.n") row.push(rnd.chance(0.15) ? null : [randomValue(rnd, column)]);
    else if (column.name === "r") row.push(randomValue(rnd, column));
    else if (rnd.chance(0.15)) row.push(null);
    else if (column.type === "double" && rnd.chance(0.12)) row.push(Number.NaN);
    else row.push(randomValue(rnd, column));
  }
  return row as Value[];
}

const COMMON_OPS: PredicateOp[] = ["is-null", "not-null", "eq", "not-eq", "lt", "lt-eq", "gt", "gt-eq", "in", "not-in"];

/** A random predicate on a random column, literals in caller form. */
export function randomPredicate(rnd: Random): Expression {
  const column = rnd.pick(COLUMNS);
  const ops = [...COMMON_OPS];
  if (column.type === "double") ops.push("is-nan", "not-nan");
  if (column.type === "string") ops.push("starts-with", "not-starts-with", "starts-with", "not-starts-with");
  const op = rnd.pick(ops);
  const literal = () => literalFromValue(column.type, randomValue(rnd, column, true));
  if (op === "in" || op === "not-in") {
    const values = Array.from({ length: rnd.int(0, 4) }, literal);
    return { op, term: column.name, values };
  }
  if (op === "is-null" || op === "not-null" || op === "is-nan" || op === "not-nan") return { op, term: column.name };
  return { op, term: column.name, value: literal() };
}

/** A random expression of predicates joined by and/or/not, up to the given depth. */
export function randomExpression(rnd: Random, depth = 2): Expression {
  if (depth === 0 || rnd.chance(0.4)) return randomPredicate(rnd);
  const kind = rnd.pick(["and", "or", "not"] as const);
  if (kind === "not") return { op: "not", child: randomExpression(rnd, depth - 1) };
  return { op: kind, left: randomExpression(rnd, depth - 1), right: randomExpression(rnd, depth - 1) };
}
