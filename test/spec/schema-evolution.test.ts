import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { SchemaUpdate } from "../../src/spec/schema-evolution.ts";
import type { IcebergType, NestedField, Schema } from "../../src/spec/types.ts";

const base = (): Schema => ({
  type: "struct",
  "schema-id": 3,
  "identifier-field-ids": [1],
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "data", required: false, type: "string", doc: "payload" },
    {
      id: 3,
      name: "location",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 4, name: "lat", required: true, type: "float" },
          { id: 5, name: "long", required: true, type: "float" },
        ],
      },
    },
    {
      id: 6,
      name: "points",
      required: false,
      type: {
        type: "list",
        "element-id": 7,
        "element-required": true,
        element: {
          type: "struct",
          fields: [
            { id: 8, name: "x", required: true, type: "int" },
            { id: 9, name: "y", required: true, type: "int" },
          ],
        },
      },
    },
    {
      id: 10,
      name: "properties",
      required: false,
      type: { type: "map", "key-id": 11, key: "string", "value-id": 12, value: "string", "value-required": false },
    },
    {
      id: 13,
      name: "ints",
      required: false,
      type: { type: "list", "element-id": 14, element: "int", "element-required": true },
    },
    {
      id: 15,
      name: "key",
      required: true,
      type: {
        type: "struct",
        fields: [
          { id: 16, name: "region", required: true, type: "string" },
          { id: 17, name: "score", required: true, type: "double" },
        ],
      },
    },
  ],
});
const LAST = 17;

const update = (options?: ConstructorParameters<typeof SchemaUpdate>[2]) => new SchemaUpdate(base(), LAST, options);
const names = (fields: NestedField[]) => fields.map((f) => f.name);
const field = (schema: Schema, name: string) => schema.fields.find((f) => f.name === name)!;
const structFields = (t: IcebergType) => (t as { fields: NestedField[] }).fields;
const rejects = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e) => isFloeError(e, "validation") && pattern.test(e.message));

test("no changes yields the same columns under the next schema id, base untouched", () => {
  const before = base();
  const { schema, lastColumnId } = new SchemaUpdate(before, LAST).apply();
  assert.equal(schema["schema-id"], 4);
  assert.equal(lastColumnId, LAST);
  assert.deepEqual(schema.fields, before.fields);
  assert.deepEqual(schema["identifier-field-ids"], [1]);
  assert.deepEqual(before, base());
});

test("adding columns: top level, into structs, list elements and with fresh nested ids", () => {
  const nested: IcebergType = {
    type: "struct",
    fields: [
      { id: 1, name: "a", required: false, type: "int" },
      {
        id: 2,
        name: "b",
        required: false,
        type: { type: "list", "element-id": 3, element: "string", "element-required": false },
      },
      {
        id: 4,
        name: "c",
        required: false,
        type: {
          type: "map",
          "key-id": 5,
          key: "string",
          "value-id": 6,
          value: "decimal(9, 2)",
          "value-required": true,
        },
      },
    ],
  };
  const { schema, lastColumnId } = update()
    .addColumn(null, "ts", "timestamptz", { doc: "event time" })
    .addColumn(null, "meta", nested)
    .addColumn("location", "alt", "double")
    .addColumn("points", "z", "int")
    .apply();
  assert.deepEqual(field(schema, "ts"), {
    id: 18,
    name: "ts",
    required: false,
    type: "timestamptz",
    doc: "event time",
  });
  // the new column's own id first, then its struct's fields, then deeper ones (as the reference does)
  assert.deepEqual(field(schema, "meta"), {
    id: 19,
    name: "meta",
    required: false,
    type: {
      type: "struct",
      fields: [
        { id: 20, name: "a", required: false, type: "int" },
        {
          id: 21,
          name: "b",
          required: false,
          type: { type: "list", "element-id": 23, element: "string", "element-required": false },
        },
        {
          id: 22,
          name: "c",
          required: false,
          type: {
            type: "map",
            "key-id": 24,
            key: "string",
            "value-id": 25,
            value: "decimal(9,2)",
            "value-required": true,
          },
        },
      ],
    },
  });
  assert.deepEqual(structFields(field(schema, "location").type).at(-1), {
    id: 26,
    name: "alt",
    required: false,
    type: "double",
  });
  const points = field(schema, "points").type as { element: IcebergType };
  assert.deepEqual(names(structFields(points.element)), ["x", "y", "z"]);
  assert.equal(lastColumnId, 27);
  assert.deepEqual(names(schema.fields).slice(-2), ["ts", "meta"]);
});

