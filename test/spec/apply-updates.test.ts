import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FloeError } from "../../src/core/errors.ts";
import { applyUpdates } from "../../src/spec/apply-updates.ts";
import { parseTableMetadata } from "../../src/spec/metadata-parser.ts";
import { serializeTableMetadata } from "../../src/spec/metadata-writer.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import type { TableMetadata } from "../../src/spec/table-metadata.ts";
import type { Schema } from "../../src/spec/types.ts";
import type { TableUpdate } from "../../src/spec/updates.ts";

const T0 = 1_700_000_000_000;
const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "event_id", required: true, type: "long" },
    { id: 2, name: "event_time", required: true, type: "timestamptz" },
    { id: 3, name: "element_id", required: false, type: "string" },
  ],
};

function table(formatVersion: 1 | 2 | 3 = 2): TableMetadata {
  return newTableMetadata({
    schema: SCHEMA,
    partitionSpec: { "spec-id": 0, fields: [{ name: "event_day", transform: "day", "source-id": 2 }] },
    location: "s3://bucket/clicks/events",
    formatVersion,
    tableUuid: "11111111-2222-3333-4444-555555555555",
    nowMs: T0,
  });
}

function snap(id: bigint, sequenceNumber: bigint, timestampMs: number, parent?: bigint): Snapshot {
  const s: Snapshot = {
    "snapshot-id": id,
    "sequence-number": sequenceNumber,
    "timestamp-ms": timestampMs,
    "manifest-list": `s3://bucket/clicks/events/metadata/snap-${id}.avro`,
    summary: { operation: "append" },
    "schema-id": 0,
  };
  if (parent !== undefined) s["parent-snapshot-id"] = parent;
  return s;
}

const setMain = (id: bigint): TableUpdate => ({
  action: "set-snapshot-ref",
  "ref-name": "main",
  type: "branch",
  "snapshot-id": id,
});

/** Commits a snapshot to main. */
const commit = (id: bigint, seq: bigint, ts: number, parent?: bigint): TableUpdate[] => [
  { action: "add-snapshot", snapshot: snap(id, seq, ts, parent) },
  setMain(id),
];

/** A table with three snapshots committed to main one after the other. */
function withHistory(): TableMetadata {
  let m = table();
  m = applyUpdates(m, commit(1n, 1n, T0 + 1000), { nowMs: T0 + 1000 });
  m = applyUpdates(m, commit(2n, 2n, T0 + 2000, 1n), { nowMs: T0 + 2000 });
  m = applyUpdates(m, commit(3n, 3n, T0 + 3000, 2n), { nowMs: T0 + 3000 });
  return m;
}

function invalid(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof FloeError, String(error));
    assert.equal(error.kind, "validation", error.message);
    assert.match(error.message, message);
    return true;
  });
}

/** The result must also be readable: serialize and parse it back. */
function roundTrips(m: TableMetadata): void {
  assert.deepEqual(parseTableMetadata(serializeTableMetadata(m)), m);
}

describe("purity and bookkeeping", () => {
  test("the base is never modified", () => {
    const base = withHistory();
    const before = structuredClone(base);
    applyUpdates(
      base,
      [
        { action: "set-properties", updates: { a: "b" } },
        { action: "remove-snapshots", "snapshot-ids": [1n] },
        {
          action: "add-schema",
          schema: { ...SCHEMA, fields: [...SCHEMA.fields, { id: 4, name: "x", required: false, type: "int" }] },
        },
        { action: "set-current-schema", "schema-id": -1 },
        ...commit(4n, 4n, T0 + 4000, 3n),
      ],
      { nowMs: T0 + 5000, previousMetadataLocation: "s3://m/3.json" },
    );
    assert.deepEqual(base, before);
  });

  test("no updates, or only no-op updates, return the base itself", () => {
    const base = withHistory();
    assert.equal(applyUpdates(base, []), base);
    assert.equal(
      applyUpdates(
        base,
        [
          { action: "set-location", location: base.location },
          { action: "assign-uuid", uuid: base["table-uuid"] },
          { action: "upgrade-format-version", "format-version": 2 },
          setMain(3n),
          { action: "remove-properties", removals: ["absent"] },
          { action: "remove-snapshot-ref", "ref-name": "nope" },
        ],
        { nowMs: T0 + 9000, previousMetadataLocation: "s3://m/x.json" },
      ),
      base,
    );
  });

  test("last-updated-ms is the commit time when something changed", () => {
    const m = applyUpdates(table(), [{ action: "set-properties", updates: { k: "v" } }], { nowMs: T0 + 123 });
    assert.equal(m["last-updated-ms"], T0 + 123);
    const later = Date.now();
    assert.ok(applyUpdates(table(), [{ action: "set-properties", updates: { k: "v" } }])["last-updated-ms"] >= later);
  });

  test("an unknown action is a validation error naming it", () => {
    invalid(
      () => applyUpdates(table(), [{ action: "do-magic" } as unknown as TableUpdate]),
      /unknown table update action do-magic/,
    );
  });
});

