/**
 * Turns a bound expression back into an unbound one (columns by their schema spelling, literals in
 * caller form), for residuals handed to other layers and expressions sent over the REST API.
 */
import type { BoundExpression } from "./bound.ts";
import type { Expression } from "./expressions.ts";
import { literalFromValue } from "./literals.ts";
import { mapPredicates } from "./visit.ts";

/** The unbound form of a bound expression; binding it to the same schema gives an equal expression. */
export function unbind(expr: BoundExpression): Expression {
  return mapPredicates(expr, (predicate): Expression => {
    const { op, ref } = predicate;
    if ("values" in predicate)
      return { op, term: ref.name, values: predicate.values.map((v) => literalFromValue(ref.type, v)) };
    if ("value" in predicate) return { op, term: ref.name, value: literalFromValue(ref.type, predicate.value) };
    return { op, term: ref.name };
  });
}
