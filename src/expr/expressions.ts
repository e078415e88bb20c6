/**
 * The unbound expression AST: predicates name columns by (dotted) name and carry plain JS
 * literals. Operation names follow the REST spec's expression JSON so the same objects can travel
 * over the REST scan API. Builders fold constants the way the reference implementation does, so
 * `and(alwaysFalse, x)` is simply `alwaysFalse`.
 */

/** A literal as a caller writes it; binding converts it to the column's Value (see literals.ts). */
export type LiteralInput = boolean | number | bigint | string | Uint8Array;

/** Predicates on the value alone. */
export type UnaryOp = "is-null" | "not-null" | "is-nan" | "not-nan";
/** Predicates comparing the value with one literal. */
export type LiteralOp = "eq" | "not-eq" | "lt" | "lt-eq" | "gt" | "gt-eq" | "starts-with" | "not-starts-with";
/** Predicates testing membership in a set of literals. */
export type SetOp = "in" | "not-in";
/** Every predicate operation. */
export type PredicateOp = UnaryOp | LiteralOp | SetOp;

/** A predicate on a column named by its full dotted name. */
export interface UnboundPredicate {
  op: PredicateOp;
  term: string;
  /** The literal of a literal predicate. */
  value?: LiteralInput;
  /** The literals of a set predicate. */
  values?: LiteralInput[];
}

/** Constants and connectives shared by unbound and bound expressions. */
export type LogicalNode<P> =
  | { op: "true" }
  | { op: "false" }
  | { op: "and"; left: Logical<P>; right: Logical<P> }
  | { op: "or"; left: Logical<P>; right: Logical<P> }
  | { op: "not"; child: Logical<P> };

/** A boolean expression over predicates of type P. */
export type Logical<P> = LogicalNode<P> | P;

/** An unbound expression. */
export type Expression = Logical<UnboundPredicate>;

const UNARY_OPS = new Set<string>(["is-null", "not-null", "is-nan", "not-nan"]);
const LITERAL_OPS = new Set<string>(["eq", "not-eq", "lt", "lt-eq", "gt", "gt-eq", "starts-with", "not-starts-with"]);
const SET_OPS = new Set<string>(["in", "not-in"]);
const LOGICAL_OPS = new Set<string>(["true", "false", "and", "or", "not"]);

/** Whether an op is a unary predicate op. */
export const isUnaryOp = (op: string): op is UnaryOp => UNARY_OPS.has(op);
/** Whether an op is a literal predicate op. */
export const isLiteralOp = (op: string): op is LiteralOp => LITERAL_OPS.has(op);
/** Whether an op is a set predicate op. */
export const isSetOp = (op: string): op is SetOp => SET_OPS.has(op);
/** Whether an expression node is a predicate (not a constant or connective). */
export const isPredicate = <P>(e: Logical<P>): e is P => !LOGICAL_OPS.has((e as { op: string }).op);
/** The node as a constant or connective; call only when isPredicate is false. */
export const asLogical = <P>(e: Logical<P>): LogicalNode<P> => e as LogicalNode<P>;

const NEGATED: Record<PredicateOp, PredicateOp> = {
  "is-null": "not-null",
  "not-null": "is-null",
  "is-nan": "not-nan",
  "not-nan": "is-nan",
  eq: "not-eq",
  "not-eq": "eq",
  lt: "gt-eq",
  "gt-eq": "lt",
  "lt-eq": "gt",
  gt: "lt-eq",
  "starts-with": "not-starts-with",
  "not-starts-with": "starts-with",
  in: "not-in",
  "not-in": "in",
};

/** The op matching exactly the rows the given op rejects. */
export const negateOp = <O extends PredicateOp>(op: O): O => NEGATED[op] as O;

/** The expression that matches every row. */
export const alwaysTrue: { op: "true" } = { op: "true" };
/** The expression that matches no row. */
export const alwaysFalse: { op: "false" } = { op: "false" };

