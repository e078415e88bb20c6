// updateWhere and mergeInto in both modes, verified through SQL over the catalog (runSql) against
// rows computed independently in JavaScript; merge covers upsert, delete-on-match, insert-only,
// the one-match-per-target-row rule and pruning by the source's key range.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { mergeInto } from "../../src/engine/dml/merge-into.ts";
import { updateWhere } from "../../src/engine/dml/update-where.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { runSql } from "../../src/engine/sql-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import { equal, lessThan } from "../../src/expr/expressions.ts";
import type { Table } from "../../src/table/table.ts";
import { type Row, modelRows, newDmlTable, rowsSql, sortRows, tempWarehouse } from "./dml-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempWarehouse("dml-update-merge"));
});
after(() => {
  engine.close();
  cleanup();
});

async function sqlRows(catalog: MemoryCatalog, table: Table, at?: bigint): Promise<Row[]> {
  const from = `db.${table.identifier.name}${at === undefined ? "" : ` AT (VERSION => ${at})`}`;
  return (await runSql(engine, catalog, `SELECT id, grp, val FROM ${from} ORDER BY id`)) as unknown as Row[];
}

for (const mode of ["copy-on-write", "merge-on-read"] as const) {
  const properties = { "write.update.mode": mode, "write.merge.mode": mode };

  test(`${mode}: update sets columns from the old row's values, only on matching rows`, async () => {
    const { catalog, table } = await newDmlTable(`${dir}/${mode}-update`, { properties });
    await appendQuery(engine, table, rowsSql(0, 50));
    const before = table.currentSnapshot()!["snapshot-id"];
    // Moves rows to another partition and reads the old id in both assignments.
    const result = await updateWhere(engine, table, { val: "val + id", grp: "'moved'" }, lessThan("id", 8));
    let model: Row[] = modelRows(0, 50).map((r) => (r.id < 8n ? { id: r.id, grp: "moved", val: r.val! + r.id } : r));
    assert.equal(result.rowsUpdated, 8n);
    assert.equal(result.rowsDeleted, 0n);
    assert.deepEqual(await sqlRows(catalog, table), model);
    assert.equal(table.currentSnapshot()!.summary.operation, "overwrite");

    const second = await updateWhere(engine, table, { val: "NULL" }, "grp = 'g2' AND val > 300");
    model = model.map((r) => (r.grp === "g2" && r.val! > 300n ? { ...r, val: null } : r));
    assert.equal(second.rowsUpdated, BigInt(model.filter((r) => r.val === null).length));
    assert.deepEqual(await sqlRows(catalog, table), model);
    assert.deepEqual(await sqlRows(catalog, table, before), modelRows(0, 50));
    if (mode === "merge-on-read") {
      assert.equal(second.deleteFilesAdded, 1, "only the g2 file had matching rows");
      assert.equal(table.currentSnapshot()!.summary["added-position-deletes"], String(second.rowsUpdated));
    } else {
      assert.equal(second.dataFilesRewritten, 1);
    }
    await assert.rejects(updateWhere(engine, table, { nope: "1" }, "true"), /nope is not a top-level column/);
  });

  test(`${mode}: merge upserts by key`, async () => {
    const { catalog, table } = await newDmlTable(`${dir}/${mode}-upsert`, { properties });
    await appendQuery(engine, table, rowsSql(0, 40));
    // The source lacks grp: matched rows keep theirs, inserted rows get null.
    const source = "SELECT * FROM (VALUES (5, -5), (6, -6), (100, -100), (101, NULL)) AS s(id, val)";
    const result = await mergeInto(engine, table, source, {
      on: ["id"],
      whenMatched: "update",
      whenNotMatched: "insert",
    });
    assert.equal(result.rowsUpdated, 2n);
    assert.equal(result.rowsInserted, 2n);
    const model = sortRows([
      ...modelRows(0, 40).map((r) => (r.id === 5n || r.id === 6n ? { ...r, val: -r.id } : r)),
      { id: 100n, grp: null, val: -100n },
      { id: 101n, grp: null, val: null },
    ]);
    assert.deepEqual(await sqlRows(catalog, table), model);
    if (mode === "copy-on-write") assert.equal(result.dataFilesRewritten, 2, "ids 5 and 6 live in g2 and g0");
    else assert.equal(result.deleteFilesAdded, 2);
  });

  test(`${mode}: merge deletes matched rows, inserts only new keys, and refuses ambiguous matches`, async () => {
    const { catalog, table } = await newDmlTable(`${dir}/${mode}-merge-delete`, { properties });
    await appendQuery(engine, table, rowsSql(0, 30));
    await appendQuery(engine, table, rowsSql(1000, 30));
    let model = modelRows(0, 30).concat(modelRows(1000, 30));
    const deleted = await mergeInto(engine, table, "SELECT * FROM (VALUES (3), (4), (77)) AS s(id)", {
      on: ["id"],
      whenMatched: "delete",
      whenNotMatched: "ignore",
    });
    model = model.filter((r) => r.id !== 3n && r.id !== 4n);
    assert.equal(deleted.rowsDeleted, 2n);
    assert.equal(deleted.rowsInserted, 0n);
    assert.deepEqual(await sqlRows(catalog, table), model);
    // The source's key range (3..77) rules out the files of ids 1000..1029: they are not touched.
    if (mode === "copy-on-write") assert.equal(deleted.dataFilesRewritten, 2);

    const inserted = await mergeInto(
      engine,
      table,
      "SELECT * FROM (VALUES (1, 'x', 0), (2000, 'g9', 1)) AS s(id, grp, val)",
      { on: ["id"], whenMatched: "ignore", whenNotMatched: "insert" },
    );
    model = sortRows([...model, { id: 2000n, grp: "g9", val: 1n }]);
    assert.equal(inserted.rowsInserted, 1n);
    assert.equal(inserted.rowsUpdated, 0n);
    assert.equal(table.currentSnapshot()!.summary.operation, "append");
    assert.deepEqual(await sqlRows(catalog, table), model);

    const head = table.currentSnapshot()!["snapshot-id"];
    await assert.rejects(
      mergeInto(engine, table, "SELECT * FROM (VALUES (7, 1), (7, 2)) AS s(id, val)", {
        on: ["id"],
        whenMatched: "update",
        whenNotMatched: "insert",
      }),
      /2 source rows match the same target row on \(id\)/,
    );
    assert.equal(table.currentSnapshot()!["snapshot-id"], head, "nothing was committed");
    await assert.rejects(
      mergeInto(engine, table, "SELECT 1 AS id, 2 AS other", {
        on: ["id"],
        whenMatched: "update",
        whenNotMatched: "ignore",
      }),
      /source columns not in the table: other/,
    );
    // Merging an empty source changes nothing.
    const none = await mergeInto(engine, table, "SELECT 1::BIGINT AS id WHERE false", {
      on: ["id"],
      whenMatched: "update",
      whenNotMatched: "insert",
    });
    assert.equal(none.snapshotId, null);
  });
}

test("merge into an empty table inserts every source row", async () => {
  const { catalog, table } = await newDmlTable(`${dir}/empty-merge`);
  const result = await mergeInto(engine, table, rowsSql(0, 5), {
    on: ["id"],
    whenMatched: "update",
    whenNotMatched: "insert",
  });
  assert.equal(result.rowsInserted, 5n);
  assert.deepEqual(await sqlRows(catalog, table), modelRows(0, 5));
  const updated = await updateWhere(engine, table, { val: "0" }, equal("id", 2));
  assert.equal(updated.rowsUpdated, 1n);
});
