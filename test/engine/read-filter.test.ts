// Filters as SQL: every expression must select in DuckDB exactly the rows floe's own row evaluator
// selects (nulls and NaN included), and table scans must apply residuals after pruning.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { expressionToSql } from "../../src/engine/read/expr-to-sql.ts";
import { valueToSql } from "../../src/engine/read/sql-literals.ts";
import { tableScanSql } from "../../src/engine/read/table-query.ts";
import { appendQuery } from "../../src/engine/write/append-query.ts";
import {
  type Expression,
  and,
  equal,
  greaterThan,
  greaterThanOrEqual,
  isIn,
  isNaN as isNaNPredicate,
  isNull,
  lessThan,
  lessThanOrEqual,
  not,
  notEqual,
  notIn,
  notNaN,
  notNull,
  notStartsWith,
  or,
  startsWith,
} from "../../src/expr/expressions.ts";
import { rowEvaluator } from "../../src/expr/row-evaluator.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema, Value } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";
import { tempDir } from "./read-fixtures.ts";

let engine: Engine;
let dir: string;
let cleanup: () => void;
before(async () => {
  engine = await Engine.create({ threads: 2 });
  ({ dir, cleanup } = tempDir("read-filter"));
});
after(() => {
  engine.close();
  cleanup();
});

const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "int" },
    { id: 2, name: "d", required: false, type: "double" },
    { id: 3, name: "s", required: false, type: "string" },
    { id: 4, name: "ts", required: false, type: "timestamptz" },
    { id: 5, name: "amount", required: false, type: "decimal(9,2)" },
    { id: 6, name: "day", required: false, type: "date" },
    {
      id: 7,
      name: "nested",
      required: false,
      type: { type: "struct", fields: [{ id: 8, name: "n", required: false, type: "long" }] },
    },
  ],
};

const T0 = 1_735_689_600_000_000n; // 2025-01-01T00:00:00Z in µs
const ROWS: Value[][] = [
  [1, 1.5, "apple", T0, 150n, 20089, 10n],
  [2, Number.NaN, "banana", T0 + 1n, -5n, 20090, null],
  [3, null, null, null, null, null, 30n],
  [4, -0.5, "apricot", T0 + 3_600_000_000n, 99999n, 20000, 40n],
  [5, 2, "", T0 - 1n, 0n, 20089, null],
];

test("expression SQL selects exactly the rows the row evaluator selects", async () => {
  const values = ROWS.map(
    (row) =>
      `(${SCHEMA.fields
        .map((field, i) =>
          field.id === 7
            ? row[i] === null
              ? "NULL"
              : `{'n': ${valueToSql("long", row[i])}}`
            : valueToSql(field.type, row[i]),
        )
        .join(", ")})`,
  );
  const relation = `SELECT * FROM (VALUES ${values.join(", ")}) AS v(id, d, s, ts, amount, day, nested)`;
  const expressions: Expression[] = [
    equal("d", 1.5),
    notEqual("d", 1.5),
    lessThan("d", 100),
    greaterThan("d", -1),
    greaterThanOrEqual("d", 2),
    isNaNPredicate("d"),
    notNaN("d"),
    isIn("d", [1.5, 2]),
    notIn("d", [1.5, 2]),
    isNull("s"),
    notNull("s"),
    startsWith("s", "ap"),
    notStartsWith("s", "ap"),
    equal("s", ""),
    lessThan("s", "b"),
    greaterThanOrEqual("ts", "2025-01-01T00:00:00+00:00"),
    lessThan("ts", "2025-01-01T00:30:00+00:00"),
    equal("amount", "1.50"),
    greaterThan("amount", "0"),
    lessThanOrEqual("day", "2025-01-01"),
    notIn("day", ["2025-01-01", "2025-01-02"]),
    equal("nested.n", 30),
    notEqual("nested.n", 30),
    not(equal("s", "apple")),
    not(and(greaterThan("d", 0), startsWith("s", "a"))),
    or(isNull("d"), and(notNaN("d"), lessThan("d", 0))),
    not(or(isNaNPredicate("d"), notIn("s", ["apple", "banana"]))),
  ];
  for (const expr of expressions) {
    const matches = rowEvaluator(SCHEMA, expr);
    const expected = ROWS.filter((row) => matches(row.map((v, i) => (i === 6 ? (v === null ? null : [v]) : v)))).map(
      (row) => row[0],
    );
    const sql = expressionToSql(SCHEMA, expr, { qualifier: "v" });
    const rows = await engine.all<{ id: number }>(`SELECT v.id FROM (${relation}) AS v WHERE ${sql} ORDER BY v.id`);
    assert.deepEqual(
      rows.map((r) => r.id),
      expected,
      `${JSON.stringify(expr, (_k, x) => (typeof x === "bigint" ? String(x) : x))} as ${sql}`,
    );
  }
});

test("a table scan prunes partitions and filters the rest with residuals", async () => {
  const schema: Schema = {
    type: "struct",
    "schema-id": 0,
    fields: [
      { id: 1, name: "id", required: true, type: "long" },
      { id: 2, name: "category", required: false, type: "string" },
    ],
  };
  const spec: PartitionSpec = {
    "spec-id": 0,
    fields: [{ "source-id": 2, "field-id": 1000, name: "category", transform: "identity" }],
  };
  const catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(dir, "wh") });
  await catalog.createNamespace(["db"]);
  const table = new Table(
    catalog,
    await catalog.createTable({ namespace: ["db"], name: "t" }, { schema, partitionSpec: spec }),
  );
  await appendQuery(
    engine,
    table,
    "SELECT range AS id, CASE WHEN range < 5 THEN 'a' ELSE 'b' END AS category FROM range(10)",
  );
  const scan = await tableScanSql(engine, table.io, table.metadata, {
    filter: and(equal("category", "b"), greaterThan("id", 6)),
    columns: ["id"],
  });
  assert.equal(scan.plan.tasks.length, 1, "the category=a file is pruned");
  const rows = await engine.all<{ id: bigint }>(`SELECT * FROM (${scan.sql}) ORDER BY id`);
  assert.deepEqual(rows, [{ id: 7n }, { id: 8n }, { id: 9n }]);
});
