import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import * as P from "../../src/spec/table-properties.ts";

describe("table property names and defaults", () => {
  test("match the reference implementation's TableProperties", () => {
    const expected: [string, string, unknown, unknown][] = [
      [P.COMMIT_NUM_RETRIES, "commit.retry.num-retries", P.COMMIT_NUM_RETRIES_DEFAULT, 4],
      [P.COMMIT_MIN_RETRY_WAIT_MS, "commit.retry.min-wait-ms", P.COMMIT_MIN_RETRY_WAIT_MS_DEFAULT, 100],
      [P.COMMIT_MAX_RETRY_WAIT_MS, "commit.retry.max-wait-ms", P.COMMIT_MAX_RETRY_WAIT_MS_DEFAULT, 60000],
      [P.COMMIT_TOTAL_RETRY_TIME_MS, "commit.retry.total-timeout-ms", P.COMMIT_TOTAL_RETRY_TIME_MS_DEFAULT, 1800000],
      [
        P.MANIFEST_TARGET_SIZE_BYTES,
        "commit.manifest.target-size-bytes",
        P.MANIFEST_TARGET_SIZE_BYTES_DEFAULT,
        8388608n,
      ],
      [P.MANIFEST_MIN_MERGE_COUNT, "commit.manifest.min-count-to-merge", P.MANIFEST_MIN_MERGE_COUNT_DEFAULT, 100],
      [P.MANIFEST_MERGE_ENABLED, "commit.manifest-merge.enabled", P.MANIFEST_MERGE_ENABLED_DEFAULT, true],
      [
        P.METADATA_PREVIOUS_VERSIONS_MAX,
        "write.metadata.previous-versions-max",
        P.METADATA_PREVIOUS_VERSIONS_MAX_DEFAULT,
        100,
      ],
      [
        P.METADATA_DELETE_AFTER_COMMIT_ENABLED,
        "write.metadata.delete-after-commit.enabled",
        P.METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT,
        false,
      ],
      [
        P.WRITE_TARGET_FILE_SIZE_BYTES,
        "write.target-file-size-bytes",
        P.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT,
        536870912n,
      ],
      [P.MAX_SNAPSHOT_AGE_MS, "history.expire.max-snapshot-age-ms", P.MAX_SNAPSHOT_AGE_MS_DEFAULT, 432000000n],
      [P.MIN_SNAPSHOTS_TO_KEEP, "history.expire.min-snapshots-to-keep", P.MIN_SNAPSHOTS_TO_KEEP_DEFAULT, 1],
      [P.MAX_REF_AGE_MS, "history.expire.max-ref-age-ms", P.MAX_REF_AGE_MS_DEFAULT, 9223372036854775807n],
    ];
    for (const [name, expectedName, value, expectedValue] of expected) {
      assert.equal(name, expectedName);
      assert.equal(value, expectedValue, name);
    }
    assert.equal(P.FORMAT_VERSION, "format-version");
    assert.ok(P.RESERVED_PROPERTIES.has("format-version"));
    assert.ok(!P.RESERVED_PROPERTIES.has(P.COMMIT_NUM_RETRIES));
  });
});

function rejects(fn: () => unknown, message: RegExp): void {
  assert.throws(
    fn,
    (error: unknown) => error instanceof FloeError && error.kind === "validation" && message.test(error.message),
  );
}

describe("typed getters", () => {
  const props = {
    n: "12",
    neg: "-3",
    big: "9223372036854775807",
    t: "TRUE",
    f: "false",
    bad: "twelve",
    frac: "1.5",
  };

  test("propertyInt reads ints, falls back to the default, rejects garbage and out-of-range values", () => {
    assert.equal(P.propertyInt(props, "n", 1), 12);
    assert.equal(P.propertyInt(props, "neg", 1), -3);
    assert.equal(P.propertyInt(props, "absent", 7), 7);
    assert.equal(P.propertyInt(undefined, "n", 7), 7);
    rejects(() => P.propertyInt(props, "bad", 1), /bad must be an int, got "twelve"/);
    rejects(() => P.propertyInt(props, "frac", 1), /frac must be an int/);
    rejects(() => P.propertyInt(props, "big", 1), /big must be an int/);
  });

  test("propertyLong reads exact bigints", () => {
    assert.equal(P.propertyLong(props, "big", 0n), 9223372036854775807n);
    assert.equal(P.propertyLong(props, "n", 0n), 12n);
    assert.equal(P.propertyLong(props, "absent", 5n), 5n);
    rejects(() => P.propertyLong(props, "bad", 0n), /bad must be a long/);
    rejects(() => P.propertyLong({ x: "9223372036854775808" }, "x", 0n), /x must be a long/);
  });

  test("propertyBool reads true/false in any case and rejects anything else", () => {
    assert.equal(P.propertyBool(props, "t", false), true);
    assert.equal(P.propertyBool(props, "f", true), false);
    assert.equal(P.propertyBool(props, "absent", true), true);
    rejects(() => P.propertyBool(props, "n", true), /n must be true or false, got "12"/);
  });
});
