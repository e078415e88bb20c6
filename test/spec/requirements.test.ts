import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import { parseTableMetadata } from "../../src/spec/metadata-parser.ts";
import { checkRequirements } from "../../src/spec/requirements.ts";
import type { TableMetadata } from "../../src/spec/table-metadata.ts";
import type { TableRequirement } from "../../src/spec/updates.ts";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "..", "shared", "iceberg", "fixtures", "metadata");
const base = (): TableMetadata => {
  const m = parseTableMetadata(readFileSync(path.join(FIXTURES, "TableMetadataV2Valid.json"), "utf8"));
  m.refs.audit = { "snapshot-id": 3051729675574597004n, type: "tag" };
  return m;
};
const NAME = "clicks.events";

function conflicts(metadata: TableMetadata | null, requirement: TableRequirement, message: string): void {
  assert.throws(
    () => checkRequirements(metadata, [requirement], NAME),
    (error: unknown) => {
      assert.ok(error instanceof FloeError);
      assert.equal(error.kind, "commit-conflict");
      assert.equal(error.retryable, true);
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe("checkRequirements", () => {
  test("no requirements always pass, on an existing or a missing table", () => {
    checkRequirements(base(), [], NAME);
    checkRequirements(null, [], NAME);
  });

  test("assert-create passes for a missing table and fails for an existing one", () => {
    checkRequirements(null, [{ type: "assert-create" }], NAME);
    conflicts(
      base(),
      { type: "assert-create" },
      "table clicks.events: requirement assert-create failed: table already exists",
    );
  });

  test("any other requirement against a missing table is not-found", () => {
    assert.throws(
      () => checkRequirements(null, [{ type: "assert-current-schema-id", "current-schema-id": 1 }], NAME),
      (error: unknown) =>
        error instanceof FloeError &&
        error.kind === "not-found" &&
        /table clicks.events does not exist/.test(error.message),
    );
  });

  test("assert-table-uuid compares case-insensitively", () => {
    checkRequirements(base(), [{ type: "assert-table-uuid", uuid: "9C12D441-03FE-4693-9A96-A0705DDF69C1" }], NAME);
    conflicts(
      base(),
      { type: "assert-table-uuid", uuid: "00000000-0000-0000-0000-000000000000" },
      "table clicks.events: requirement assert-table-uuid failed: expected 00000000-0000-0000-0000-000000000000, found 9c12d441-03fe-4693-9a96-a0705ddf69c1",
    );
  });

  test("assert-ref-snapshot-id checks branches and tags", () => {
    checkRequirements(
      base(),
      [
        { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": 3055729675574597004n },
        { type: "assert-ref-snapshot-id", ref: "audit", "snapshot-id": 3051729675574597004n },
      ],
      NAME,
    );
    conflicts(
      base(),
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": 41n },
      "table clicks.events: requirement assert-ref-snapshot-id failed for main: expected 41, found 3055729675574597004",
    );
  });

  test("assert-ref-snapshot-id with null asserts that the ref does not exist", () => {
    checkRequirements(base(), [{ type: "assert-ref-snapshot-id", ref: "dev", "snapshot-id": null }], NAME);
    conflicts(
      base(),
      { type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null },
      "table clicks.events: requirement assert-ref-snapshot-id failed for main: expected none, found 3055729675574597004",
    );
    conflicts(
      base(),
      { type: "assert-ref-snapshot-id", ref: "dev", "snapshot-id": 42n },
      "table clicks.events: requirement assert-ref-snapshot-id failed for dev: expected 42, found none",
    );
  });

  const numeric: [TableRequirement, TableRequirement, string][] = [
    [
      { type: "assert-last-assigned-field-id", "last-assigned-field-id": 3 },
      { type: "assert-last-assigned-field-id", "last-assigned-field-id": 2 },
      "assert-last-assigned-field-id failed: expected 2, found 3",
    ],
    [
      { type: "assert-current-schema-id", "current-schema-id": 1 },
      { type: "assert-current-schema-id", "current-schema-id": 0 },
      "assert-current-schema-id failed: expected 0, found 1",
    ],
    [
      { type: "assert-last-assigned-partition-id", "last-assigned-partition-id": 1000 },
      { type: "assert-last-assigned-partition-id", "last-assigned-partition-id": 999 },
      "assert-last-assigned-partition-id failed: expected 999, found 1000",
    ],
    [
      { type: "assert-default-spec-id", "default-spec-id": 0 },
      { type: "assert-default-spec-id", "default-spec-id": 1 },
      "assert-default-spec-id failed: expected 1, found 0",
    ],
    [
      { type: "assert-default-sort-order-id", "default-sort-order-id": 3 },
      { type: "assert-default-sort-order-id", "default-sort-order-id": 0 },
      "assert-default-sort-order-id failed: expected 0, found 3",
    ],
  ];
  for (const [passing, failing, message] of numeric) {
    test(`${passing.type} passes when equal and fails otherwise`, () => {
      checkRequirements(base(), [passing], NAME);
      conflicts(base(), failing, `table clicks.events: requirement ${message}`);
    });
  }

  test("the first failing requirement of a list is reported", () => {
    assert.throws(
      () =>
        checkRequirements(
          base(),
          [
            { type: "assert-current-schema-id", "current-schema-id": 1 },
            { type: "assert-default-spec-id", "default-spec-id": 5 },
            { type: "assert-create" },
          ],
          NAME,
        ),
      /assert-default-spec-id failed: expected 5, found 0/,
    );
  });

  test("an unknown requirement type is a validation error, not a retryable conflict", () => {
    assert.throws(
      () => checkRequirements(base(), [{ type: "assert-nothing" } as unknown as TableRequirement], NAME),
      (error: unknown) => error instanceof FloeError && error.kind === "validation" && !error.retryable,
    );
  });
});
