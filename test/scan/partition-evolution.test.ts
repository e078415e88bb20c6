import assert from "node:assert/strict";
import { test } from "node:test";
import { and, equal, greaterThanOrEqual } from "../../src/expr/expressions.ts";
import { expressionToString } from "../../src/expr/to-string.ts";
import { planScan } from "../../src/scan/index.ts";
import { dataFile, dayOf, newTable, taskPaths } from "./fixtures.ts";

/** Files under spec 0 (day) and, after evolution, spec 1 (day, country). */
async function evolvedTable() {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFile(dataFile("s0-01-01.parquet", { day: "2025-01-01" }))
    .commit();
  await table
    .newFastAppend()
    .appendFile(dataFile("s0-01-02.parquet", { day: "2025-01-02" }))
    .commit();
  await table.updateSpec().addField("country").commit();
  assert.equal(table.spec()["spec-id"], 1);
  assert.deepEqual(
    table.spec().fields.map((f) => f.name),
    ["event_time_day", "country"],
  );
  const day = dayOf("2025-01-02");
  await table
    .newFastAppend()
    .appendFile(dataFile("s1-01-02-US.parquet", { day: "2025-01-02", partition: [day, "US"], countries: ["US", "US"] }))
    .commit();
  await table
    .newFastAppend()
    .appendFile(dataFile("s1-01-02-DE.parquet", { day: "2025-01-02", partition: [day, "DE"], countries: ["DE", "DE"] }))
    .commit();
  return { table, io };
}

test("files under the old and the new spec are both planned, each pruned by its own spec", async () => {
  const { table, io } = await evolvedTable();
  const all = await planScan(io, table.metadata);
  assert.equal(all.tasks.length, 4);
  assert.deepEqual(all.tasks.map((t) => [t.file.filePath, t.spec["spec-id"]]).sort(), [
    ["s0-01-01.parquet", 0],
    ["s0-01-02.parquet", 0],
    ["s1-01-02-DE.parquet", 1],
    ["s1-01-02-US.parquet", 1],
  ]);

  const plan = await planScan(io, table.metadata, {
    filter: and(greaterThanOrEqual("event_time", "2025-01-02"), equal("country", "US")),
  });
  // Spec 0 cannot prune by country (its file keeps a DE..US range); spec 1 prunes DE by partition.
  assert.deepEqual(taskPaths(plan.tasks), ["s0-01-02.parquet", "s1-01-02-US.parquet"]);
  const reasons = plan.explain.manifests.details.filter((d) => !d.kept).map((d) => d.reason);
  assert.equal(reasons.length, 2);
  assert.ok(
    reasons.some((r) => r.includes("spec 0: event_time_day 2025-01-01..2025-01-01")),
    reasons.join("\n"),
  );
  assert.ok(
    reasons.some((r) => r.includes("spec 1: event_time_day 2025-01-02..2025-01-02, country DE..DE")),
    reasons.join("\n"),
  );

  // Residuals follow each file's spec: spec 1 proves the country, spec 0 does not.
  const residual = (path: string) => expressionToString(plan.tasks.find((t) => t.file.filePath === path)!.residual);
  assert.equal(residual("s1-01-02-US.parquet"), "true");
  assert.match(residual("s0-01-02.parquet"), /^country = /);
});

test("a spec that dropped the day field prunes its files by metrics only", async () => {
  const { table, io } = await newTable();
  await table
    .newFastAppend()
    .appendFile(dataFile("day.parquet", { day: "2025-01-01" }))
    .commit();
  await table.updateSpec().removeField("event_time_day").addField("country").commit();
  await table
    .newFastAppend()
    .appendFiles([
      dataFile("us-0101.parquet", { day: "2025-01-01", partition: ["US"], countries: ["US", "US"] }),
      dataFile("us-0105.parquet", { day: "2025-01-05", partition: ["US"], countries: ["US", "US"] }),
    ])
    .commit();
  const plan = await planScan(io, table.metadata, { filter: greaterThanOrEqual("event_time", "2025-01-03") });
  assert.deepEqual(taskPaths(plan.tasks), ["us-0105.parquet"]);
  assert.equal(plan.explain.dataFiles.prunedByMetrics, 1);
  assert.equal(plan.explain.manifests.pruned, 1, "the spec 0 manifest falls to its day summary");
});
