/**
 * Binding: resolves each predicate's column name against a struct type, converts its literals to
 * the column's Value representation, and folds what the types already decide: is-null on a field
 * that can never be null is false, a literal past the type's range makes a comparison constant,
 * an empty in-list is false, a one-element in-list is an equality.
 */

import { validation } from "../core/errors.ts";
import { compareValues } from "../spec/compare.ts";
import { findFieldByName, indexById } from "../spec/schema.ts";
import { isPrimitive, isStruct, type StructType } from "../spec/types.ts";
import type { BoundExpression, BoundReference, Literal } from "./bound.ts";
import {
  alwaysFalse,
  alwaysTrue,
  type Expression,
  isLiteralOp,
  isSetOp,
  isUnaryOp,
  type LiteralOp,
  type UnboundPredicate,
} from "./expressions.ts";
import { ABOVE_MAX, BELOW_MIN, type ConvertedLiteral, isFloatingType, toLiteral } from "./literals.ts";
import { mapPredicates } from "./visit.ts";

const structName = (struct: StructType): string =>
  "schema-id" in struct ? `schema ${(struct as { "schema-id": number })["schema-id"]}` : "struct";

/** Binds every predicate of `expr` to `struct`; validation errors name the column and the problem. */
export function bind(struct: StructType, expr: Expression, caseSensitive = true): BoundExpression {
  return mapPredicates(expr, (predicate) => bindPredicate(struct, predicate, caseSensitive));
}

/** Resolves a column name to a primitive field reachable through structs only. */
export function bindReference(struct: StructType, term: string, caseSensitive = true): BoundReference {
  const field = findFieldByName(struct, term, caseSensitive);
  if (!field) throw validation(`cannot bind expression: no column named ${term} in ${structName(struct)}`);
  const index = indexById(struct);
  const entry = index.get(field.id)!;
  if (!isPrimitive(field.type))
    throw validation(`cannot filter on column ${entry.name}: type ${field.type.type} is not primitive`);
  const path: number[] = [];
  let nullable = !field.required;
  let fields = struct.fields;
  for (const parentId of entry.parents) {
    const parent = index.get(parentId)!.field;
    if (!isStruct(parent.type))
      throw validation(
        `cannot filter on column ${entry.name}: it is inside a ${typeof parent.type === "string" ? parent.type : parent.type.type}, not a struct`,
      );
    path.push(fields.findIndex((f) => f.id === parentId));
    nullable ||= !parent.required;
    fields = parent.type.fields;
  }
  path.push(fields.findIndex((f) => f.id === field.id));
  return { fieldId: field.id, type: field.type, name: entry.name, path, nullable };
}

/** Distinct literals in the type's order (evaluators binary-search them). */
export function sortedDistinct(type: string, values: Literal[]): Literal[] {
  const sorted = [...values].sort((a, b) => compareValues(type, a, b));
  return sorted.filter((v, i) => i === 0 || compareValues(type, sorted[i - 1], v) !== 0);
}

function bindPredicate(struct: StructType, pred: UnboundPredicate, caseSensitive: boolean): BoundExpression {
  const ref = bindReference(struct, pred.term, caseSensitive);
  const { op } = pred;
  if (isUnaryOp(op)) {
    if ((op === "is-nan" || op === "not-nan") && !isFloatingType(ref.type))
      throw validation(`cannot bind ${op} to column ${ref.name}: type ${ref.type} is not float or double`);
    if (op === "is-null" && !ref.nullable) return alwaysFalse;
    if (op === "not-null" && !ref.nullable) return alwaysTrue;
    return { op, ref };
  }
  if (isLiteralOp(op)) {
    if (pred.value === undefined) throw validation(`predicate ${op} on column ${ref.name} needs a value`);
    if ((op === "starts-with" || op === "not-starts-with") && (ref.type !== "string" || typeof pred.value !== "string"))
      throw validation(`cannot bind ${op} to column ${ref.name} of type ${ref.type}: needs a string column and prefix`);
    return literalPredicate(op, ref, toLiteral(ref.type, pred.value, ref.name));
  }
  if (isSetOp(op)) {
    if (!Array.isArray(pred.values)) throw validation(`predicate ${op} on column ${ref.name} needs a list of values`);
    const converted = pred.values.map((v) => toLiteral(ref.type, v, ref.name));
    // A literal outside the type's range equals no value of the column.
    const values = sortedDistinct(
      ref.type,
      converted.filter((v): v is Literal => v !== ABOVE_MAX && v !== BELOW_MIN),
    );
    if (values.length === 0) return op === "in" ? alwaysFalse : alwaysTrue;
    if (values.length === 1) return { op: op === "in" ? "eq" : "not-eq", ref, value: values[0] };
    return { op, ref, values };
  }
  throw validation(`unknown predicate operation ${String(op)} on column ${ref.name}`);
}

/**
 * A literal predicate, or what it reduces to when the literal is outside the type's range: every
 * non-null value is below ABOVE_MAX, so x < ABOVE_MAX is "x is not null" (null satisfies no
 * comparison but does satisfy not-eq).
 */
function literalPredicate(op: LiteralOp, ref: BoundReference, literal: ConvertedLiteral): BoundExpression {
  if (literal !== ABOVE_MAX && literal !== BELOW_MIN) return { op, ref, value: literal };
  if (op === "not-eq") return alwaysTrue;
  const allNonNullMatch = literal === ABOVE_MAX ? op === "lt" || op === "lt-eq" : op === "gt" || op === "gt-eq";
  if (!allNonNullMatch) return alwaysFalse;
  return ref.nullable ? { op: "not-null", ref } : alwaysTrue;
}
