/**
 * Scan-planning micro-benchmark: a clicks-layout table with C metadata-only appends (one DataFile
 * entry each, spread over 100 days, like the commit figures of run.ts), then planScan with an
 * element + one-week filter. Reports the first plan of the process (everything cold), plans with
 * the decoded-manifest cache cleared (decoding every manifest again, JIT and schema caches warm),
 * and warm plans (manifest caches hot). The table is kept in --work, so a second run skips the
 * commits.
 *
 *   npx tsx bench/planning.ts [--commits 1000] [--reps 50] [--work DIR]
 */
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openCatalog } from "../src/catalog/open-catalog.ts";
import { createClicksTable } from "../src/clicks/schema.ts";
import { isFloeError } from "../src/core/errors.ts";
import { clearManifestCaches, manifestCacheStats } from "../src/manifest/manifest-cache.ts";
import { planScan } from "../src/scan/plan.ts";
import { Table } from "../src/table/table.ts";
import { fakeFile, planningFilter } from "./commit-figures.ts";
import { latency, repeat } from "./stats.ts";

const START = "2025-01-01";

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function main(): Promise<void> {
  const commits = Number(flag("commits", "1000"));
  const reps = Number(flag("reps", "50"));
  const work = flag("work", path.join(os.tmpdir(), `floe-bench-planning-${commits}`));
  const warehouse = path.join(work, "warehouse");
  await mkdir(warehouse, { recursive: true });
  const catalog = await openCatalog(`sqlite:${path.join(warehouse, "catalog.db")}`, { warehouse });
  const id = { namespace: ["bench"], name: `planning_${commits}` };
  try {
    let table: Table;
    try {
      table = await Table.load(catalog, id);
    } catch (error) {
      if (!isFloeError(error)) throw error;
      table = await createClicksTable(catalog, id);
    }
    const made = table.metadata.snapshots?.length ?? 0;
    if (made < commits) {
      const started = performance.now();
      for (let i = made; i < commits; i++) {
        await table
          .newAppend()
          .appendFile(fakeFile(table.location(), START, i))
          .commit();
        if ((i + 1) % 100 === 0)
          console.log(`commit ${i + 1}/${commits} (${Math.round(performance.now() - started)} ms)`);
      }
      table = await Table.load(catalog, id);
      clearManifestCaches();
    }

    const filter = planningFilter(START, commits);
    const plan = () => planScan(table.io, table.metadata, { filter });

    let started = performance.now();
    const first = await plan();
    const firstMs = performance.now() - started;
    const coldTimes = await repeat(Math.min(reps, 20), 2, async () => {
      clearManifestCaches();
      started = performance.now();
      await plan();
    });
    const warm = latency(await repeat(reps, 2, plan));
    const cold = latency(coldTimes);
    console.log(
      JSON.stringify(
        {
          commits,
          manifests: first.explain.manifests.total,
          entriesDecoded: first.explain.dataFiles.considered,
          keptFiles: first.tasks.length,
          firstPlanMs: round(firstMs),
          coldManifestsP50Ms: round(cold.p50),
          coldManifestsP95Ms: round(cold.p95),
          warmP50Ms: round(warm.p50),
          warmP95Ms: round(warm.p95),
          cache: manifestCacheStats(),
          loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
        },
        null,
        2,
      ),
    );
  } finally {
    await catalog.close();
  }
}

await main();