describe("metadata log", () => {
  test("the previous metadata file is logged with the base's last-updated-ms", () => {
    const m = applyUpdates(table(), [{ action: "set-properties", updates: { a: "1" } }], {
      nowMs: T0 + 10,
      previousMetadataLocation: "s3://bucket/clicks/events/metadata/00000-a.metadata.json",
    });
    assert.deepEqual(m["metadata-log"], [
      { "timestamp-ms": T0, "metadata-file": "s3://bucket/clicks/events/metadata/00000-a.metadata.json" },
    ]);
    roundTrips(m);
  });

  test("nothing is logged without a previous location", () => {
    assert.deepEqual(applyUpdates(table(), [{ action: "set-properties", updates: { a: "1" } }])["metadata-log"], []);
  });

  test("the log is trimmed to write.metadata.previous-versions-max, keeping the newest", () => {
    let m = applyUpdates(
      table(),
      [{ action: "set-properties", updates: { "write.metadata.previous-versions-max": "3" } }],
      {
        nowMs: T0 + 1,
      },
    );
    for (let i = 0; i < 6; i++) {
      m = applyUpdates(m, [{ action: "set-properties", updates: { n: String(i) } }], {
        nowMs: T0 + 10 + i,
        previousMetadataLocation: `v${i}.json`,
      });
    }
    assert.deepEqual(
      m["metadata-log"].map((e) => e["metadata-file"]),
      ["v3.json", "v4.json", "v5.json"],
    );
    assert.deepEqual(
      m["metadata-log"].map((e) => e["timestamp-ms"]),
      [T0 + 12, T0 + 13, T0 + 14],
    );
    // lowering the limit in the same commit applies at once; the limit is never below 1
    m = applyUpdates(m, [{ action: "set-properties", updates: { "write.metadata.previous-versions-max": "0" } }], {
      nowMs: T0 + 100,
      previousMetadataLocation: "v6.json",
    });
    assert.deepEqual(
      m["metadata-log"].map((e) => e["metadata-file"]),
      ["v6.json"],
    );
  });

  test("the default limit is 100", () => {
    let m = table();
    for (let i = 0; i < 105; i++) {
      m = applyUpdates(m, [{ action: "set-properties", updates: { n: String(i) } }], {
        nowMs: T0 + i + 1,
        previousMetadataLocation: `v${i}.json`,
      });
    }
    assert.equal(m["metadata-log"].length, 100);
    assert.equal(m["metadata-log"][0]["metadata-file"], "v5.json");
    assert.equal(m["metadata-log"][99]["metadata-file"], "v104.json");
  });
});

describe("assign-uuid and upgrade-format-version", () => {
  test("assign-uuid with the table's own uuid (any case) changes nothing", () => {
    const base = table();
    assert.equal(applyUpdates(base, [{ action: "assign-uuid", uuid: base["table-uuid"].toUpperCase() }]), base);
  });

  test("assign-uuid refuses to replace an existing uuid and sets a missing one", () => {
    invalid(
      () => applyUpdates(table(), [{ action: "assign-uuid", uuid: "99999999-2222-3333-4444-555555555555" }]),
      /assign-uuid: cannot reassign uuid of the table from 11111111-2222-3333-4444-555555555555 to 99999999/,
    );
    const v1 = { ...table(1), "table-uuid": "" };
    const m = applyUpdates(v1, [{ action: "assign-uuid", uuid: "99999999-2222-3333-4444-555555555555" }], {
      nowMs: T0 + 1,
    });
    assert.equal(m["table-uuid"], "99999999-2222-3333-4444-555555555555");
  });

  test("upgrade-format-version upgrades, never downgrades, and refuses versions above 3", () => {
    const v2 = applyUpdates(table(1), [{ action: "upgrade-format-version", "format-version": 2 }], { nowMs: T0 + 1 });
    assert.equal(v2["format-version"], 2);
    roundTrips(v2);
    const v3 = applyUpdates(v2, [{ action: "upgrade-format-version", "format-version": 3 }], { nowMs: T0 + 2 });
    assert.equal(v3["format-version"], 3);
    assert.equal(v3["next-row-id"], 0n);
    roundTrips(v3);
    invalid(
      () => applyUpdates(v3, [{ action: "upgrade-format-version", "format-version": 2 }]),
      /cannot downgrade v3 table to v2/,
    );
    invalid(
      () => applyUpdates(v2, [{ action: "upgrade-format-version", "format-version": 4 }]),
      /unsupported format version 4/,
    );
  });

  test("upgrading a v1 table without uuid gives it one (v2 requires it)", () => {
    const m = applyUpdates(
      { ...table(1), "table-uuid": "" },
      [{ action: "upgrade-format-version", "format-version": 2 }],
      {
        nowMs: T0 + 1,
      },
    );
    assert.match(m["table-uuid"], /^[0-9a-f-]{36}$/);
  });
});

