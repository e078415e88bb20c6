// Shared setup of the table tests: an in-memory catalog, a click-style table partitioned by
// day(event_time), and data files with realistic metrics (never read: metadata-level tests).
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { type DataFile, DataFileContent, ManifestEntryStatus } from "../../src/manifest/types.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";

export const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "element_id", required: true, type: "long" },
    { id: 2, name: "event_time", required: true, type: "timestamp" },
    { id: 3, name: "page", required: false, type: "string" },
  ],
};

export const DAY_SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [{ "source-id": 2, "field-id": 1000, name: "event_time_day", transform: "day" }],
};

const MICROS_PER_DAY = 86_400_000_000n;
/** Days since epoch of an ISO date. */
export const dayOf = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);

export interface FileOptions {
  /** ISO date of the partition (default 2025-01-01). */
  day?: string;
  records?: bigint;
  /** Element id range in the file. */
  minId?: bigint;
  maxId?: bigint;
  /** Hours into the day covered by event_time (default the whole day). */
  fromHour?: number;
  toHour?: number;
  size?: bigint;
  /** Partition values to use instead of [day]; [] for unpartitioned tables. */
  partition?: (number | null)[];
}

/** A data file of the test table with value counts, null counts and bounds for every column. */
export function dataFile(path: string, options: FileOptions = {}): DataFile {
  const day = dayOf(options.day ?? "2025-01-01");
  const records = options.records ?? 1000n;
  const dayStart = BigInt(day) * MICROS_PER_DAY;
  const minTs = dayStart + BigInt(options.fromHour ?? 0) * 3_600_000_000n;
  const maxTs = dayStart + BigInt(options.toHour ?? 24) * 3_600_000_000n - 1n;
  return {
    content: DataFileContent.Data,
    filePath: path,
    fileFormat: "PARQUET",
    partition: options.partition ?? [day],
    recordCount: records,
    fileSizeInBytes: options.size ?? records * 40n,
    columnSizes: new Map([
      [1, records * 8n],
      [2, records * 8n],
      [3, records * 20n],
    ]),
    valueCounts: new Map([
      [1, records],
      [2, records],
      [3, records],
    ]),
    nullValueCounts: new Map([
      [1, 0n],
      [2, 0n],
      [3, 0n],
    ]),
    lowerBounds: new Map([
      [1, toBytes("long", options.minId ?? 1n)],
      [2, toBytes("timestamp", minTs)],
      [3, toBytes("string", "/a")],
    ]),
    upperBounds: new Map([
      [1, toBytes("long", options.maxId ?? 100n)],
      [2, toBytes("timestamp", maxTs)],
      [3, toBytes("string", "/z")],
    ]),
  };
}

/** A memory catalog (with its FileIO) and the test table in it. */
export async function newTable(
  options: { properties?: Record<string, string>; spec?: PartitionSpec; name?: string; catalog?: MemoryCatalog } = {},
): Promise<{ catalog: MemoryCatalog; io: MemoryFileIO; table: Table }> {
  const io = new MemoryFileIO();
  const catalog = options.catalog ?? new MemoryCatalog({ io, warehouse: "memory://warehouse" });
  if (!(await catalog.namespaceExists(["clicks"]))) await catalog.createNamespace(["clicks"]);
  const identifier = { namespace: ["clicks"], name: options.name ?? "events" };
  const loaded = await catalog.createTable(identifier, {
    schema: SCHEMA,
    partitionSpec: options.spec ?? DAY_SPEC,
    properties: options.properties,
  });
  return { catalog, io: loaded.io as MemoryFileIO, table: new Table(catalog, loaded) };
}

/** Every live data file path of the table's current snapshot (or of `ref`), sorted. */
export async function livePaths(table: Table, ref = "main"): Promise<string[]> {
  const snapshot = table.snapshotByRef(ref) ?? (ref === "main" ? table.currentSnapshot() : null);
  if (!snapshot) return [];
  const paths: string[] = [];
  for (const manifest of await readManifestList(table.io, snapshot["manifest-list"]!)) {
    for (const entry of await readManifest(table.io, manifest)) {
      if (entry.status !== ManifestEntryStatus.Deleted) paths.push(entry.dataFile.filePath);
    }
  }
  return paths.sort();
}
