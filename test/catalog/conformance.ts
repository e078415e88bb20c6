/**
 * The behaviour every Catalog must share, as one suite each implementation's test file runs:
 * `runCatalogConformance("sqlite", setup)`. `setup` runs before every case and returns a fresh,
 * empty catalog, the warehouse its default table locations derive from, and a cleanup.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { Catalog, LoadedTable, TableIdentifier } from "../../src/catalog/catalog.ts";
import { type ErrorKind, isFloeError } from "../../src/core/errors.ts";
import { newSnapshotId } from "../../src/core/ids.ts";
import { joinLocation } from "../../src/io/locations.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import type { SortOrder } from "../../src/spec/sort-order.ts";
import type { TableMetadata } from "../../src/spec/table-metadata.ts";
import type { Schema } from "../../src/spec/types.ts";
import type { TableUpdate } from "../../src/spec/updates.ts";

/** What one conformance case works on. */
export interface CatalogFixture {
  catalog: Catalog;
  /** The warehouse the catalog derives default table locations from. */
  warehouse: string;
  cleanup(): Promise<void>;
}

/** A small event schema used by the cases. */
export const EVENTS_SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "event_id", required: true, type: "long" },
    { id: 2, name: "event_time", required: false, type: "timestamptz" },
    { id: 3, name: "element_id", required: false, type: "string" },
  ],
};

const DAY_SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [{ "source-id": 2, "field-id": 1000, name: "event_time_day", transform: "day" }],
};

const ELEMENT_ORDER: SortOrder = {
  "order-id": 1,
  fields: [{ transform: "identity", "source-id": 3, direction: "asc", "null-order": "nulls-first" }],
};

/** Asserts that `promise` rejects with a FloeError of `kind` whose message contains every `mentions`. */
export async function assertRejectsKind(promise: Promise<unknown>, kind: ErrorKind, ...mentions: string[]) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isFloeError(error), `expected a FloeError, got ${String(error)}`);
    assert.equal(error.kind, kind, `expected kind ${kind}, got ${error.kind}: ${error.message}`);
    for (const text of mentions) assert.ok(error.message.includes(text), `"${error.message}" should mention "${text}"`);
    return true;
  });
}

/** A snapshot whose parent is the table's current one, ready for add-snapshot (its manifest list need not exist). */
export function nextSnapshot(table: LoadedTable, summary: Record<string, string> = {}): Snapshot {
  const metadata = table.metadata;
  const id = newSnapshotId();
  const parent = metadata["current-snapshot-id"];
  return {
    "snapshot-id": id,
    ...(parent === null ? {} : { "parent-snapshot-id": parent }),
    "sequence-number": metadata["last-sequence-number"] + 1n,
    "timestamp-ms": Date.now(),
    "manifest-list": joinLocation(metadata.location, "metadata", `snap-${id}-1-${metadata["table-uuid"]}.avro`),
    summary: { operation: "append", ...summary },
    "schema-id": metadata["current-schema-id"],
  };
}