describe("schemas", () => {
  const evolved: Schema = {
    type: "struct",
    "schema-id": 99, // ignored: the table assigns ids
    fields: [...SCHEMA.fields, { id: 4, name: "session_id", required: false, type: "string" }],
  };

  test("add-schema assigns max+1 and raises last-column-id; set-current-schema -1 selects it", () => {
    const m = applyUpdates(
      table(),
      [
        { action: "add-schema", schema: evolved },
        { action: "set-current-schema", "schema-id": -1 },
      ],
      { nowMs: T0 + 1 },
    );
    assert.equal(m.schemas.length, 2);
    assert.equal(m.schemas[1]["schema-id"], 1);
    assert.equal(m["current-schema-id"], 1);
    assert.equal(m["last-column-id"], 4);
    roundTrips(m);
  });

  test("an identical schema is reused (identifier field order does not matter)", () => {
    const base = applyUpdates(
      table(),
      [{ action: "add-schema", schema: { ...evolved, "identifier-field-ids": [1, 2] } }],
      { nowMs: T0 + 1 },
    );
    const m = applyUpdates(
      base,
      [
        { action: "add-schema", schema: { ...evolved, "schema-id": 5, "identifier-field-ids": [2, 1] } },
        { action: "set-current-schema", "schema-id": -1 },
      ],
      { nowMs: T0 + 2 },
    );
    assert.equal(m.schemas.length, 2);
    assert.equal(m["current-schema-id"], 1);
    // re-adding the current schema changes nothing at all
    assert.equal(
      applyUpdates(m, [{ action: "add-schema", schema: { ...evolved, "identifier-field-ids": [1, 2] } }]),
      m,
    );
    // without the identifier fields it is a different schema
    assert.equal(applyUpdates(m, [{ action: "add-schema", schema: evolved }], { nowMs: T0 + 3 }).schemas.length, 3);
  });

  test("last-column-id is the max of the old value, the provided one and the schema's highest id", () => {
    const provided = applyUpdates(table(), [{ action: "add-schema", schema: evolved, "last-column-id": 10 }], {
      nowMs: T0 + 1,
    });
    assert.equal(provided["last-column-id"], 10);
    const lower = applyUpdates(provided, [{ action: "add-schema", schema: SCHEMA, "last-column-id": 2 }]);
    assert.equal(lower, provided); // schema 0 exists, last-column-id stays 10: nothing changed
  });

  test("set-current-schema validates its target", () => {
    invalid(
      () => applyUpdates(table(), [{ action: "set-current-schema", "schema-id": -1 }]),
      /set-current-schema: -1 refers to the last added schema, but none was added/,
    );
    invalid(
      () => applyUpdates(table(), [{ action: "set-current-schema", "schema-id": 7 }]),
      /cannot set current schema to unknown schema 7/,
    );
  });

  test("add-schema rejects invalid schemas and types the format version does not support", () => {
    invalid(
      () =>
        applyUpdates(table(), [
          {
            action: "add-schema",
            schema: { ...evolved, fields: [...evolved.fields, { id: 4, name: "dup", required: false, type: "int" }] },
          },
        ]),
      /field id 4 is used more than once/,
    );
    invalid(
      () =>
        applyUpdates(table(), [
          {
            action: "add-schema",
            schema: { ...evolved, fields: [...SCHEMA.fields, { id: 4, name: "v", required: false, type: "variant" }] },
          },
        ]),
      /variant is not supported until v3/,
    );
    const v3 = applyUpdates(
      table(3),
      [
        {
          action: "add-schema",
          schema: { ...evolved, fields: [...SCHEMA.fields, { id: 4, name: "v", required: false, type: "variant" }] },
        },
      ],
      { nowMs: T0 + 1 },
    );
    assert.equal(v3.schemas.length, 2);
  });

  test("set-current-schema to a schema that drops the default spec's source column is refused", () => {
    const narrow: Schema = { type: "struct", "schema-id": 0, fields: [SCHEMA.fields[0]] };
    invalid(
      () =>
        applyUpdates(table(), [
          { action: "add-schema", schema: narrow },
          { action: "set-current-schema", "schema-id": -1 },
        ]),
      /partition spec 0: cannot find source column 2/,
    );
  });

  test("remove-schemas removes old schemas but never the current one", () => {
    const base = applyUpdates(
      table(),
      [
        { action: "add-schema", schema: evolved },
        { action: "set-current-schema", "schema-id": -1 },
      ],
      { nowMs: T0 + 1 },
    );
    const m = applyUpdates(base, [{ action: "remove-schemas", "schema-ids": [0] }], { nowMs: T0 + 2 });
    assert.deepEqual(
      m.schemas.map((s) => s["schema-id"]),
      [1],
    );
    invalid(
      () => applyUpdates(base, [{ action: "remove-schemas", "schema-ids": [1] }]),
      /cannot remove the current schema 1/,
    );
  });
});

