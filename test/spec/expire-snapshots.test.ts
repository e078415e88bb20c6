import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import { applyUpdates } from "../../src/spec/apply-updates.ts";
import { selectSnapshotsToExpire } from "../../src/spec/expire-snapshots.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import type { SnapshotRef } from "../../src/spec/snapshot.ts";
import type { TableMetadata } from "../../src/spec/table-metadata.ts";
import type { TableUpdate } from "../../src/spec/updates.ts";

const DAY = 86_400_000;
const NOW = 1_700_000_000_000;
const ago = (days: number): number => NOW - days * DAY;

/** Adds a snapshot `id` at `timestampMs` with `parent`, optionally moving `ref` (a branch) to it. */
function add(m: TableMetadata, id: bigint, timestampMs: number, parent?: bigint, branch?: string): TableMetadata {
  const sequence = m["last-sequence-number"] + 1n;
  const updates: TableUpdate[] = [
    {
      action: "add-snapshot",
      snapshot: {
        "snapshot-id": id,
        "sequence-number": sequence,
        "timestamp-ms": timestampMs,
        "manifest-list": `ml-${id}.avro`,
        summary: { operation: "append" },
        ...(parent === undefined ? {} : { "parent-snapshot-id": parent }),
      },
    },
  ];
  if (branch) updates.push({ action: "set-snapshot-ref", "ref-name": branch, type: "branch", "snapshot-id": id });
  // commits happen in order: the clock never goes back behind the table's last update
  return applyUpdates(m, updates, { nowMs: Math.max(timestampMs, m["last-updated-ms"]) });
}

function withRef(m: TableMetadata, name: string, ref: SnapshotRef): TableMetadata {
  return applyUpdates(
    m,
    [
      {
        action: "set-snapshot-ref",
        "ref-name": name,
        type: ref.type,
        "snapshot-id": ref["snapshot-id"],
        ...retention(ref),
      },
    ],
    {
      nowMs: NOW,
    },
  );
}
const retention = (ref: SnapshotRef) => ({
  ...(ref["min-snapshots-to-keep"] === undefined ? {} : { "min-snapshots-to-keep": ref["min-snapshots-to-keep"] }),
  ...(ref["max-snapshot-age-ms"] === undefined ? {} : { "max-snapshot-age-ms": ref["max-snapshot-age-ms"] }),
  ...(ref["max-ref-age-ms"] === undefined ? {} : { "max-ref-age-ms": ref["max-ref-age-ms"] }),
});

/** main: 1 (10 days old) ← 2 (6 days) ← 3 (1 day, current). */
function mainHistory(properties: Record<string, string> = {}): TableMetadata {
  let m = newTableMetadata({
    schema: { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "id", required: true, type: "long" }] },
    location: "s3://b/t",
    properties,
    nowMs: ago(20),
  });
  m = add(m, 1n, ago(10), undefined, "main");
  m = add(m, 2n, ago(6), 1n, "main");
  m = add(m, 3n, ago(1), 2n, "main");
  return m;
}

const select = (m: TableMetadata, options: Parameters<typeof selectSnapshotsToExpire>[1] = {}) =>
  selectSnapshotsToExpire(m, { nowMs: NOW, ...options });

describe("selectSnapshotsToExpire on the main branch", () => {
  test("defaults: snapshots older than 5 days go, the current one stays", () => {
    assert.deepEqual(select(mainHistory()), { snapshotIds: [1n, 2n], refsToRemove: [] });
  });

  test("olderThanMs moves the cutoff", () => {
    assert.deepEqual(select(mainHistory(), { olderThanMs: ago(8) }).snapshotIds, [1n]);
    assert.deepEqual(select(mainHistory(), { olderThanMs: ago(0.5) }).snapshotIds, [1n, 2n]);
    assert.deepEqual(select(mainHistory(), { olderThanMs: ago(11) }).snapshotIds, []);
  });

  test("the current snapshot survives any cutoff", () => {
    assert.deepEqual(select(mainHistory(), { olderThanMs: NOW + DAY }).snapshotIds, [1n, 2n]);
  });

  test("retainLast keeps the newest snapshots of each branch regardless of age", () => {
    assert.deepEqual(select(mainHistory(), { retainLast: 2, olderThanMs: NOW }).snapshotIds, [1n]);
    assert.deepEqual(select(mainHistory(), { retainLast: 3, olderThanMs: NOW }).snapshotIds, []);
  });

  test("table properties history.expire.* set the defaults", () => {
    assert.deepEqual(select(mainHistory({ "history.expire.min-snapshots-to-keep": "2" })).snapshotIds, [1n]);
    assert.deepEqual(select(mainHistory({ "history.expire.max-snapshot-age-ms": String(7 * DAY) })).snapshotIds, [1n]);
    // options override the properties
    assert.deepEqual(
      select(mainHistory({ "history.expire.min-snapshots-to-keep": "2" }), { retainLast: 1 }).snapshotIds,
      [1n, 2n],
    );
  });

  test("invalid retention values are refused", () => {
    assert.throws(
      () => select(mainHistory(), { retainLast: 0 }),
      (error: unknown) => error instanceof FloeError && error.kind === "validation",
    );
    assert.throws(
      () => select(mainHistory({ "history.expire.max-snapshot-age-ms": "five days" })),
      /history.expire.max-snapshot-age-ms must be a long/,
    );
  });

  test("main's own retention settings override the table's", () => {
    const m = withRef(mainHistory(), "main", { "snapshot-id": 3n, type: "branch", "min-snapshots-to-keep": 3 });
    assert.deepEqual(select(m).snapshotIds, []);
    const byAge = withRef(mainHistory(), "main", { "snapshot-id": 3n, type: "branch", "max-snapshot-age-ms": 8 * DAY });
    assert.deepEqual(select(byAge).snapshotIds, [1n]);
  });
});

