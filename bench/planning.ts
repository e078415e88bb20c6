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
import { dayNumber, dayString } from "../src/clicks/generator-sql.ts";
import { createClicksTable } from "../src/clicks/schema.ts";
import { isFloeError } from "../src/core/errors.ts";
import { and, equal, greaterThanOrEqual, lessThan } from "../src/expr/expressions.ts";
import { joinLocation } from "../src/io/locations.ts";
import { clearManifestCaches, manifestCacheStats } from "../src/manifest/manifest-cache.ts";
import { type DataFile, DataFileContent } from "../src/manifest/types.ts";
import { planScan } from "../src/scan/plan.ts";
import { toBytes } from "../src/spec/conversions.ts";
import { Table } from "../src/table/table.ts";
import { latency, repeat } from "./stats.ts";

const START = "2025-01-01";
const SPREAD_DAYS = 100;
const ELEMENTS_PER_FILE = 100n;
const MICROS_PER_DAY = 86_400_000_000n;

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

/** A one-row-group DataFile entry for commit `i`: its day partition and element range as bounds. */
function fakeFile(location: string, i: number): DataFile {
  const day = dayNumber(START) + (i % SPREAD_DAYS);
  const firstElement = BigInt(i) * ELEMENTS_PER_FILE + 1n;
  const dayMicros = BigInt(day) * MICROS_PER_DAY;
  return {
    content: DataFileContent.Data,
    filePath: joinLocation(location, "data", `event_time_day=${dayString(day)}`, `bench-${i}.parquet`),
    fileFormat: "PARQUET",
    partition: [day],
    recordCount: 1000n,
    fileSizeInBytes: 60_000n,
    valueCounts: new Map([
      [4, 1000n],
      [8, 1000n],
    ]),
    nullValueCounts: new Map([
      [4, 0n],
      [8, 0n],
    ]),
    lowerBounds: new Map([
      [4, toBytes("long", firstElement)],
      [8, toBytes("timestamp", dayMicros)],
    ]),
    upperBounds: new Map([
      [4, toBytes("long", firstElement + ELEMENTS_PER_FILE - 1n)],
      [8, toBytes("timestamp", dayMicros + MICROS_PER_DAY - 1n)],
    ]),
    sortOrderId: 1,
    specId: 0,
  };
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
        await table.newAppend().appendFile(fakeFile(table.location(), i)).commit();
        if ((i + 1) % 100 === 0)
          console.log(`commit ${i + 1}/${commits} (${Math.round(performance.now() - started)} ms)`);
      }
      table = await Table.load(catalog, id);
      clearManifestCaches();
    }

    const target = Math.floor(commits / 2);
    const day = dayNumber(START) + (target % SPREAD_DAYS);
    const filter = and(
      equal("element_id", BigInt(target) * ELEMENTS_PER_FILE + 7n),
      greaterThanOrEqual("event_time", `${dayString(day - 3)}T00:00:00`),
      lessThan("event_time", `${dayString(day + 4)}T00:00:00`),
    );
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
