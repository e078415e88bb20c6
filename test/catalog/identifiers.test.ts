import assert from "node:assert/strict";
import { test } from "node:test";
import {
  directChildren,
  formatNamespace,
  formatTableIdentifier,
  isWithinNamespace,
  parseNamespace,
  parseTableIdentifier,
  sameTable,
  validateTableIdentifier,
} from "../../src/catalog/identifiers.ts";
import { assertRejectsKind } from "./conformance.ts";

const rejects = (fn: () => unknown, ...mentions: string[]) =>
  assertRejectsKind(Promise.resolve().then(fn), "bad-input", ...mentions);

test("table identifiers parse as namespace levels plus table name, and format back", () => {
  assert.deepEqual(parseTableIdentifier("web.events"), { namespace: ["web"], name: "events" });
  assert.deepEqual(parseTableIdentifier("a.b.events"), { namespace: ["a", "b"], name: "events" });
  assert.equal(formatTableIdentifier({ namespace: ["a", "b"], name: "events" }), "a.b.events");
  assert.deepEqual(parseNamespace("a.b"), ["a", "b"]);
  assert.equal(formatNamespace(["a", "b"]), "a.b");
});

test("malformed identifiers are bad-input naming the offending text", async () => {
  await rejects(() => parseTableIdentifier("events"), "events");
  await rejects(() => parseTableIdentifier("web..events"));
  await rejects(() => parseTableIdentifier(".events"));
  await rejects(() => parseTableIdentifier("web."));
  await rejects(() => parseNamespace(""));
  await rejects(() => validateTableIdentifier({ namespace: ["web/x"], name: "t" }), "web/x");
  await rejects(() => validateTableIdentifier({ namespace: ["web"], name: "a\nb" }));
  await rejects(() => validateTableIdentifier({ namespace: [], name: "t" }));
});

test("namespace relations: within, same table, direct children", () => {
  assert.equal(isWithinNamespace(["a", "b"], ["a"]), true);
  assert.equal(isWithinNamespace(["a"], ["a"]), true);
  assert.equal(isWithinNamespace(["ab"], ["a"]), false);
  assert.equal(isWithinNamespace(["a"], ["a", "b"]), false);
  assert.equal(sameTable({ namespace: ["a"], name: "t" }, { namespace: ["a"], name: "t" }), true);
  assert.equal(sameTable({ namespace: ["a", "b"], name: "t" }, { namespace: ["a"], name: "b.t" }), false);
  const stored = [["b", "x", "y"], ["a"], ["a", "c"], ["a", "b"], ["a", "b", "z"], ["a", "c"]];
  assert.deepEqual(directChildren(stored, []), [["a"], ["b"]]);
  assert.deepEqual(directChildren(stored, ["a"]), [
    ["a", "b"],
    ["a", "c"],
  ]);
  assert.deepEqual(directChildren(stored, ["b"]), [["b", "x"]]);
  assert.deepEqual(directChildren(stored, ["c"]), []);
});