describe("branches and tags", () => {
  test("a tag keeps its snapshot", () => {
    const m = withRef(mainHistory(), "release-1", { "snapshot-id": 1n, type: "tag" });
    assert.deepEqual(select(m), { snapshotIds: [2n], refsToRemove: [] });
  });

  test("a branch keeps its head and, within its retention, its ancestors", () => {
    // dev: 1 ← 10 (9 days old) ← 11 (7 days old, head)
    let m = mainHistory();
    m = withRef(m, "dev", { "snapshot-id": 1n, type: "branch" });
    m = add(m, 10n, ago(9), 1n, "dev");
    m = add(m, 11n, ago(7), 10n, "dev");
    assert.deepEqual(select(m).snapshotIds, [1n, 2n, 10n]);
    m = withRef(m, "dev", { "snapshot-id": 11n, type: "branch", "min-snapshots-to-keep": 2 });
    assert.deepEqual(select(m).snapshotIds, [1n, 2n]);
    m = withRef(m, "dev", { "snapshot-id": 11n, type: "branch", "max-snapshot-age-ms": 30 * DAY });
    assert.deepEqual(select(m).snapshotIds, [2n]); // 1 is an ancestor of dev young enough for dev's 30 days
  });

  test("refs older than their max-ref-age-ms are removed, and their snapshots can then expire", () => {
    let m = withRef(mainHistory(), "old-tag", { "snapshot-id": 1n, type: "tag", "max-ref-age-ms": 2 * DAY });
    m = withRef(m, "young-tag", { "snapshot-id": 2n, type: "tag", "max-ref-age-ms": 30 * DAY });
    assert.deepEqual(select(m), { snapshotIds: [1n], refsToRemove: ["old-tag"] });
  });

  test("history.expire.max-ref-age-ms applies to refs without their own, never to main", () => {
    let m = mainHistory({ "history.expire.max-ref-age-ms": String(3 * DAY) });
    m = withRef(m, "b", { "snapshot-id": 2n, type: "branch" });
    m = withRef(m, "t", { "snapshot-id": 3n, type: "tag" });
    m = withRef(m, "main", { "snapshot-id": 3n, type: "branch", "max-ref-age-ms": 1 });
    const result = select(m, { olderThanMs: NOW });
    assert.deepEqual(result.refsToRemove, ["b"]);
    assert.deepEqual(result.snapshotIds, [1n, 2n]);
  });

  test("snapshots on no ref are kept only while younger than the cutoff", () => {
    // roll main back to 2: 3 is no longer referenced but is young
    const m = applyUpdates(
      mainHistory(),
      [{ action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": 2n }],
      {
        nowMs: NOW,
      },
    );
    assert.deepEqual(select(m).snapshotIds, [1n]);
    assert.deepEqual(select(m, { olderThanMs: NOW }).snapshotIds, [1n, 3n]);
  });
});

describe("explicit snapshot ids", () => {
  test("only the named snapshots expire, even young ones", () => {
    assert.deepEqual(select(mainHistory(), { snapshotIds: [2n] }), { snapshotIds: [2n], refsToRemove: [] });
  });

  test("with olderThanMs, the named snapshots are added to what the policy expires", () => {
    const m = add(mainHistory(), 4n, ago(0.5), 3n, "main");
    assert.deepEqual(select(m, { snapshotIds: [3n], olderThanMs: ago(8) }).snapshotIds, [1n, 3n]);
  });

  test("a snapshot a ref points at cannot be expired", () => {
    assert.throws(
      () => select(mainHistory(), { snapshotIds: [3n] }),
      (error: unknown) =>
        error instanceof FloeError &&
        error.kind === "validation" &&
        /cannot expire snapshot 3: still referenced by refs main/.test(error.message),
    );
    const tagged = withRef(mainHistory(), "keep", { "snapshot-id": 1n, type: "tag" });
    assert.throws(() => select(tagged, { snapshotIds: [1n] }), /still referenced by refs keep/);
  });

  test("unknown ids are ignored", () => {
    assert.deepEqual(select(mainHistory(), { snapshotIds: [404n] }).snapshotIds, []);
  });
});

describe("the result applies cleanly", () => {
  test("remove-snapshot-ref and remove-snapshots with the selection give a valid table", () => {
    let m = withRef(mainHistory(), "old-tag", { "snapshot-id": 1n, type: "tag", "max-ref-age-ms": DAY });
    const { snapshotIds, refsToRemove } = select(m);
    m = applyUpdates(
      m,
      [
        ...refsToRemove.map((name): TableUpdate => ({ action: "remove-snapshot-ref", "ref-name": name })),
        { action: "remove-snapshots", "snapshot-ids": snapshotIds },
      ],
      { nowMs: NOW },
    );
    assert.deepEqual(
      m.snapshots.map((s) => s["snapshot-id"]),
      [3n],
    );
    assert.deepEqual(Object.keys(m.refs), ["main"]);
    assert.deepEqual(
      m["snapshot-log"].map((e) => e["snapshot-id"]),
      [3n],
    );
  });
});