/** The updates that add `snapshot` and point main at it. */
export const appendUpdates = (snapshot: Snapshot): TableUpdate[] => [
  { action: "add-snapshot", snapshot },
  { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": snapshot["snapshot-id"] },
];

/**
 * The updates that build `staged` (what stageCreateTable returned) from nothing, as a client's
 * create transaction sends them with an assert-create requirement.
 */
export function stagedCreateUpdates(staged: TableMetadata): TableUpdate[] {
  const schema = staged.schemas.find((s) => s["schema-id"] === staged["current-schema-id"])!;
  const spec = staged["partition-specs"].find((s) => s["spec-id"] === staged["default-spec-id"])!;
  const order = staged["sort-orders"].find((o) => o["order-id"] === staged["default-sort-order-id"])!;
  return [
    { action: "assign-uuid", uuid: staged["table-uuid"] },
    { action: "upgrade-format-version", "format-version": staged["format-version"] },
    { action: "add-schema", schema, "last-column-id": staged["last-column-id"] },
    { action: "set-current-schema", "schema-id": -1 },
    { action: "add-spec", spec },
    { action: "set-default-spec", "spec-id": -1 },
    { action: "add-sort-order", "sort-order": order },
    { action: "set-default-sort-order", "sort-order-id": -1 },
    { action: "set-location", location: staged.location },
    { action: "set-properties", updates: { ...staged.properties } },
  ];
}

const bytes = (text: string) => new TextEncoder().encode(text);

/** Registers the shared Catalog cases under `describe(name)`. */
export function runCatalogConformance(name: string, setup: () => Promise<CatalogFixture>): void {
  describe(`Catalog conformance: ${name}`, () => {
    let fixture: CatalogFixture | undefined;
    beforeEach(async () => {
      fixture = await setup();
    });
    afterEach(async () => {
      await fixture?.catalog.close();
      await fixture?.cleanup();
      fixture = undefined;
    });
    const catalog = (): Catalog => {
      assert.ok(fixture, "setup did not run");
      return fixture.catalog;
    };
    const id = (namespace: string[], table: string): TableIdentifier => ({ namespace, name: table });
    const createEvents = async (identifier: TableIdentifier, properties: Record<string, string> = {}) => {
      if (!(await catalog().namespaceExists(identifier.namespace)))
        await catalog().createNamespace(identifier.namespace);
      return catalog().createTable(identifier, { schema: EVENTS_SCHEMA, properties });
    };
    const setProperty = (identifier: TableIdentifier, key: string, value: string) =>
      catalog().commitTable(identifier, [], [{ action: "set-properties", updates: { [key]: value } }]);

    // ---- namespaces ----

    test("a created namespace exists, a missing one does not", async () => {
      assert.equal(await catalog().namespaceExists(["web"]), false);
      await catalog().createNamespace(["web"]);
      assert.equal(await catalog().namespaceExists(["web"]), true);
      assert.equal(await catalog().namespaceExists(["Web"]), false, "names are case-sensitive");
      assert.equal(await catalog().namespaceExists(["we"]), false, "a prefix is not the namespace");
      await assertRejectsKind(catalog().createNamespace(["web"]), "already-exists", "web");
    });

    test("listNamespaces returns direct children, top level without parent", async () => {
      assert.deepEqual(await catalog().listNamespaces(), []);
      await catalog().createNamespace(["a"]);
      await catalog().createNamespace(["a", "b"]);
      await catalog().createNamespace(["a", "c"]);
      await catalog().createNamespace(["a", "b", "d"]);
      await catalog().createNamespace(["z"]);
      assert.deepEqual(await catalog().listNamespaces(), [["a"], ["z"]]);
      assert.deepEqual(await catalog().listNamespaces(["a"]), [
        ["a", "b"],
        ["a", "c"],
      ]);
      assert.deepEqual(await catalog().listNamespaces(["a", "b"]), [["a", "b", "d"]]);
      assert.deepEqual(await catalog().listNamespaces(["a", "c"]), []);
      assert.equal(await catalog().namespaceExists(["a", "b", "d"]), true);
      await assertRejectsKind(catalog().listNamespaces(["nope"]), "not-found", "nope");
    });

    test("a nested namespace implies its parent, which can then be created explicitly", async () => {
      await catalog().createNamespace(["p", "q"]);
      assert.equal(await catalog().namespaceExists(["p"]), true);
      assert.deepEqual(await catalog().listNamespaces(), [["p"]]);
      assert.deepEqual(await catalog().loadNamespaceProperties(["p"]), {});
      await catalog().createNamespace(["p"], { owner: "ops" });
      assert.deepEqual(await catalog().loadNamespaceProperties(["p"]), { owner: "ops" });
    });

    test("namespace properties load and update, reporting updated, removed and missing keys", async () => {
      await catalog().createNamespace(["props"], { owner: "web-team", retention: "30d" });
      assert.deepEqual(await catalog().loadNamespaceProperties(["props"]), { owner: "web-team", retention: "30d" });
      const result = await catalog().updateNamespaceProperties(["props"], ["retention", "never-set"], {
        owner: "data-team",
        tier: "gold",
      });
      assert.deepEqual(
        { updated: [...result.updated].sort(), removed: result.removed, missing: result.missing },
        { updated: ["owner", "tier"], removed: ["retention"], missing: ["never-set"] },
      );
      assert.deepEqual(await catalog().loadNamespaceProperties(["props"]), { owner: "data-team", tier: "gold" });
      await catalog().createNamespace(["bare"]);
      assert.deepEqual(await catalog().loadNamespaceProperties(["bare"]), {});
      await assertRejectsKind(catalog().loadNamespaceProperties(["ghost"]), "not-found", "ghost");
      await assertRejectsKind(catalog().updateNamespaceProperties(["ghost"], [], { a: "b" }), "not-found", "ghost");
    });

    test("dropping a namespace that holds a table or a namespace fails; an empty one drops", async () => {
      await createEvents(id(["full"], "events"));
      await assertRejectsKind(catalog().dropNamespace(["full"]), "validation", "full");
      await catalog().createNamespace(["outer"]);
      await catalog().createNamespace(["outer", "inner"]);
      await assertRejectsKind(catalog().dropNamespace(["outer"]), "validation", "outer");
      await catalog().dropNamespace(["outer", "inner"]);
      await catalog().dropNamespace(["outer"]);
      assert.equal(await catalog().namespaceExists(["outer"]), false);
      assert.deepEqual(await catalog().listNamespaces(), [["full"]]);
      await catalog().dropTable(id(["full"], "events"));
      await catalog().dropNamespace(["full"]);
      assert.equal(await catalog().namespaceExists(["full"]), false);
      await assertRejectsKind(catalog().dropNamespace(["full"]), "not-found", "full");
    });

    // ---- tables ----

    test("createTable at the default location writes version 0 metadata with the given properties", async () => {
      const identifier = id(["web", "clicks"], "events");
      await catalog().createNamespace(["web", "clicks"]);
      const table = await catalog().createTable(identifier, {
        schema: EVENTS_SCHEMA,
        properties: { "commit.retry.num-retries": "7", owner: "web" },
      });
      const expectedLocation = joinLocation(fixture!.warehouse, "web", "clicks", "events");
      assert.equal(table.metadata.location, expectedLocation);
      assert.ok(
        table.metadataLocation.startsWith(`${expectedLocation}/metadata/00000-`),
        `${table.metadataLocation} should be version 0 under ${expectedLocation}/metadata/`,
      );
      assert.match(table.metadataLocation, /\/00000-[0-9a-f-]{36}\.metadata\.json$/);
      assert.equal(table.metadata.properties["commit.retry.num-retries"], "7");
      assert.equal(table.metadata.properties.owner, "web");
      assert.equal(table.metadata["current-snapshot-id"], null);
      assert.deepEqual(
        table.metadata.schemas[0].fields.map((field) => [field.name, field.type, field.required]),
        EVENTS_SCHEMA.fields.map((field) => [field.name, field.type, field.required]),
      );
      assert.deepEqual(table.identifier, identifier);
      assert.equal(await table.io.exists(table.metadataLocation), true);
      await assertRejectsKind(catalog().createTable(identifier, { schema: EVENTS_SCHEMA }), "already-exists", "events");
    });

    test("createTable honours an explicit location, a partition spec and a sort order", async () => {
      await catalog().createNamespace(["web"]);
      const location = joinLocation(fixture!.warehouse, "elsewhere", "custom-events");
      const table = await catalog().createTable(id(["web"], "custom"), {
        schema: EVENTS_SCHEMA,
        partitionSpec: DAY_SPEC,
        sortOrder: ELEMENT_ORDER,
        location: `${location}/`,
      });
      assert.equal(table.metadata.location, location);
      assert.ok(table.metadataLocation.startsWith(`${location}/metadata/00000-`), table.metadataLocation);
      const schema = table.metadata.schemas.find((s) => s["schema-id"] === table.metadata["current-schema-id"])!;
      const fieldName = (sourceId: number) => schema.fields.find((field) => field.id === sourceId)?.name;
      const spec = table.metadata["partition-specs"].find((s) => s["spec-id"] === table.metadata["default-spec-id"])!;
      assert.deepEqual(
        spec.fields.map((field) => [fieldName(field["source-id"]), field.transform, field.name]),
        [["event_time", "day", "event_time_day"]],
      );
      const order = table.metadata["sort-orders"].find(
        (o) => o["order-id"] === table.metadata["default-sort-order-id"],
      )!;
      assert.deepEqual(
        order.fields.map((field) => [fieldName(field["source-id"]), field.direction, field["null-order"]]),
        [["element_id", "asc", "nulls-first"]],
      );
      const reloaded = await catalog().loadTable(id(["web"], "custom"));
      assert.equal(reloaded.metadata.location, location);
      assert.deepEqual(reloaded.metadata["partition-specs"], table.metadata["partition-specs"]);
      assert.deepEqual(reloaded.metadata["sort-orders"], table.metadata["sort-orders"]);
    });

    test("a namespace location property roots the default location of its tables", async () => {
      const root = joinLocation(fixture!.warehouse, "custom-root", "marketing");
      await catalog().createNamespace(["mkt"], { location: root });
      const table = await catalog().createTable(id(["mkt"], "campaigns"), { schema: EVENTS_SCHEMA });
      assert.equal(table.metadata.location, joinLocation(root, "campaigns"));
    });

    test("createTable in a missing namespace fails with not-found", async () => {
      await assertRejectsKind(
        catalog().createTable(id(["missing"], "events"), { schema: EVENTS_SCHEMA }),
        "not-found",
        "missing",
      );
    });

    test("loadTable returns what createTable wrote; tableExists and listTables see it", async () => {
      const created = await createEvents(id(["web"], "events"));
      await createEvents(id(["web"], "sessions"));
      await createEvents(id(["web", "sub"], "nested"));
      const loaded = await catalog().loadTable(id(["web"], "events"));
      assert.equal(loaded.metadataLocation, created.metadataLocation);
      assert.deepEqual(loaded.metadata, created.metadata);
      assert.equal(await catalog().tableExists(id(["web"], "events")), true);
      assert.equal(await catalog().tableExists(id(["web"], "nope")), false);
      assert.equal(await catalog().tableExists(id(["other"], "events")), false);
      assert.deepEqual(await catalog().listTables(["web"]), [id(["web"], "events"), id(["web"], "sessions")]);
      assert.deepEqual(await catalog().listTables(["web", "sub"]), [id(["web", "sub"], "nested")]);
      await assertRejectsKind(catalog().listTables(["ghost"]), "not-found", "ghost");
      await assertRejectsKind(catalog().loadTable(id(["web"], "nope")), "not-found", "web.nope");
    });

    test("renameTable moves a table across namespaces; existing target and missing source fail", async () => {
      const source = id(["web"], "events");
      const created = await createEvents(source);
      await catalog().createNamespace(["archive"]);
      await catalog().renameTable(source, id(["archive"], "events_2024"));
      assert.equal(await catalog().tableExists(source), false);
      const moved = await catalog().loadTable(id(["archive"], "events_2024"));
      assert.equal(moved.metadataLocation, created.metadataLocation);
      assert.deepEqual(await catalog().listTables(["web"]), []);
      assert.deepEqual(await catalog().listTables(["archive"]), [id(["archive"], "events_2024")]);

      await createEvents(id(["web"], "other"));
      await assertRejectsKind(
        catalog().renameTable(id(["web"], "other"), id(["archive"], "events_2024")),
        "already-exists",
        "archive.events_2024",
      );
      await assertRejectsKind(catalog().renameTable(source, id(["web"], "x")), "not-found", "web.events");
      await assertRejectsKind(
        catalog().renameTable(id(["web"], "other"), id(["nowhere"], "x")),
        "not-found",
        "nowhere",
      );
      assert.equal(await catalog().tableExists(id(["web"], "other")), true);
    });

    test("dropTable removes the table but keeps its files; dropping again is not-found", async () => {
      const identifier = id(["web"], "events");
      const table = await createEvents(identifier);
      await catalog().dropTable(identifier);
      assert.equal(await catalog().tableExists(identifier), false);
      assert.equal(await table.io.exists(table.metadataLocation), true);
      await assertRejectsKind(catalog().dropTable(identifier), "not-found", "web.events");
      await createEvents(identifier);
      assert.equal(await catalog().tableExists(identifier), true);
    });

    test("dropTable with purge deletes metadata, manifest lists and files under metadata/ and data/", async () => {
      const identifier = id(["web"], "purged");
      const neighbour = await createEvents(id(["web"], "purged_neighbour"));
      let table = await createEvents(identifier);
      const { io } = table;
      const location = table.metadata.location;
      const dataFile = joinLocation(location, "data", "event_time_day=2024-05-01", "00000-0-data.parquet");
      const manifest = joinLocation(location, "metadata", "manifest-0001.avro");
      await io.write(dataFile, bytes("parquet"));
      await io.write(manifest, bytes("manifest"));
      const snapshot = nextSnapshot(table);
      await io.write(snapshot["manifest-list"]!, bytes("manifest list"));
      table = await catalog().commitTable(identifier, [], appendUpdates(snapshot));
      table = await setProperty(identifier, "k", "v");
      const metadataFiles = [table.metadataLocation, ...table.metadata["metadata-log"].map((e) => e["metadata-file"])];
      assert.equal(metadataFiles.length, 3);

      await catalog().dropTable(identifier, { purge: true });
      for (const file of [...metadataFiles, dataFile, manifest, snapshot["manifest-list"]!])
        assert.equal(await io.exists(file), false, `${file} should be deleted`);
      const left: string[] = [];
      for await (const file of io.list(`${location}/`)) left.push(file.path);
      assert.deepEqual(left, []);
      assert.equal(await io.exists(neighbour.metadataLocation), true, "the neighbouring table is untouched");
      assert.equal(await catalog().tableExists(identifier), false);
    });

    test("registerTable adopts an existing metadata file", async () => {
      const original = await createEvents(id(["web"], "events"));
      await setProperty(id(["web"], "events"), "k", "v");
      await catalog().createNamespace(["copy"]);
      const registered = await catalog().registerTable(id(["copy"], "events"), original.metadataLocation);
      assert.equal(registered.metadataLocation, original.metadataLocation);
      assert.equal(registered.metadata["table-uuid"], original.metadata["table-uuid"]);
      const loaded = await catalog().loadTable(id(["copy"], "events"));
      assert.equal(loaded.metadataLocation, original.metadataLocation);
      assert.equal(loaded.metadata.properties.k, undefined, "the registered file is the version 0 metadata");
      await assertRejectsKind(
        catalog().registerTable(id(["copy"], "events"), original.metadataLocation),
        "already-exists",
        "copy.events",
      );
      await assertRejectsKind(
        catalog().registerTable(
          id(["copy"], "ghost"),
          `${original.metadata.location}/metadata/99999-none.metadata.json`,
        ),
        "not-found",
      );
      await assertRejectsKind(
        catalog().registerTable(id(["nowhere"], "events"), original.metadataLocation),
        "not-found",
        "nowhere",
      );
      assert.equal(await catalog().tableExists(id(["copy"], "ghost")), false);
    });

    // ---- commits ----

    test("commit set-properties and remove-properties write a new version recording the previous one", async () => {
      const identifier = id(["web"], "events");
      const created = await createEvents(identifier, { keep: "1", drop: "2" });
      const committed = await catalog().commitTable(
        identifier,
        [{ type: "assert-table-uuid", uuid: created.metadata["table-uuid"] }],
        [
          { action: "set-properties", updates: { added: "yes", keep: "one" } },
          { action: "remove-properties", removals: ["drop"] },
        ],
      );
      assert.equal(committed.metadata.properties.added, "yes");
      assert.equal(committed.metadata.properties.keep, "one");
      assert.equal(committed.metadata.properties.drop, undefined);
      assert.match(committed.metadataLocation, /\/00001-[0-9a-f-]{36}\.metadata\.json$/);
      assert.deepEqual(
        committed.metadata["metadata-log"].map((entry) => entry["metadata-file"]),
        [created.metadataLocation],
      );
      const loaded = await catalog().loadTable(identifier);
      assert.equal(loaded.metadataLocation, committed.metadataLocation);
      assert.deepEqual(loaded.metadata.properties, committed.metadata.properties);
      assert.equal(await loaded.io.exists(created.metadataLocation), true, "old metadata files stay by default");
    });

    test("commit add-schema + set-current-schema evolves the schema", async () => {
      const identifier = id(["web"], "events");
      const created = await createEvents(identifier);
      const current = created.metadata.schemas[0];
      const lastColumnId = created.metadata["last-column-id"];
      const evolved: Schema = {
        ...current,
        "schema-id": current["schema-id"] + 1,
        fields: [...current.fields, { id: lastColumnId + 1, name: "referrer", required: false, type: "string" }],
      };
      const committed = await catalog().commitTable(
        identifier,
        [
          { type: "assert-current-schema-id", "current-schema-id": current["schema-id"] },
          { type: "assert-last-assigned-field-id", "last-assigned-field-id": lastColumnId },
        ],
        [
          { action: "add-schema", schema: evolved, "last-column-id": lastColumnId + 1 },
          { action: "set-current-schema", "schema-id": -1 },
        ],
      );
      assert.equal(committed.metadata["current-schema-id"], evolved["schema-id"]);
      assert.equal(committed.metadata["last-column-id"], lastColumnId + 1);
      const loaded = await catalog().loadTable(identifier);
      const schema = loaded.metadata.schemas.find((s) => s["schema-id"] === loaded.metadata["current-schema-id"])!;
      assert.deepEqual(
        schema.fields.map((field) => field.name),
        ["event_id", "event_time", "element_id", "referrer"],
      );
    });

    test("commit add-snapshot + set-snapshot-ref main makes the snapshot current", async () => {
      const identifier = id(["web"], "events");
      const created = await createEvents(identifier);
      const first = nextSnapshot(created, { "added-records": "10" });
      const afterFirst = await catalog().commitTable(
        identifier,
        [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
        appendUpdates(first),
      );
      assert.equal(afterFirst.metadata["current-snapshot-id"], first["snapshot-id"]);
      assert.equal(afterFirst.metadata.refs.main["snapshot-id"], first["snapshot-id"]);
      const second = nextSnapshot(afterFirst);
      await catalog().commitTable(
        identifier,
        [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": first["snapshot-id"] }],
        appendUpdates(second),
      );
      const loaded = await catalog().loadTable(identifier);
      assert.equal(loaded.metadata["current-snapshot-id"], second["snapshot-id"]);
      assert.equal(loaded.metadata["last-sequence-number"], 2n);
      const stored = loaded.metadata.snapshots.find((s) => s["snapshot-id"] === second["snapshot-id"])!;
      assert.equal(stored["parent-snapshot-id"], first["snapshot-id"]);
      assert.equal(stored["manifest-list"], second["manifest-list"]);
      assert.equal(
        loaded.metadata.snapshots.find((s) => s["snapshot-id"] === first["snapshot-id"])?.summary["added-records"],
        "10",
      );
    });

    test("a failing requirement is a retryable commit-conflict naming it, and changes nothing", async () => {
      const identifier = id(["web"], "events");
      const created = await createEvents(identifier);
      const first = nextSnapshot(created);
      await catalog().commitTable(identifier, [], appendUpdates(first));
      const stale = nextSnapshot(created);
      await assert.rejects(
        catalog().commitTable(
          identifier,
          [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
          appendUpdates(stale),
        ),
        (error: unknown) => {
          assert.ok(isFloeError(error, "commit-conflict"), String(error));
          assert.equal(error.retryable, true);
          assert.ok(error.message.includes("assert-ref-snapshot-id"), error.message);
          assert.ok(error.message.includes("web.events"), error.message);
          return true;
        },
      );
      await assertRejectsKind(
        catalog().commitTable(
          identifier,
          [{ type: "assert-current-schema-id", "current-schema-id": 99 }],
          [{ action: "set-properties", updates: { never: "applied" } }],
        ),
        "commit-conflict",
        "assert-current-schema-id",
      );
      await assertRejectsKind(
        catalog().commitTable(
          identifier,
          [{ type: "assert-table-uuid", uuid: "00000000-0000-0000-0000-000000000000" }],
          [],
        ),
        "commit-conflict",
        "assert-table-uuid",
      );
      const loaded = await catalog().loadTable(identifier);
      assert.equal(loaded.metadata["current-snapshot-id"], first["snapshot-id"]);
      assert.equal(loaded.metadata.properties.never, undefined);
      assert.equal(loaded.metadata["metadata-log"].length, 1);
    });

    test("concurrent commits from one stale view: losers get commit-conflict, no update is lost", async () => {
      const identifier = id(["web"], "events");
      const created = await createEvents(identifier);
      const writers = 4;
      const results = await Promise.allSettled(
        Array.from({ length: writers }, (_, i) => setProperty(identifier, `writer-${i}`, "done")),
      );
      const won = results.flatMap((result, i) => (result.status === "fulfilled" ? [`writer-${i}`] : []));
      for (const result of results) {
        if (result.status === "rejected")
          assert.ok(isFloeError(result.reason, "commit-conflict"), `unexpected failure: ${String(result.reason)}`);
      }
      assert.ok(won.length >= 1, "at least one commit wins");
      assert.ok(won.length < writers, "commits that all started from version 0 cannot all win");
      const loaded = await catalog().loadTable(identifier);
      const keys = Object.keys(loaded.metadata.properties).filter((key) => key.startsWith("writer-"));
      assert.deepEqual(keys.sort(), won.sort());
      assert.equal(loaded.metadata["metadata-log"].length, won.length);
      assert.equal(loaded.metadata["metadata-log"][0]["metadata-file"], created.metadataLocation);
    });

    test("commits to a missing table are not-found; an empty update list writes nothing", async () => {
      await assertRejectsKind(
        catalog().commitTable(id(["web"], "missing"), [], [{ action: "set-properties", updates: { a: "b" } }]),
        "not-found",
        "web.missing",
      );
      const identifier = id(["web"], "events");
      const created = await createEvents(identifier);
      const same = await catalog().commitTable(
        identifier,
        [{ type: "assert-table-uuid", uuid: created.metadata["table-uuid"] }],
        [],
      );
      assert.equal(same.metadataLocation, created.metadataLocation);
    });

    test("the metadata log grows by one entry per commit, oldest first, with version numbers counting up", async () => {
      const identifier = id(["web"], "events");
      const locations = [(await createEvents(identifier)).metadataLocation];
      for (let i = 1; i <= 3; i += 1) locations.push((await setProperty(identifier, "n", String(i))).metadataLocation);
      const loaded = await catalog().loadTable(identifier);
      assert.equal(loaded.metadataLocation, locations[3]);
      assert.deepEqual(
        loaded.metadata["metadata-log"].map((entry) => entry["metadata-file"]),
        locations.slice(0, 3),
      );
      assert.deepEqual(
        locations.map((location) => location.slice(location.lastIndexOf("/") + 1, location.lastIndexOf("/") + 6)),
        ["00000", "00001", "00002", "00003"],
      );
    });

    test("previous-versions-max trims the log; old files stay unless delete-after-commit is enabled", async () => {
      const keep = id(["web"], "keep_files");
      const kept = [(await createEvents(keep, { "write.metadata.previous-versions-max": "1" })).metadataLocation];
      for (let i = 0; i < 3; i += 1) kept.push((await setProperty(keep, "n", String(i))).metadataLocation);
      const keptTable = await catalog().loadTable(keep);
      assert.deepEqual(
        keptTable.metadata["metadata-log"].map((e) => e["metadata-file"]),
        [kept[2]],
      );
      for (const file of kept) assert.equal(await keptTable.io.exists(file), true, `${file} should remain`);

      const clean = id(["web"], "delete_files");
      const written = [
        (
          await createEvents(clean, {
            "write.metadata.previous-versions-max": "1",
            "write.metadata.delete-after-commit.enabled": "true",
          })
        ).metadataLocation,
      ];
      for (let i = 0; i < 3; i += 1) written.push((await setProperty(clean, "n", String(i))).metadataLocation);
      const cleanTable = await catalog().loadTable(clean);
      assert.deepEqual(
        cleanTable.metadata["metadata-log"].map((e) => e["metadata-file"]),
        [written[2]],
      );
      assert.equal(await cleanTable.io.exists(written[0]), false, "dropped from the log, so deleted");
      assert.equal(await cleanTable.io.exists(written[1]), false, "dropped from the log, so deleted");
      assert.equal(await cleanTable.io.exists(written[2]), true, "still in the log");
      assert.equal(await cleanTable.io.exists(written[3]), true, "current");
    });

    // ---- staged creates and multi-table commits ----

    // Every catalog floe has implements both optional methods; one that stops doing so fails here.
    const stageCreate = () => {
      const c = catalog();
      assert.ok(c.stageCreateTable, `catalog ${c.name} implements stageCreateTable`);
      return c.stageCreateTable.bind(c);
    };
    const commitTransaction = () => {
      const c = catalog();
      assert.ok(c.commitTransaction, `catalog ${c.name} implements commitTransaction`);
      return c.commitTransaction.bind(c);
    };

    test("stageCreateTable creates nothing; an assert-create commit of its metadata creates the table", async () => {
      await catalog().createNamespace(["web"]);
      const identifier = id(["web"], "staged");
      const staged = await stageCreate()(identifier, {
        schema: EVENTS_SCHEMA,
        partitionSpec: DAY_SPEC,
        sortOrder: ELEMENT_ORDER,
        properties: { owner: "web" },
      });
      assert.equal(staged.location, joinLocation(fixture!.warehouse, "web", "staged"));
      assert.equal(staged.properties.owner, "web");
      assert.equal(await catalog().tableExists(identifier), false);
      assert.deepEqual(await catalog().listTables(["web"]), []);

      const created = await catalog().commitTable(
        identifier,
        [{ type: "assert-create" }],
        [...stagedCreateUpdates(staged), { action: "set-properties", updates: { added: "in-create" } }],
      );
      assert.equal(created.metadata["table-uuid"], staged["table-uuid"]);
      assert.equal(created.metadata.location, staged.location);
      assert.match(created.metadataLocation, /\/00000-[0-9a-f-]{36}\.metadata\.json$/);
      assert.equal(created.metadata.properties.owner, "web");
      assert.equal(created.metadata.properties.added, "in-create");
      assert.deepEqual(created.metadata.schemas, staged.schemas);
      assert.deepEqual(created.metadata["partition-specs"], staged["partition-specs"]);
      assert.deepEqual(created.metadata["sort-orders"], staged["sort-orders"]);
      assert.deepEqual(created.metadata["metadata-log"], []);
      assert.equal((await catalog().loadTable(identifier)).metadataLocation, created.metadataLocation);

      await assertRejectsKind(
        catalog().commitTable(identifier, [{ type: "assert-create" }], stagedCreateUpdates(staged)),
        "commit-conflict",
        "assert-create",
      );
      await assertRejectsKind(stageCreate()(identifier, { schema: EVENTS_SCHEMA }), "already-exists", "web.staged");
      await assertRejectsKind(stageCreate()(id(["missing"], "t"), { schema: EVENTS_SCHEMA }), "not-found", "missing");
    });

    test("commitTransaction changes every table, or none when one requirement fails or a table is missing", async () => {
      const [a, b] = [id(["web"], "a"), id(["web"], "b")];
      const createdA = await createEvents(a);
      const createdB = await createEvents(b);
      const snapshot = nextSnapshot(createdB);
      const results = await commitTransaction()([
        {
          identifier: a,
          requirements: [{ type: "assert-table-uuid", uuid: createdA.metadata["table-uuid"] }],
          updates: [{ action: "set-properties", updates: { both: "yes" } }],
        },
        {
          identifier: b,
          requirements: [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": null }],
          updates: appendUpdates(snapshot),
        },
      ]);
      assert.deepEqual(
        results.map((table) => table.identifier),
        [a, b],
      );
      assert.equal(results[0].metadata.properties.both, "yes");
      assert.equal(results[1].metadata["current-snapshot-id"], snapshot["snapshot-id"]);
      assert.equal((await catalog().loadTable(a)).metadataLocation, results[0].metadataLocation);
      assert.equal((await catalog().loadTable(b)).metadataLocation, results[1].metadataLocation);

      const setPartial = {
        identifier: a,
        requirements: [],
        updates: [{ action: "set-properties" as const, updates: { partial: "yes" } }],
      };
      await assertRejectsKind(
        commitTransaction()([
          setPartial,
          {
            identifier: b,
            requirements: [{ type: "assert-current-schema-id", "current-schema-id": 99 }],
            updates: [{ action: "set-properties", updates: { partial: "yes" } }],
          },
        ]),
        "commit-conflict",
        "web.b",
        "assert-current-schema-id",
      );
      await assertRejectsKind(
        commitTransaction()([setPartial, { ...setPartial, identifier: id(["web"], "ghost") }]),
        "not-found",
        "web.ghost",
      );
      await assertRejectsKind(commitTransaction()([setPartial, setPartial]), "bad-input", "web.a");
      const [afterA, afterB] = [await catalog().loadTable(a), await catalog().loadTable(b)];
      assert.equal(afterA.metadataLocation, results[0].metadataLocation, "a is unchanged");
      assert.equal(afterB.metadataLocation, results[1].metadataLocation, "b is unchanged");
      assert.equal(afterA.metadata.properties.partial, undefined);
    });

    test("a staged create commits in one transaction with another table's change", async () => {
      const existing = id(["web"], "existing");
      await createEvents(existing);
      const fresh = id(["web"], "fresh");
      const staged = await stageCreate()(fresh, { schema: EVENTS_SCHEMA });
      const [created, updated] = await commitTransaction()([
        { identifier: fresh, requirements: [{ type: "assert-create" }], updates: stagedCreateUpdates(staged) },
        {
          identifier: existing,
          requirements: [],
          updates: [{ action: "set-properties", updates: { with: "create" } }],
        },
      ]);
      assert.equal(created.metadata["table-uuid"], staged["table-uuid"]);
      assert.equal(updated.metadata.properties.with, "create");
      assert.deepEqual(await catalog().listTables(["web"]), [existing, fresh]);
    });

    test("invalid identifiers are bad-input", async () => {
      await assertRejectsKind(catalog().createNamespace([]), "bad-input");
      await assertRejectsKind(catalog().createNamespace(["a.b"]), "bad-input", "a.b");
      await assertRejectsKind(catalog().createNamespace([""]), "bad-input");
      await catalog().createNamespace(["ok"]);
      await assertRejectsKind(catalog().createTable(id(["ok"], ""), { schema: EVENTS_SCHEMA }), "bad-input");
      await assertRejectsKind(catalog().createTable(id(["ok"], "a.b"), { schema: EVENTS_SCHEMA }), "bad-input", "a.b");
      await assertRejectsKind(catalog().loadTable(id([], "t")), "bad-input");
    });
  });
}