test("adding columns: invalid adds name the column", () => {
  rejects(() => update().addColumn(null, "data", "int"), /name already exists: data/);
  rejects(() => update().addColumn("location", "lat", "int"), /name already exists: location.lat/);
  rejects(() => update().addColumn(null, "a", "int").addColumn(null, "a", "long"), /name already exists: a/);
  rejects(() => update().addColumn(null, "a.b", "int"), /ambiguous name: a.b/);
  rejects(() => update().addColumn("data", "x", "int"), /non-struct column: data/);
  rejects(() => update().addColumn("ints", "x", "int"), /non-struct column: ints/);
  rejects(() => update().addColumn("nope", "x", "int"), /parent struct: nope/);
  rejects(
    () => update().addColumn(null, "must", "int", { required: true }),
    /required column without a default value: must/,
  );
  rejects(() => update().deleteColumn("location").addColumn("location", "alt", "int"), /will be deleted: location/);
});

test("required columns and defaults: incompatible override, v3 defaults stored as JSON", () => {
  const forced = update().allowIncompatibleChanges().addColumn(null, "must", "int", { required: true }).apply();
  assert.equal(field(forced.schema, "must").required, true);
  rejects(() => update().addColumn(null, "n", "int", { initialDefault: 5 }), /format version 3/);
  const v3 = update({ formatVersion: 3 })
    .addColumn(null, "count", "long", { required: true, initialDefault: 0n })
    .addColumn(null, "day", "date", { initialDefault: 17486, writeDefault: 17487 })
    .addColumn(null, "price", "decimal(9,2)", { initialDefault: 1420n })
    .addColumn(
      null,
      "point",
      { type: "struct", fields: [{ id: 1, name: "x", required: false, type: "int" }] },
      { initialDefault: {} },
    )
    .apply();
  assert.deepEqual(field(v3.schema, "count"), {
    id: 18,
    name: "count",
    required: true,
    type: "long",
    "initial-default": 0,
    "write-default": 0,
  });
  assert.equal(field(v3.schema, "day")["initial-default"], "2017-11-16");
  assert.equal(field(v3.schema, "day")["write-default"], "2017-11-17");
  assert.equal(field(v3.schema, "price")["initial-default"], "14.20");
  assert.deepEqual(field(v3.schema, "point")["initial-default"], {});
  rejects(
    () => update({ formatVersion: 3 }).addColumn(null, "n", "int", { initialDefault: "x" }),
    /invalid default x for int/,
  );
  rejects(
    () =>
      update({ formatVersion: 3 }).addColumn(null, "p", { type: "struct", fields: [] }, { initialDefault: { 1: 2 } }),
    /null or \{\}/,
  );
  const changed = update({ formatVersion: 3 }).updateColumnDefault("data", "n/a").apply();
  assert.equal(field(changed.schema, "data")["write-default"], "n/a");
});

test("deleting columns, nested ones, and re-adding a name with a new id", () => {
  const { schema } = update().deleteColumn("data").deleteColumn("location.long").deleteColumn("points.y").apply();
  assert.deepEqual(names(schema.fields), ["id", "location", "points", "properties", "ints", "key"]);
  assert.deepEqual(names(structFields(field(schema, "location").type)), ["lat"]);
  const re = update().deleteColumn("data").addColumn(null, "data", "binary").apply();
  assert.deepEqual(field(re.schema, "data"), { id: 18, name: "data", required: false, type: "binary" });
  rejects(() => update().deleteColumn("nope"), /missing column: nope/);
  rejects(() => update().deleteColumn("points.element"), /element of a list/);
  rejects(() => update().deleteColumn("properties.key"), /key of a map/);
  rejects(() => update().addColumn("location", "alt", "int").deleteColumn("location"), /has additions: location/);
  rejects(() => update().renameColumn("data", "d").deleteColumn("data"), /has updates: data/);
  rejects(() => update().deleteColumn("data").renameColumn("data", "d"), /will be deleted: data/);
  rejects(
    () => update().deleteColumn("location").updateColumn("location.lat", "double"),
    /will be deleted: location.lat/,
  );
});

