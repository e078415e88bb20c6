/**
 * Bound expressions: predicates resolved against one struct type. A bound predicate references
 * the field by id and position and carries literals already converted to the field's Value
 * representation, so evaluators never parse or convert anything per row.
 */
import type { PrimitiveType, Value } from "../spec/types.ts";
import type { LiteralOp, Logical, SetOp, UnaryOp } from "./expressions.ts";

/** A non-null Value: the literal of a bound predicate. */
export type Literal = Exclude<Value, null>;

/** A primitive field of the struct an expression was bound to. */
export interface BoundReference {
  fieldId: number;
  type: PrimitiveType;
  /** Full dotted name, as spelled in the schema (not as the caller typed it). */
  name: string;
  /** Positions leading to the value: struct field index, then index inside that struct, ... */
  path: number[];
  /** False when the field and every struct enclosing it are required, so the value is never null. */
  nullable: boolean;
}

/** is-null, not-null, is-nan, not-nan on a field. */
export interface BoundUnaryPredicate {
  op: UnaryOp;
  ref: BoundReference;
}

/** A comparison of a field with one literal. */
export interface BoundLiteralPredicate {
  op: LiteralOp;
  ref: BoundReference;
  value: Literal;
}

/** Membership of a field's value in a set of at least two literals, sorted and distinct. */
export interface BoundSetPredicate {
  op: SetOp;
  ref: BoundReference;
  values: Literal[];
}

/** Any bound predicate. */
export type BoundPredicate = BoundUnaryPredicate | BoundLiteralPredicate | BoundSetPredicate;

/** An expression bound to a struct type. */
export type BoundExpression = Logical<BoundPredicate>;

/** Whether an expression node (bound or not) is a bound predicate. */
export const isBoundPredicate = (e: { op: string }): e is BoundPredicate => "ref" in e;