describe("partition specs", () => {
  test("add-spec assigns max+1, updates last-partition-id; set-default-spec -1 selects it", () => {
    const m = applyUpdates(
      table(),
      [
        {
          action: "add-spec",
          spec: {
            "spec-id": 0,
            fields: [
              { name: "event_day", transform: "day", "source-id": 2, "field-id": 1000 },
              { name: "element_bucket", transform: "bucket[8]", "source-id": 3, "field-id": 1001 },
            ],
          },
        },
        { action: "set-default-spec", "spec-id": -1 },
      ],
      { nowMs: T0 + 1 },
    );
    assert.deepEqual(
      m["partition-specs"].map((s) => s["spec-id"]),
      [0, 1],
    );
    assert.equal(m["default-spec-id"], 1);
    assert.equal(m["last-partition-id"], 1001);
    roundTrips(m);
  });

  test("fields without field-id reuse a matching field's id or take the next free one", () => {
    const m = applyUpdates(
      table(),
      [
        {
          action: "add-spec",
          spec: {
            fields: [
              { name: "event_day", transform: "day", "source-id": 2 },
              { name: "element_trunc", transform: "truncate[4]", "source-id": 3 },
            ],
          } as never,
        },
      ],
      { nowMs: T0 + 1 },
    );
    assert.deepEqual(
      m["partition-specs"][1].fields.map((f) => f["field-id"]),
      [1000, 1001],
    );
    assert.equal(m["last-partition-id"], 1001);
  });

  test("an identical spec is reused", () => {
    const m = applyUpdates(
      table(),
      [
        {
          action: "add-spec",
          spec: { "spec-id": 5, fields: [{ name: "event_day", transform: "day", "source-id": 2, "field-id": 1000 }] },
        },
        { action: "set-default-spec", "spec-id": -1 },
      ],
      { nowMs: T0 + 1 },
    );
    assert.equal(m["partition-specs"].length, 1);
    assert.equal(m["default-spec-id"], 0);
  });

  test("add-spec rejects specs that do not fit the current schema", () => {
    invalid(
      () =>
        applyUpdates(table(), [
          {
            action: "add-spec",
            spec: { "spec-id": 0, fields: [{ name: "p", transform: "identity", "source-id": 42, "field-id": 1001 }] },
          },
        ]),
      /cannot find source column 42/,
    );
    invalid(
      () =>
        applyUpdates(table(), [
          {
            action: "add-spec",
            spec: { "spec-id": 0, fields: [{ name: "p", transform: "hour", "source-id": 3, "field-id": 1001 }] },
          },
        ]),
      /invalid source type string of element_id for transform hour/,
    );
    invalid(
      () =>
        applyUpdates(table(), [
          {
            action: "add-spec",
            spec: {
              "spec-id": 0,
              fields: [
                { name: "p", transform: "identity", "source-id": 1, "field-id": 1001 },
                { name: "p", transform: "identity", "source-id": 3, "field-id": 1002 },
              ],
            },
          },
        ]),
      /partition field name p is used more than once/,
    );
  });

  test("v1 specs must use sequential field ids from 1000", () => {
    invalid(
      () =>
        applyUpdates(table(1), [
          {
            action: "add-spec",
            spec: { "spec-id": 0, fields: [{ name: "b", transform: "bucket[4]", "source-id": 1, "field-id": 1005 }] },
          },
        ]),
      /v1 specs must use sequential partition field ids from 1000, got 1005/,
    );
    const m = applyUpdates(
      table(1),
      [{ action: "add-spec", spec: { fields: [{ name: "b", transform: "bucket[4]", "source-id": 1 }] } as never }],
      { nowMs: T0 + 1 },
    );
    assert.equal(m["partition-specs"][1].fields[0]["field-id"], 1000);
  });

  test("set-default-spec and remove-partition-specs validate their targets", () => {
    invalid(
      () => applyUpdates(table(), [{ action: "set-default-spec", "spec-id": -1 }]),
      /-1 refers to the last added partition spec/,
    );
    invalid(() => applyUpdates(table(), [{ action: "set-default-spec", "spec-id": 3 }]), /unknown spec 3/);
    invalid(
      () => applyUpdates(table(), [{ action: "remove-partition-specs", "spec-ids": [0] }]),
      /cannot remove the default partition spec 0/,
    );
    const base = applyUpdates(
      table(),
      [
        { action: "add-spec", spec: { "spec-id": 0, fields: [] } },
        { action: "set-default-spec", "spec-id": -1 },
      ],
      { nowMs: T0 + 1 },
    );
    const m = applyUpdates(base, [{ action: "remove-partition-specs", "spec-ids": [0, 17] }], { nowMs: T0 + 2 });
    assert.deepEqual(m["partition-specs"], [{ "spec-id": 1, fields: [] }]);
    assert.equal(m["last-partition-id"], 1000); // never goes down
  });
});