test("identifier fields: deleting one needs setIdentifierFields; the spec's rules are enforced", () => {
  rejects(() => update().deleteColumn("id").apply(), /cannot delete identifier field id/);
  const moved = update().deleteColumn("id").setIdentifierFields(["key.region"]).apply();
  assert.deepEqual(moved.schema["identifier-field-ids"], [16]);
  const withUid = update()
    .allowIncompatibleChanges()
    .addColumn(null, "uid", "uuid", { required: true })
    .setIdentifierFields(["uid", "id"])
    .apply();
  assert.deepEqual(withUid.schema["identifier-field-ids"], [18, 1]);
  const renamed = update().setIdentifierFields(["id"]).renameColumn("id", "event_id").apply();
  assert.deepEqual(renamed.schema["identifier-field-ids"], [1]);
  const cleared = update().setIdentifierFields([]).deleteColumn("id").apply();
  assert.deepEqual(cleared.schema["identifier-field-ids"], []);
  rejects(() => update().setIdentifierFields(["data"]).apply(), /identifier field data must be required/);
  rejects(() => update().setIdentifierFields(["key.score"]).apply(), /identifier field key.score must not be double/);
  rejects(() => update().setIdentifierFields(["location"]).apply(), /must be a primitive/);
  rejects(() => update().setIdentifierFields(["points.element.x"]).apply(), /nested in a list or map \(points\)/);
  rejects(() => update().setIdentifierFields(["nope"]).apply(), /identifier field nope: column not found/);
  const optionalParent = update().renameColumn("location.lat", "lat2").updateColumn("location.lat", "double");
  rejects(() => optionalParent.setIdentifierFields(["location.lat2"]).apply(), /must not be double/);
  const floatless = update().allowIncompatibleChanges().addColumn("location", "code", "string", { required: true });
  rejects(() => floatless.setIdentifierFields(["location.code"]).apply(), /nested in an optional struct \(location\)/);
});

test("renames keep ids; nested and added columns can be renamed; collisions fail at apply", () => {
  const { schema } = update()
    .renameColumn("data", "body")
    .renameColumn("location.lat", "latitude")
    .renameColumn("points.x", "px")
    .addColumn(null, "tmp", "int")
    .renameColumn("tmp", "kept")
    .updateColumnDoc("kept", "renamed after add")
    .apply();
  assert.deepEqual(field(schema, "body"), { id: 2, name: "body", required: false, type: "string", doc: "payload" });
  assert.deepEqual(structFields(field(schema, "location").type)[0], {
    id: 4,
    name: "latitude",
    required: true,
    type: "float",
  });
  const element = (field(schema, "points").type as { element: IcebergType }).element;
  assert.deepEqual(names(structFields(element)), ["px", "y"]);
  assert.deepEqual(field(schema, "kept"), {
    id: 18,
    name: "kept",
    required: false,
    type: "int",
    doc: "renamed after add",
  });
  rejects(() => update().renameColumn("data", "id").apply(), /more than one column named id/);
  rejects(() => update().renameColumn("nope", "x"), /missing column: nope/);
  rejects(() => update().renameColumn("points.element", "e"), /element of a list or map/);
  rejects(() => update().renameColumn("data", ""), /empty name/);
});

