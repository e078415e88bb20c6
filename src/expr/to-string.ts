/**
 * Readable text of expressions for explain output and error messages:
 * `(event_time >= 2024-01-01T00:00:00.000000+00:00 and element_id in ("a", "b"))`.
 * Chains of the same connective print flat; bound literals print in their column type's form.
 */
import type { BoundExpression, BoundPredicate } from "./bound.ts";
import {
  asLogical,
  type Expression,
  isPredicate,
  type Logical,
  type PredicateOp,
  type UnboundPredicate,
} from "./expressions.ts";
import { formatValue } from "./literals.ts";

const SYMBOL: Partial<Record<PredicateOp, string>> = {
  eq: "=",
  "not-eq": "!=",
  lt: "<",
  "lt-eq": "<=",
  gt: ">",
  "gt-eq": ">=",
  "starts-with": "starts with",
  "not-starts-with": "not starts with",
  in: "in",
  "not-in": "not in",
  "is-null": "is null",
  "not-null": "is not null",
  "is-nan": "is nan",
  "not-nan": "is not nan",
};

type AnyPredicate = UnboundPredicate | BoundPredicate;
type AnyExpression = Expression | BoundExpression | Logical<AnyPredicate>;

/** The readable form of an unbound or bound expression. */
export function expressionToString(expr: AnyExpression): string {
  if (isPredicate(expr)) {
    const [name, type] = "ref" in expr ? [expr.ref.name, expr.ref.type] : [expr.term, undefined];
    const symbol = SYMBOL[expr.op] ?? expr.op;
    if ("values" in expr && expr.values !== undefined)
      return `${name} ${symbol} (${expr.values.map((v) => formatValue(type, v)).join(", ")})`;
    if ("value" in expr && expr.value !== undefined) return `${name} ${symbol} ${formatValue(type, expr.value)}`;
    return `${name} ${symbol}`;
  }
  const node = asLogical(expr as Logical<AnyPredicate>);
  switch (node.op) {
    case "true":
    case "false":
      return node.op;
    case "not":
      return `not(${expressionToString(node.child)})`;
    case "and":
    case "or": {
      const parts: string[] = [];
      const collect = (e: Logical<AnyPredicate>): void => {
        if (!isPredicate(e) && (e.op === "and" || e.op === "or") && e.op === node.op) {
          collect(e.left);
          collect(e.right);
        } else parts.push(expressionToString(e));
      };
      collect(node);
      return `(${parts.join(` ${node.op} `)})`;
    }
  }
}