describe("sort orders", () => {
  const byElement = {
    "order-id": 0,
    fields: [
      { transform: "identity", "source-id": 3, direction: "asc" as const, "null-order": "nulls-first" as const },
    ],
  };

  test("add-sort-order numbers sorted orders from 1; set-default-sort-order -1 selects it", () => {
    const m = applyUpdates(
      table(),
      [
        { action: "add-sort-order", "sort-order": byElement },
        { action: "set-default-sort-order", "sort-order-id": -1 },
      ],
      { nowMs: T0 + 1 },
    );
    assert.deepEqual(m["sort-orders"], [
      { "order-id": 0, fields: [] },
      { "order-id": 1, fields: byElement.fields },
    ]);
    assert.equal(m["default-sort-order-id"], 1);
    roundTrips(m);
    // same order again: reused; the unsorted order is id 0 and already there
    const again = applyUpdates(m, [
      { action: "add-sort-order", "sort-order": { ...byElement, "order-id": 7 } },
      { action: "set-default-sort-order", "sort-order-id": -1 },
    ]);
    assert.equal(again, m);
    const unsorted = applyUpdates(
      m,
      [
        { action: "add-sort-order", "sort-order": { "order-id": 3, fields: [] } },
        { action: "set-default-sort-order", "sort-order-id": -1 },
      ],
      { nowMs: T0 + 2 },
    );
    assert.equal(unsorted["default-sort-order-id"], 0);
    assert.equal(unsorted["sort-orders"].length, 2);
  });

  test("a sorted table without the unsorted order gets it as id 0 when asked", () => {
    const sorted = newTableMetadata({ schema: SCHEMA, location: "l", sortOrder: byElement, nowMs: T0 });
    const m = applyUpdates(sorted, [{ action: "add-sort-order", "sort-order": { "order-id": 9, fields: [] } }], {
      nowMs: T0 + 1,
    });
    assert.deepEqual(
      m["sort-orders"].map((o) => o["order-id"]),
      [1, 0],
    );
  });

  test("invalid sort orders and unknown ids are refused", () => {
    invalid(
      () =>
        applyUpdates(table(), [
          {
            action: "add-sort-order",
            "sort-order": { "order-id": 0, fields: [{ ...byElement.fields[0], "source-id": 77 }] },
          },
        ]),
      /sort order -1: cannot find source column 77/,
    );
    invalid(() => applyUpdates(table(), [{ action: "set-default-sort-order", "sort-order-id": 4 }]), /unknown order 4/);
    invalid(
      () => applyUpdates(table(), [{ action: "set-default-sort-order", "sort-order-id": -1 }]),
      /-1 refers to the last added sort order/,
    );
  });
});

