/**
 * Rewrites that keep evaluators simple. Every evaluator first pushes NOT down to the predicates
 * (NOT (a AND b) → NOT a OR NOT b, NOT x < 5 → x >= 5), so none of them has to reason about
 * negation: "the rows matching NOT p" is then defined as "the rows matching p's negated op".
 */
import { andOf, asLogical, isPredicate, type Logical, negateOp, notOf, orOf } from "./expressions.ts";

type WithOp = { op: Parameters<typeof negateOp>[0] };

/** The predicate with its op negated (same term and literals). */
const negatePredicate = <P extends WithOp>(p: P): P => ({ ...p, op: negateOp(p.op) });

/** Pushes every NOT down to the predicates and folds constants; works on bound and unbound trees. */
export function rewriteNot<P extends WithOp>(expr: Logical<P>): Logical<P> {
  if (isPredicate(expr)) return expr;
  const node = asLogical(expr);
  switch (node.op) {
    case "true":
    case "false":
      return node;
    case "and":
      return andOf(rewriteNot(node.left), rewriteNot(node.right));
    case "or":
      return orOf(rewriteNot(node.left), rewriteNot(node.right));
    case "not":
      return negate(node.child);
  }
}

/** NOT expr, already pushed down. */
function negate<P extends WithOp>(expr: Logical<P>): Logical<P> {
  if (isPredicate(expr)) return negatePredicate(expr);
  const node = asLogical(expr);
  switch (node.op) {
    case "true":
    case "false":
      return notOf<P>(node);
    case "and":
      return orOf(negate(node.left), negate(node.right));
    case "or":
      return andOf(negate(node.left), negate(node.right));
    case "not":
      return rewriteNot(node.child);
  }
}
