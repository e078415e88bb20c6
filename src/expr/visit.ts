/**
 * The two walks every expression algorithm needs, written once: rebuilding a tree predicate by
 * predicate (binding, unbinding, projection, residuals) and folding it to a boolean (row,
 * metrics and manifest evaluators). Each algorithm supplies only what it does to one predicate
 * and how it treats NOT.
 */
import { andOf, asLogical, isPredicate, type Logical, type LogicalNode, notOf, orOf } from "./expressions.ts";

type NotNode<P> = Extract<LogicalNode<P>, { op: "not" }>;

/** Rebuilds `expr` with each predicate replaced by `map(p)`; constants fold through and/or/not. */
export function mapPredicates<P, Q>(
  expr: Logical<P>,
  map: (predicate: P) => Logical<Q>,
  onNot: (node: NotNode<P>) => Logical<Q> = (node) => notOf(mapPredicates(node.child, map, onNot)),
): Logical<Q> {
  if (isPredicate(expr)) return map(expr);
  const node = asLogical(expr);
  switch (node.op) {
    case "true":
    case "false":
      return node;
    case "and":
      return andOf(mapPredicates(node.left, map, onNot), mapPredicates(node.right, map, onNot));
    case "or":
      return orOf(mapPredicates(node.left, map, onNot), mapPredicates(node.right, map, onNot));
    case "not":
      return onNot(node);
  }
}

/** Folds `expr` to a boolean with `test` deciding each predicate and `onNot` each NOT node. */
export function evaluateTree<P>(
  expr: Logical<P>,
  test: (predicate: P) => boolean,
  onNot: (node: NotNode<P>) => boolean,
): boolean {
  if (isPredicate(expr)) return test(expr);
  const node = asLogical(expr);
  switch (node.op) {
    case "true":
      return true;
    case "false":
      return false;
    case "and":
      return evaluateTree(node.left, test, onNot) && evaluateTree(node.right, test, onNot);
    case "or":
      return evaluateTree(node.left, test, onNot) || evaluateTree(node.right, test, onNot);
    case "not":
      return onNot(node);
  }
}