describe("snapshots and refs", () => {
  test("add-snapshot + main: current snapshot, sequence number, snapshot log at the snapshot's time", () => {
    const m = applyUpdates(table(), commit(10n, 1n, T0 + 500), { nowMs: T0 + 600 });
    assert.equal(m["current-snapshot-id"], 10n);
    assert.equal(m["last-sequence-number"], 1n);
    assert.deepEqual(m.refs, { main: { "snapshot-id": 10n, type: "branch" } });
    assert.deepEqual(m["snapshot-log"], [{ "timestamp-ms": T0 + 500, "snapshot-id": 10n }]);
    assert.equal(m["last-updated-ms"], T0 + 600);
    roundTrips(m);
  });

  test("add-snapshot alone (staged) changes neither the current snapshot nor the log", () => {
    const m = applyUpdates(table(), [{ action: "add-snapshot", snapshot: snap(10n, 1n, T0 + 500) }], {
      nowMs: T0 + 600,
    });
    assert.equal(m["current-snapshot-id"], null);
    assert.deepEqual(m["snapshot-log"], []);
    assert.equal(m.snapshots.length, 1);
    roundTrips(m);
  });

  test("sequence numbers must increase in v2", () => {
    const m = withHistory();
    invalid(
      () => applyUpdates(m, commit(4n, 3n, T0 + 4000, 3n)),
      /add-snapshot: sequence number 3 of snapshot 4 is not greater than last-sequence-number 3/,
    );
    invalid(() => applyUpdates(m, commit(4n, 2n, T0 + 4000, 3n)), /not greater than last-sequence-number 3/);
    assert.equal(applyUpdates(m, commit(4n, 9n, T0 + 4000, 3n), { nowMs: T0 + 4000 })["last-sequence-number"], 9n);
  });

  test("v1 tables take snapshots without sequence numbers", () => {
    let m = applyUpdates(table(1), commit(1n, 0n, T0 + 1), { nowMs: T0 + 1 });
    m = applyUpdates(m, commit(2n, 0n, T0 + 2, 1n), { nowMs: T0 + 2 });
    assert.equal(m["last-sequence-number"], 0n);
    assert.equal(m["current-snapshot-id"], 2n);
    roundTrips(m);
  });

  test("an existing snapshot id is refused", () => {
    invalid(() => applyUpdates(withHistory(), commit(2n, 9n, T0 + 9000)), /add-snapshot: snapshot 2 already exists/);
  });

  test("snapshot ids above 2^53 are kept exactly", () => {
    const id = 9223372036854775807n;
    const m = applyUpdates(table(), commit(id, 1n, T0 + 1), { nowMs: T0 + 1 });
    assert.equal(m["current-snapshot-id"], id);
    assert.match(serializeTableMetadata(m), /"current-snapshot-id":9223372036854775807,/);
    roundTrips(m);
  });

  test("v3: first-row-id must not be behind next-row-id, which advances by added-rows", () => {
    const v3 = table(3);
    const lineage = (id: bigint, seq: bigint, first: bigint | undefined, added: bigint | undefined): Snapshot => {
      const s = snap(id, seq, T0 + Number(seq));
      if (first !== undefined) s["first-row-id"] = first;
      if (added !== undefined) s["added-rows"] = added;
      return s;
    };
    let m = applyUpdates(v3, [{ action: "add-snapshot", snapshot: lineage(1n, 1n, 0n, 100n) }, setMain(1n)], {
      nowMs: T0 + 10,
    });
    assert.equal(m["next-row-id"], 100n);
    m = applyUpdates(m, [{ action: "add-snapshot", snapshot: lineage(2n, 2n, 100n, 25n) }, setMain(2n)], {
      nowMs: T0 + 10,
    });
    assert.equal(m["next-row-id"], 125n);
    roundTrips(m);
    invalid(
      () => applyUpdates(m, [{ action: "add-snapshot", snapshot: lineage(3n, 3n, 99n, 1n) }]),
      /first-row-id 99 of snapshot 3 is behind next-row-id 125/,
    );
    invalid(
      () => applyUpdates(m, [{ action: "add-snapshot", snapshot: lineage(3n, 3n, undefined, 1n) }]),
      /snapshot 3 has no first-row-id/,
    );
    invalid(
      () => applyUpdates(m, [{ action: "add-snapshot", snapshot: lineage(3n, 3n, 125n, undefined) }]),
      /snapshot 3 has no added-rows/,
    );
  });

  test("rolling main back logs the rollback at commit time", () => {
    const m = applyUpdates(withHistory(), [setMain(1n)], { nowMs: T0 + 9000 });
    assert.equal(m["current-snapshot-id"], 1n);
    assert.deepEqual(m["snapshot-log"].at(-1), { "timestamp-ms": T0 + 9000, "snapshot-id": 1n });
    assert.equal(m["snapshot-log"].length, 4);
    roundTrips(m);
  });

  test("a snapshot that was current only in the middle of one change is not logged", () => {
    const m = applyUpdates(table(), [...commit(1n, 1n, T0 + 10), ...commit(2n, 2n, T0 + 20, 1n)], { nowMs: T0 + 30 });
    assert.deepEqual(m["snapshot-log"], [{ "timestamp-ms": T0 + 20, "snapshot-id": 2n }]);
  });

  test("branches and tags with retention settings; main cannot be a tag", () => {
    const m = applyUpdates(
      withHistory(),
      [
        {
          action: "set-snapshot-ref",
          "ref-name": "audit",
          type: "branch",
          "snapshot-id": 2n,
          "min-snapshots-to-keep": 2,
          "max-snapshot-age-ms": 3600000,
          "max-ref-age-ms": 86400000,
        },
        { action: "set-snapshot-ref", "ref-name": "v1.0", type: "tag", "snapshot-id": 1n, "max-ref-age-ms": 1000 },
      ],
      { nowMs: T0 + 9000 },
    );
    assert.deepEqual(m.refs.audit, {
      "snapshot-id": 2n,
      type: "branch",
      "min-snapshots-to-keep": 2,
      "max-snapshot-age-ms": 3600000,
      "max-ref-age-ms": 86400000,
    });
    assert.deepEqual(m.refs["v1.0"], { "snapshot-id": 1n, type: "tag", "max-ref-age-ms": 1000 });
    assert.equal(m["current-snapshot-id"], 3n); // other refs do not move main
    assert.equal(m["snapshot-log"].length, 3);
    roundTrips(m);
    invalid(
      () =>
        applyUpdates(m, [
          { action: "set-snapshot-ref", "ref-name": "t", type: "tag", "snapshot-id": 1n, "min-snapshots-to-keep": 1 },
        ]),
      /ref t: tags do not support min-snapshots-to-keep/,
    );
    invalid(
      () =>
        applyUpdates(m, [
          { action: "set-snapshot-ref", "ref-name": "b", type: "branch", "snapshot-id": 1n, "max-ref-age-ms": 0 },
        ]),
      /ref b: max-ref-age-ms must be greater than 0/,
    );
    invalid(
      () => applyUpdates(m, [{ action: "set-snapshot-ref", "ref-name": "main", type: "tag", "snapshot-id": 1n }]),
      /main must be a branch/,
    );
    invalid(() => applyUpdates(m, [setMain(77n)]), /cannot set main to unknown snapshot 77/);
  });

  test("remove-snapshot-ref of main clears the current snapshot; other refs just go", () => {
    const base = applyUpdates(
      withHistory(),
      [{ action: "set-snapshot-ref", "ref-name": "dev", type: "branch", "snapshot-id": 2n }],
      {
        nowMs: T0 + 9000,
      },
    );
    const noMain = applyUpdates(base, [{ action: "remove-snapshot-ref", "ref-name": "main" }], { nowMs: T0 + 9001 });
    assert.equal(noMain["current-snapshot-id"], null);
    assert.deepEqual(Object.keys(noMain.refs), ["dev"]);
    roundTrips(noMain);
    const noDev = applyUpdates(base, [{ action: "remove-snapshot-ref", "ref-name": "dev" }], { nowMs: T0 + 9001 });
    assert.equal(noDev["current-snapshot-id"], 3n);
    assert.deepEqual(Object.keys(noDev.refs), ["main"]);
  });

  test("remove-snapshots drops refs to them, their statistics and their snapshot-log history", () => {
    const stats = (id: bigint) => ({
      "snapshot-id": id,
      "statistics-path": `s3://s/${id}.puffin`,
      "file-size-in-bytes": 10n,
      "file-footer-size-in-bytes": 5n,
      "blob-metadata": [],
    });
    const base = applyUpdates(
      withHistory(),
      [
        { action: "set-snapshot-ref", "ref-name": "old", type: "tag", "snapshot-id": 1n },
        { action: "set-statistics", statistics: stats(1n) },
        { action: "set-statistics", statistics: stats(3n) },
        {
          action: "set-partition-statistics",
          "partition-statistics": { "snapshot-id": 1n, "statistics-path": "p1", "file-size-in-bytes": 1n },
        },
      ],
      { nowMs: T0 + 9000 },
    );
    const m = applyUpdates(base, [{ action: "remove-snapshots", "snapshot-ids": [1n, 404n] }], { nowMs: T0 + 9001 });
    assert.deepEqual(
      m.snapshots.map((s) => s["snapshot-id"]),
      [2n, 3n],
    );
    assert.deepEqual(Object.keys(m.refs), ["main"]);
    assert.deepEqual(
      m.statistics.map((s) => s["snapshot-id"]),
      [3n],
    );
    assert.deepEqual(m["partition-statistics"], []);
    assert.deepEqual(
      m["snapshot-log"].map((e) => e["snapshot-id"]),
      [2n, 3n],
    );
    roundTrips(m);
  });

  test("removing a snapshot from the middle of the log drops the history before it", () => {
    const m = applyUpdates(withHistory(), [{ action: "remove-snapshots", "snapshot-ids": [2n] }], { nowMs: T0 + 9000 });
    assert.deepEqual(
      m["snapshot-log"].map((e) => e["snapshot-id"]),
      [3n],
    );
  });

  test("removing the current snapshot removes main and clears current-snapshot-id", () => {
    const m = applyUpdates(withHistory(), [{ action: "remove-snapshots", "snapshot-ids": [3n] }], { nowMs: T0 + 9000 });
    assert.equal(m["current-snapshot-id"], null);
    assert.deepEqual(m.refs, {});
    roundTrips(m);
  });

  test("removing unknown snapshots changes nothing", () => {
    const base = withHistory();
    assert.equal(applyUpdates(base, [{ action: "remove-snapshots", "snapshot-ids": [404n] }]), base);
  });
});

