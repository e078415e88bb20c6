/**
 * Turns a bound expression back into an unbound one (columns by their schema spelling, literals in
 * caller form), for residuals handed to other layers and expressions sent over the REST API.
 */
import type { BoundExpression } from "./bound.ts";
import { type Expression, andOf, asLogical, isPredicate, notOf, orOf } from "./expressions.ts";
import { literalFromValue } from "./literals.ts";

/** The unbound form of a bound expression; binding it to the same schema gives an equal expression. */
export function unbind(expr: BoundExpression): Expression {
  if (isPredicate(expr)) {
    const { op, ref } = expr;
    if ("values" in expr) return { op, term: ref.name, values: expr.values.map((v) => literalFromValue(ref.type, v)) };
    if ("value" in expr) return { op, term: ref.name, value: literalFromValue(ref.type, expr.value) };
    return { op, term: ref.name };
  }
  const node = asLogical(expr);
  switch (node.op) {
    case "true":
    case "false":
      return node;
    case "and":
      return andOf(unbind(node.left), unbind(node.right));
    case "or":
      return orOf(unbind(node.left), unbind(node.right));
    case "not":
      return notOf(unbind(node.child));
  }
}
