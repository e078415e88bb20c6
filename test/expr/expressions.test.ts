import assert from "node:assert/strict";
import { test } from "node:test";
import {
  alwaysFalse,
  alwaysTrue,
  and,
  equal,
  greaterThan,
  greaterThanOrEqual,
  isIn,
  isNull,
  lessThan,
  lessThanOrEqual,
  not,
  notEqual,
  notIn,
  notNull,
  notStartsWith,
  or,
  startsWith,
  isNaN as isNaNPredicate,
  notNaN,
} from "../../src/expr/expressions.ts";
import { rewriteNot } from "../../src/expr/simplify.ts";
import { expressionToString } from "../../src/expr/to-string.ts";

test("builders produce the REST spec's expression shapes", () => {
  assert.deepEqual(equal("a", 1), { op: "eq", term: "a", value: 1 });
  assert.deepEqual(isIn("a", [1, 2]), { op: "in", term: "a", values: [1, 2] });
  assert.deepEqual(isNull("a"), { op: "is-null", term: "a" });
  assert.deepEqual(isNaNPredicate("f"), { op: "is-nan", term: "f" });
  assert.deepEqual(startsWith("s", "ab"), { op: "starts-with", term: "s", value: "ab" });
  assert.deepEqual(and(equal("a", 1), lessThan("b", 2n)), {
    op: "and",
    left: { op: "eq", term: "a", value: 1 },
    right: { op: "lt", term: "b", value: 2n },
  });
});

test("and/or/not fold constants", () => {
  const p = equal("a", 1);
  assert.deepEqual(and(), alwaysTrue);
  assert.deepEqual(or(), alwaysFalse);
  assert.deepEqual(and(p, alwaysTrue), p);
  assert.deepEqual(and(alwaysFalse, p), alwaysFalse);
  assert.deepEqual(or(p, alwaysFalse), p);
  assert.deepEqual(or(alwaysTrue, p), alwaysTrue);
  assert.deepEqual(not(alwaysTrue), alwaysFalse);
  assert.deepEqual(not(not(p)), p);
});

test("rewriteNot pushes negation down to negated predicate ops", () => {
  const pairs = [
    [equal("a", 1), notEqual("a", 1)],
    [lessThan("a", 1), greaterThanOrEqual("a", 1)],
    [lessThanOrEqual("a", 1), greaterThan("a", 1)],
    [isIn("a", [1, 2]), notIn("a", [1, 2])],
    [isNull("a"), notNull("a")],
    [isNaNPredicate("a"), notNaN("a")],
    [startsWith("a", "x"), notStartsWith("a", "x")],
  ];
  for (const [p, negated] of pairs) {
    assert.deepEqual(rewriteNot(not(p)), negated);
    assert.deepEqual(rewriteNot(not(negated)), p);
  }
  const expr = not(and(equal("a", 1), or(lessThan("b", 2), not(isNull("c")))));
  assert.deepEqual(rewriteNot(expr), or(notEqual("a", 1), and(greaterThanOrEqual("b", 2), isNull("c"))));
  assert.deepEqual(rewriteNot({ op: "not", child: { op: "not", child: equal("a", 1) } }), equal("a", 1));
  assert.deepEqual(rewriteNot({ op: "not", child: alwaysTrue }), alwaysFalse);
});

test("expressionToString is readable and flattens chains", () => {
  const expr = and(
    equal("a", 1),
    lessThan("b", 2n),
    or(isNull("c"), startsWith("s", 'x"y'), isIn("d", ["p", "q"])),
    not(notNull("e")),
    equal("bin", Uint8Array.of(0, 255)),
  );
  assert.equal(
    expressionToString(expr),
    '(a = 1 and b < 2 and (c is null or s starts with "x\\"y" or d in ("p", "q")) and not(e is not null) and bin = X\'00ff\')',
  );
  assert.equal(expressionToString(alwaysTrue), "true");
  assert.equal(expressionToString(notNaN("f")), "f is not nan");
});