describe("location, properties, statistics", () => {
  test("set-location", () => {
    assert.equal(
      applyUpdates(table(), [{ action: "set-location", location: "s3://other/t" }], { nowMs: T0 + 1 }).location,
      "s3://other/t",
    );
    invalid(
      () => applyUpdates(table(), [{ action: "set-location", location: "" }]),
      /set-location: location must be a non-empty string/,
    );
  });

  test("set-properties and remove-properties", () => {
    const m = applyUpdates(
      table(),
      [
        { action: "set-properties", updates: { a: "1", b: "2" } },
        { action: "remove-properties", removals: ["a", "zzz"] },
        { action: "set-properties", updates: { c: "3" } },
      ],
      { nowMs: T0 + 1 },
    );
    assert.deepEqual(m.properties, { b: "2", c: "3" });
    invalid(
      () => applyUpdates(table(), [{ action: "set-properties", updates: { "format-version": "3" } }]),
      /set-properties: format-version is a reserved property; use upgrade-format-version/,
    );
  });

  test("set-statistics replaces the file of the same snapshot; remove-statistics removes it", () => {
    const file = (path: string) => ({
      "snapshot-id": 3n,
      "statistics-path": path,
      "file-size-in-bytes": 9007199254740993n,
      "file-footer-size-in-bytes": 42n,
      "blob-metadata": [
        { type: "apache-datasketches-theta-v1", "snapshot-id": 3n, "sequence-number": 3n, fields: [1] },
      ],
    });
    let m = applyUpdates(
      withHistory(),
      [{ action: "set-statistics", "snapshot-id": 3n, statistics: file("a.puffin") }],
      { nowMs: T0 + 9000 },
    );
    m = applyUpdates(m, [{ action: "set-statistics", statistics: file("b.puffin") }], { nowMs: T0 + 9001 });
    assert.deepEqual(
      m.statistics.map((s) => s["statistics-path"]),
      ["b.puffin"],
    );
    roundTrips(m);
    invalid(
      () => applyUpdates(m, [{ action: "set-statistics", "snapshot-id": 2n, statistics: file("c.puffin") }]),
      /set-statistics: snapshot-id 2 does not match the statistics file's 3/,
    );
    const removed = applyUpdates(m, [{ action: "remove-statistics", "snapshot-id": 3n }], { nowMs: T0 + 9002 });
    assert.deepEqual(removed.statistics, []);
    assert.equal(applyUpdates(removed, [{ action: "remove-statistics", "snapshot-id": 3n }]), removed);
  });

  test("set-partition-statistics and remove-partition-statistics", () => {
    let m = applyUpdates(
      withHistory(),
      [
        {
          action: "set-partition-statistics",
          "partition-statistics": { "snapshot-id": 3n, "statistics-path": "p-a", "file-size-in-bytes": 1n },
        },
        {
          action: "set-partition-statistics",
          "partition-statistics": { "snapshot-id": 3n, "statistics-path": "p-b", "file-size-in-bytes": 2n },
        },
        {
          action: "set-partition-statistics",
          "partition-statistics": { "snapshot-id": 2n, "statistics-path": "p-c", "file-size-in-bytes": 3n },
        },
      ],
      { nowMs: T0 + 9000 },
    );
    assert.deepEqual(
      m["partition-statistics"].map((s) => s["statistics-path"]),
      ["p-b", "p-c"],
    );
    roundTrips(m);
    m = applyUpdates(m, [{ action: "remove-partition-statistics", "snapshot-id": 3n }], { nowMs: T0 + 9001 });
    assert.deepEqual(
      m["partition-statistics"].map((s) => s["statistics-path"]),
      ["p-c"],
    );
  });
});
