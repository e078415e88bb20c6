/**
 * Commit-path figures on a table of their own (clicks layout, default merging append): `commits`
 * metadata-only appends, each adding one small DataFile entry (no Parquet is written: the commit
 * path never opens data files), timed one by one from `newAppend()` to the catalog's answer
 * (manifest, manifest list, metadata file, catalog swap). Then scan planning of that table, with an
 * element + one-week filter, timed after one warm-up: what every query pays before DuckDB starts.
 */
import type { Catalog } from "../src/catalog/catalog.ts";
import { dayNumber, dayString } from "../src/clicks/generator-sql.ts";
import { createClicksTable } from "../src/clicks/schema.ts";
import { type Expression, and, equal, greaterThanOrEqual, lessThan } from "../src/expr/expressions.ts";
import { joinLocation } from "../src/io/locations.ts";
import { type DataFile, DataFileContent } from "../src/manifest/types.ts";
import { planScan } from "../src/scan/plan.ts";
import { toBytes } from "../src/spec/conversions.ts";
import { type Latency, latency, repeat } from "./stats.ts";

/** Days the fake files spread over, and element ids each covers. */
const SPREAD_DAYS = 100;
const ELEMENTS_PER_FILE = 100n;
const MICROS_PER_DAY = 86_400_000_000n;

/** Commit and planning figures. */
export interface CommitFigures {
  commits: number;
  /** The first min(200, commits) commits. */
  first: Latency;
  /** The last min(200, commits) commits (the table then holds that many snapshots). */
  last: Latency;
  planning: Latency;
  /** Manifests in the final snapshot (merging keeps this bounded). */
  manifests: number;
  /** Files the planning filter kept (of `commits`). */
  planningKeptFiles: number;
}

/** An element of a file committed mid-way, over the week holding that file's day. */
export function planningFilter(start: string, commits: number): Expression {
  const target = Math.floor(commits / 2);
  const day = dayNumber(start) + (target % SPREAD_DAYS);
  return and(
    equal("element_id", BigInt(target) * ELEMENTS_PER_FILE + 7n),
    greaterThanOrEqual("event_time", `${dayString(day - 3)}T00:00:00`),
    lessThan("event_time", `${dayString(day + 4)}T00:00:00`),
  );
}

/** A one-row-group DataFile entry for commit `i`: its day partition and element range as bounds. */
export function fakeFile(location: string, start: string, i: number): DataFile {
  const day = dayNumber(start) + (i % SPREAD_DAYS);
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

/** Makes `commits` one-file appends, then times planning; `onProgress` after every 100 commits. */
export async function commitFigures(
  catalog: Catalog,
  start: string,
  commits: number,
  reps: number,
  onProgress: (done: number) => void,
): Promise<CommitFigures> {
  const table = await createClicksTable(catalog, { namespace: ["bench"], name: "commits" });
  const times: number[] = [];
  for (let i = 0; i < commits; i++) {
    const file = fakeFile(table.location(), start, i);
    const started = performance.now();
    await table.newAppend().appendFile(file).commit();
    times.push(performance.now() - started);
    if ((i + 1) % 100 === 0) onProgress(i + 1);
  }
  const window = Math.min(200, commits);

  const filter = planningFilter(start, commits);
  let kept = 0;
  let manifests = 0;
  const planning = await repeat(reps, 1, async () => {
    const plan = await planScan(table.io, table.metadata, { filter });
    kept = plan.tasks.length;
    manifests = plan.explain.manifests.total;
  });
  return {
    commits,
    first: latency(times.slice(0, window)),
    last: latency(times.slice(-window)),
    planning: latency(planning),
    manifests,
    planningKeptFiles: kept,
  };
}
