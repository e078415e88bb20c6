/**
 * Residuals: what of a row filter is left to check on the rows of one partition. A predicate the
 * partition proves true (its strict projection holds) drops out; one the partition proves false
 * (its inclusive projection fails) makes that branch false; the rest stays. Scans hand the
 * residual to the reader, so files in fully matching partitions are read without row filtering.
 */

import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { Schema, Value } from "../spec/types.ts";
import { bind } from "./bind.ts";
import type { BoundExpression, BoundPredicate } from "./bound.ts";
import { alwaysFalse, alwaysTrue, type Expression } from "./expressions.ts";
import { projectionsOf } from "./projection.ts";
import { evaluate } from "./row-evaluator.ts";
import { rewriteNot } from "./simplify.ts";
import { unbind } from "./unbind.ts";
import { mapPredicates } from "./visit.ts";

/** The partition-side tests of one predicate, bound to the partition type once. */
interface PredicateTests {
  strict: BoundExpression[];
  inclusive: BoundExpression[];
  unbound: Expression;
}

/** For a partition tuple (values in spec field order), the part of `expr` its rows still have to be checked against. */
export function residualEvaluator(
  spec: PartitionSpec,
  schema: Schema,
  expr: Expression,
  caseSensitive = true,
): (partition: Value[]) => Expression {
  const bound = bind(schema, rewriteNot(expr), caseSensitive);
  const struct = partitionType(spec, schema);
  const tests = new Map<BoundPredicate, PredicateTests>();
  const testsFor = (pred: BoundPredicate): PredicateTests => {
    let t = tests.get(pred);
    if (!t) {
      t = {
        strict: projectionsOf("strict", spec, pred).map((p) => bind(struct, p)),
        inclusive: projectionsOf("inclusive", spec, pred).map((p) => bind(struct, p)),
        unbound: unbind(pred),
      };
      tests.set(pred, t);
    }
    return t;
  };
  return (partition) => residual(bound, partition, testsFor);
}

function residual(
  expr: BoundExpression,
  partition: Value[],
  testsFor: (pred: BoundPredicate) => PredicateTests,
): Expression {
  return mapPredicates(
    expr,
    (predicate): Expression => {
      const t = testsFor(predicate);
      if (t.strict.some((p) => evaluate(p, partition))) return alwaysTrue;
      if (t.inclusive.some((p) => !evaluate(p, partition))) return alwaysFalse;
      return t.unbound;
    },
    (node) => residual(rewriteNot(node), partition, testsFor),
  );
}