/** Conjunction of two expressions of any predicate type, folding constants. */
export function andOf<P>(left: Logical<P>, right: Logical<P>): Logical<P> {
  const l = (left as { op: string }).op;
  const r = (right as { op: string }).op;
  if (l === "false" || r === "false") return alwaysFalse;
  if (l === "true") return right;
  if (r === "true") return left;
  return { op: "and", left, right };
}

/** Disjunction of two expressions of any predicate type, folding constants. */
export function orOf<P>(left: Logical<P>, right: Logical<P>): Logical<P> {
  const l = (left as { op: string }).op;
  const r = (right as { op: string }).op;
  if (l === "true" || r === "true") return alwaysTrue;
  if (l === "false") return right;
  if (r === "false") return left;
  return { op: "or", left, right };
}

/** Negation of an expression of any predicate type, folding constants and double negation. */
export function notOf<P>(child: Logical<P>): Logical<P> {
  if (!isPredicate(child)) {
    const node = asLogical(child);
    if (node.op === "true") return alwaysFalse;
    if (node.op === "false") return alwaysTrue;
    if (node.op === "not") return node.child;
  }
  return { op: "not", child };
}

/** All expressions must hold (alwaysTrue when given none). */
export const and = (...exprs: Expression[]): Expression =>
  exprs.reduce<Expression>((acc, e) => andOf(acc, e), alwaysTrue);
/** At least one expression must hold (alwaysFalse when given none). */
export const or = (...exprs: Expression[]): Expression =>
  exprs.reduce<Expression>((acc, e) => orOf(acc, e), alwaysFalse);
/** The expression must not hold. */
export const not = (expr: Expression): Expression => notOf(expr);

/** term = value */
export const equal = (term: string, value: LiteralInput): UnboundPredicate => ({ op: "eq", term, value });
/** term != value (null values match, as in the reference implementation) */
export const notEqual = (term: string, value: LiteralInput): UnboundPredicate => ({ op: "not-eq", term, value });
/** term < value */
export const lessThan = (term: string, value: LiteralInput): UnboundPredicate => ({ op: "lt", term, value });
/** term <= value */
export const lessThanOrEqual = (term: string, value: LiteralInput): UnboundPredicate => ({ op: "lt-eq", term, value });
/** term > value */
export const greaterThan = (term: string, value: LiteralInput): UnboundPredicate => ({ op: "gt", term, value });
/** term >= value */
export const greaterThanOrEqual = (term: string, value: LiteralInput): UnboundPredicate => ({
  op: "gt-eq",
  term,
  value,
});
/** term is one of values */
export const isIn = (term: string, values: LiteralInput[]): UnboundPredicate => ({
  op: "in",
  term,
  values: [...values],
});
/** term is none of values (null values match) */
export const notIn = (term: string, values: LiteralInput[]): UnboundPredicate => ({
  op: "not-in",
  term,
  values: [...values],
});
/** term is null */
export const isNull = (term: string): UnboundPredicate => ({ op: "is-null", term });
/** term is not null */
export const notNull = (term: string): UnboundPredicate => ({ op: "not-null", term });
/** term is NaN (float and double columns only); exported as `isNaN`, the reference API's name. */
const isNaNPredicate = (term: string): UnboundPredicate => ({ op: "is-nan", term });

export { isNaNPredicate as isNaN };
/** term is not NaN (float and double columns only; null values match) */
export const notNaN = (term: string): UnboundPredicate => ({ op: "not-nan", term });
/** term starts with prefix (string columns only) */
export const startsWith = (term: string, prefix: string): UnboundPredicate => ({
  op: "starts-with",
  term,
  value: prefix,
});
/** term does not start with prefix (string columns only; null values match) */
export const notStartsWith = (term: string, prefix: string): UnboundPredicate => ({
  op: "not-starts-with",
  term,
  value: prefix,
});
