// Modes mixed over many commits (copy-on-write and merge-on-read deletes, updates and merges on the
// same table, partitioned and not): after every commit the table reads back as the model says, and
// at the end every earlier snapshot still reads back as it was.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { deleteWhere } from "../../src/engine/dml/delete-where.ts";
import { mergeInto } from "../../src/engine/dml/merge-into.ts";
import { updateWhere } from "../../src/engine/dml/update-where.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { and, greaterThan, lessThan } from "../../src/expr/expressions.ts";
import {
  GRP_SPEC,
  type Row,
  UNPARTITIONED,
  modelRows,
  newDmlTable,
  readRows,
  rowsSql,
  sortRows,
  tempWarehouse,
} from "./dml-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempWarehouse("dml-mixed"));
});
after(() => {
  engine.close();
  cleanup();
});

for (const [name, spec] of [
  ["partitioned", GRP_SPEC],
  ["unpartitioned", UNPARTITIONED],
] as const) {
  test(`${name}: alternating modes over several commits stay consistent, time travel included`, async () => {
    const { table } = await newDmlTable(`${dir}/${name}`, { spec });
    await appendQuery(engine, table, rowsSql(0, 80));
    let model: Row[] = modelRows(0, 80);
    const history: { id: bigint; rows: Row[] }[] = [{ id: table.currentSnapshot()!["snapshot-id"], rows: model }];
    const check = async (what: string) => {
      assert.deepEqual(await readRows(engine, table), model, what);
      history.push({ id: table.currentSnapshot()!["snapshot-id"], rows: model });
    };

    await deleteWhere(engine, table, and(greaterThan("id", 5), lessThan("id", 15)), { mode: "merge-on-read" });
    model = model.filter((r) => !(r.id > 5n && r.id < 15n));
    await check("mor delete");

    await updateWhere(engine, table, { val: "val * 2" }, "id % 5 = 0", { mode: "copy-on-write" });
    model = model.map((r) => (r.id % 5n === 0n ? { ...r, val: r.val! * 2n } : r));
    await check("cow update over files with position deletes");

    await mergeInto(
      engine,
      table,
      "SELECT * FROM (VALUES (20, 'g9', 1), (21, 'g9', 2), (500, 'g1', 3)) s(id, grp, val)",
      {
        on: ["id"],
        whenMatched: "update",
        whenNotMatched: "insert",
        mode: "merge-on-read",
      },
    );
    model = sortRows([
      ...model.map((r) =>
        r.id === 20n ? { ...r, grp: "g9", val: 1n } : r.id === 21n ? { ...r, grp: "g9", val: 2n } : r,
      ),
      { id: 500n, grp: "g1", val: 3n },
    ]);
    await check("mor merge");

    await deleteWhere(engine, table, "val < 100", { mode: "copy-on-write" });
    model = model.filter((r) => !(r.val! < 100n));
    await check("cow delete removes the files that carried position deletes");

    await updateWhere(engine, table, { grp: "'z'" }, lessThan("id", 40), { mode: "merge-on-read" });
    model = model.map((r) => (r.id < 40n ? { ...r, grp: "z" } : r));
    await check("mor update");

    await appendQuery(engine, table, rowsSql(80, 10));
    model = sortRows([...model, ...modelRows(80, 10)]);
    await check("append");

    await mergeInto(engine, table, "SELECT * FROM (VALUES (500), (85), (30)) s(id)", {
      on: ["id"],
      whenMatched: "delete",
      whenNotMatched: "ignore",
      mode: "copy-on-write",
    });
    model = model.filter((r) => ![500n, 85n, 30n].includes(r.id));
    await check("cow merge delete");

    await deleteWhere(engine, table, "true", { mode: "merge-on-read" });
    model = [];
    await check("delete everything");

    for (const { id, rows } of history) assert.deepEqual(await readRows(engine, table, id), rows, `snapshot ${id}`);
    // Every commit was one snapshot.
    assert.equal(table.snapshots().length, history.length);
  });
}
