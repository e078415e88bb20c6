/**
 * Commit-path micro-benchmark: `--commits N` (default 1000) metadata-only merging appends of one
 * small DataFile each to a clicks-layout table in a SQLite catalog (the same commits as the main
 * benchmark's commit figure, without loading data), each timed from `newAppend()` to the catalog's
 * answer (manifests, manifest list, metadata file, pointer swap). Prints p50/p95 per block of
 * `--block B` commits (default 500), so a commit path that slows down with history shows as
 * growing blocks. `npx tsx bench/commit.ts [--commits N] [--block B]`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openCatalog } from "../src/catalog/open-catalog.ts";
import { createClicksTable } from "../src/clicks/schema.ts";
import { fakeFile } from "./commit-figures.ts";
import { percentile } from "./stats.ts";

function intOption(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

const commits = intOption("commits", 1000);
const block = intOption("block", 500);
const warehouse = await mkdtemp(path.join(tmpdir(), "floe-bench-commit-"));
const catalog = await openCatalog(`sqlite:${path.join(warehouse, "catalog.db")}`, { warehouse });
try {
  const table = await createClicksTable(catalog, { namespace: ["bench"], name: "commits" });
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < commits; i++) {
    const file = fakeFile(table.location(), "2025-01-01", i);
    const started = performance.now();
    await table.newAppend().appendFile(file).commit();
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  console.log(`${commits} merging appends, ${((used.user + used.system) / 1000 / commits).toFixed(2)} CPU ms each`);
  for (let first = 0; first < commits; first += block) {
    const slice = times.slice(first, first + block);
    console.log(
      `commits ${first + 1}-${first + slice.length}: p50 ${percentile(slice, 50).toFixed(2)} ms, p95 ${percentile(slice, 95).toFixed(2)} ms`,
    );
  }
} finally {
  await catalog.close();
  await rm(warehouse, { recursive: true, force: true });
}
