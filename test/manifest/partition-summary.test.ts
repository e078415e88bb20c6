import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import { summarizePartitions } from "../../src/manifest/partition-summary.ts";
import { ManifestContent } from "../../src/manifest/types.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import type { StructType } from "../../src/spec/types.ts";
import { MIXED_SPEC, SCHEMA, TYPED_SPEC, added, dataFile, deleted } from "./fixtures.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("partition summaries", () => {
  test("a written manifest summarises every partition field: nulls, bounds via the spec's order", async () => {
    const io = new MemoryFileIO();
    const manifest = await writeManifest(io, "memory://m.avro", {
      spec: MIXED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 1n,
      entries: [
        added(dataFile("a", [19_000, 3, "zz", "zzz"])),
        added(dataFile("b", [-5, 15, null, "\u{1F600}"])), // an astral code point sorts after U+FFFD
        added(dataFile("c", [null, 0, "ab", "\uFFFD"])),
        deleted(dataFile("d", [20_000, 9, "aa", "a"]), 1n, 1n), // deleted entries still count
      ],
    });
    assert.deepEqual(manifest.partitions, [
      { containsNull: true, containsNan: false, lowerBound: toBytes("date", -5), upperBound: toBytes("date", 20_000) },
      { containsNull: false, containsNan: false, lowerBound: toBytes("int", 0), upperBound: toBytes("int", 15) },
      { containsNull: true, containsNan: false, lowerBound: utf8("aa"), upperBound: utf8("zz") },
      { containsNull: false, containsNan: false, lowerBound: utf8("a"), upperBound: utf8("\u{1F600}") },
    ]);
  });

  test("NaN sets contains_nan and is not a bound; decimals and uuids serialize per Appendix D", async () => {
    const io = new MemoryFileIO();
    const manifest = await writeManifest(io, "memory://t.avro", {
      spec: TYPED_SPEC,
      schema: SCHEMA,
      content: ManifestContent.Data,
      snapshotId: 1n,
      entries: [
        added(dataFile("a", [-500n, "ffffffff-0000-0000-0000-000000000000", Number.NaN, 1, null])),
        added(dataFile("b", [250n, "0fffffff-0000-0000-0000-000000000000", 2.5, 2, null])),
        added(dataFile("c", [1n, null, -1.5, 3, null])),
      ],
    });
    const [amount, user, score, date, big] = manifest.partitions ?? [];
    assert.deepEqual(amount, {
      containsNull: false,
      containsNan: false,
      lowerBound: Uint8Array.of(0xfe, 0x0c), // -500, minimal two's complement
      upperBound: Uint8Array.of(0x00, 0xfa), // 250
    });
    assert.deepEqual(user.lowerBound, toBytes("uuid", "0fffffff-0000-0000-0000-000000000000"));
    assert.deepEqual(user.upperBound, toBytes("uuid", "ffffffff-0000-0000-0000-000000000000"));
    assert.equal(user.containsNull, true);
    assert.deepEqual(score, {
      containsNull: false,
      containsNan: true,
      lowerBound: toBytes("double", -1.5),
      upperBound: toBytes("double", 2.5),
    });
    assert.deepEqual(date.lowerBound, toBytes("date", 1));
    assert.deepEqual(big, { containsNull: true, containsNan: false }, "all-null field has no bounds");
  });

  test("-0.0 and +0.0: the lower bound is -0.0 and the upper bound +0.0", () => {
    const type: StructType = { type: "struct", fields: [{ id: 1000, name: "x", required: false, type: "double" }] };
    const [summary] = summarizePartitions(type, [[0], [-0], [0]]);
    assert.deepEqual(summary.lowerBound, toBytes("double", -0));
    assert.deepEqual(summary.upperBound, toBytes("double", 0));
    assert.notDeepEqual(summary.lowerBound, summary.upperBound);
  });

  test("no tuples: no nulls, no bounds", () => {
    const type: StructType = { type: "struct", fields: [{ id: 1000, name: "x", required: false, type: "int" }] };
    assert.deepEqual(summarizePartitions(type, []), [{ containsNull: false, containsNan: false }]);
  });
});