test("reordering: first, before, after, nested, and added columns", () => {
  const { schema } = update()
    .addColumn(null, "ts", "timestamp")
    .moveFirst("ts")
    .moveAfter("id", "data")
    .moveBefore("ints", "points")
    .moveFirst("location.long")
    .moveAfter("points.x", "points.y")
    .apply();
  assert.deepEqual(names(schema.fields), ["ts", "data", "id", "location", "ints", "points", "properties", "key"]);
  assert.deepEqual(names(structFields(field(schema, "location").type)), ["long", "lat"]);
  const element = (field(schema, "points").type as { element: IcebergType }).element;
  assert.deepEqual(names(structFields(element)), ["y", "x"]);
  rejects(() => update().moveBefore("data", "location.lat"), /cannot move data to a different struct/);
  rejects(() => update().moveAfter("data", "data"), /cannot move data after itself/);
  rejects(() => update().moveFirst("nope"), /missing column: nope/);
  rejects(() => update().moveFirst("points.element"), /cannot move the element/);
  rejects(() => update().moveFirst("data").deleteColumn("data"), /cannot delete a column that has updates: data/);
  rejects(
    () => update().moveAfter("id", "data").deleteColumn("data").apply(),
    /cannot move id: the column it is placed after is deleted/,
  );
});

test("type promotion: allowed widenings apply, everything else is refused with both types named", () => {
  const { schema } = update()
    .updateColumn("id", "long")
    .updateColumn("location.lat", "double")
    .updateColumn("points.x", "long")
    .updateColumn("ints.element", "long")
    .apply();
  assert.equal(structFields(field(schema, "location").type)[0].type, "double");
  const element = (field(schema, "points").type as { element: IcebergType }).element;
  assert.equal(structFields(element)[0].type, "long");
  assert.equal((field(schema, "ints").type as { element: IcebergType }).element, "long");
  const decimal = new SchemaUpdate(
    { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "d", required: false, type: "decimal(9,2)" }] },
    1,
  );
  assert.equal(decimal.updateColumn("d", "decimal(18, 2)").apply().schema.fields[0].type, "decimal(18,2)");
  rejects(() => update().updateColumn("id", "int"), /cannot change column type of id: long -> int/);
  rejects(() => update().updateColumn("data", "binary"), /data: string -> binary/);
  rejects(() => update().updateColumn("points.x", "string"), /points.x: int -> string/);
  rejects(() => update().updateColumn("location", "string"), /non-primitive column location/);
  const dates = () =>
    new SchemaUpdate(
      { type: "struct", "schema-id": 0, fields: [{ id: 1, name: "d", required: false, type: "date" }] },
      1,
      {
        formatVersion: 3,
      },
    );
  assert.equal(dates().updateColumn("d", "timestamp").apply().schema.fields[0].type, "timestamp");
  rejects(() => dates().updateColumn("d", "timestamptz"), /date -> timestamptz/);
});

test("nullability: optional is always allowed, required needs allowIncompatibleChanges", () => {
  const { schema } = update().makeColumnOptional("key.region").makeColumnOptional("points.element").apply();
  assert.equal(structFields(field(schema, "key").type)[0].required, false);
  assert.equal((field(schema, "points").type as { "element-required": boolean })["element-required"], false);
  rejects(() => update().requireColumn("data"), /data: optional -> required/);
  const forced = update().allowIncompatibleChanges().requireColumn("data").requireColumn("properties.value").apply();
  assert.equal(field(forced.schema, "data").required, true);
  assert.equal((field(forced.schema, "properties").type as { "value-required": boolean })["value-required"], true);
  rejects(() => update().makeColumnOptional("properties.key"), /map keys are always required/);
  // an identifier field cannot become optional
  rejects(() => update().makeColumnOptional("id").apply(), /identifier field id must be required/);
});

test("case-insensitive updates find columns whatever their case", () => {
  const { schema } = update({ caseSensitive: false })
    .renameColumn("DATA", "body")
    .updateColumn("Location.LAT", "double")
    .apply();
  assert.equal(field(schema, "body").id, 2);
  assert.equal(structFields(field(schema, "location").type)[0].type, "double");
  rejects(() => update({ caseSensitive: false }).addColumn(null, "ID", "int"), /name already exists: ID/);
  rejects(() => update().renameColumn("DATA", "body"), /missing column: DATA/);
});
