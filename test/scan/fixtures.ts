// Shared setup of the scan tests: click-style tables built through the table API in a memory
// catalog, data files with realistic partition values and metrics, and delete-file snapshots
// committed through the catalog (the table API has no row-delta action yet).
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { newSnapshotId, newUuid } from "../../src/core/ids.ts";
import type { FileIO } from "../../src/io/file-io.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { readManifestList, writeManifestList } from "../../src/manifest/manifest-list.ts";
import { writeManifest } from "../../src/manifest/manifest-writer.ts";
import {
  type DataFile,
  DataFileContent,
  ManifestContent,
  type ManifestEntry,
  ManifestEntryStatus,
} from "../../src/manifest/types.ts";
import { toBytes } from "../../src/spec/conversions.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import type { Schema, Value } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";

export const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "element_id", required: true, type: "long" },
    { id: 2, name: "event_time", required: true, type: "timestamp" },
    { id: 3, name: "page", required: false, type: "string" },
    { id: 4, name: "score", required: false, type: "double" },
    { id: 5, name: "country", required: false, type: "string" },
  ],
};

export const DAY_SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [{ "source-id": 2, "field-id": 1000, name: "event_time_day", transform: "day" }],
};

export const UNPARTITIONED: PartitionSpec = { "spec-id": 0, fields: [] };

const MICROS_PER_HOUR = 3_600_000_000n;
/** Days since epoch of an ISO date. */
export const dayOf = (isoDate: string): number => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
/** Microseconds since epoch of an ISO timestamp (UTC). */
export const micros = (iso: string): bigint => BigInt(Date.parse(`${iso}Z`)) * 1000n;

export interface FileOptions {
  /** ISO date the file's events fall on (default 2025-01-01). */
  day?: string;
  records?: bigint;
  minId?: bigint;
  maxId?: bigint;
  /** Partition tuple; default [day of `day`]. */
  partition?: Value[];
  size?: bigint;
  /** Null count of page (default 0); equal to records makes page all-null. */
  pageNulls?: bigint;
  /** NaN count of score (default 0); equal to records makes score all-NaN. */
  scoreNaNs?: bigint;
  /** Country bounds (default "DE".."US"). */
  countries?: [string, string];
  content?: DataFileContent;
  equalityIds?: number[];
  referencedDataFile?: string;
}

/** A file of the test table with value, null and NaN counts and bounds for every column. */
export function dataFile(path: string, options: FileOptions = {}): DataFile {
  const day = options.day ?? "2025-01-01";
  const records = options.records ?? 1000n;
  const dayStart = micros(`${day}T00:00:00`);
  const pageNulls = options.pageNulls ?? 0n;
  const scoreNaNs = options.scoreNaNs ?? 0n;
  const [countryLow, countryHigh] = options.countries ?? ["DE", "US"];
  const lowerBounds = new Map<number, Uint8Array>([
    [1, toBytes("long", options.minId ?? 1n)],
    [2, toBytes("timestamp", dayStart)],
    [5, toBytes("string", countryLow)],
  ]);
  const upperBounds = new Map<number, Uint8Array>([
    [1, toBytes("long", options.maxId ?? 100n)],
    [2, toBytes("timestamp", dayStart + 24n * MICROS_PER_HOUR - 1n)],
    [5, toBytes("string", countryHigh)],
  ]);
  if (pageNulls < records) {
    lowerBounds.set(3, toBytes("string", "/a"));
    upperBounds.set(3, toBytes("string", "/z"));
  }
  if (scoreNaNs < records) {
    lowerBounds.set(4, toBytes("double", 0.5));
    upperBounds.set(4, toBytes("double", 9.5));
  }
  const file: DataFile = {
    content: options.content ?? DataFileContent.Data,
    filePath: path,
    fileFormat: "PARQUET",
    partition: options.partition ?? [dayOf(day)],
    recordCount: records,
    fileSizeInBytes: options.size ?? records * 40n,
    valueCounts: new Map([1, 2, 3, 4, 5].map((id) => [id, records])),
    nullValueCounts: new Map([
      [1, 0n],
      [2, 0n],
      [3, pageNulls],
      [4, 0n],
      [5, 0n],
    ]),
    nanValueCounts: new Map([[4, scoreNaNs]]),
    lowerBounds,
    upperBounds,
  };
  if (options.equalityIds) file.equalityIds = options.equalityIds;
  if (options.referencedDataFile) file.referencedDataFile = options.referencedDataFile;
  return file;
}

/** A position delete file; `forPath` sets file_path bounds equal to that path (one referenced file). */
export function positionDeletes(path: string, options: FileOptions & { forPath?: string } = {}): DataFile {
  const file = dataFile(path, {
    ...options,
    content: DataFileContent.PositionDeletes,
    records: options.records ?? 10n,
  });
  // Position delete files carry metrics of their own columns, not of the table's.
  file.valueCounts = undefined;
  file.nullValueCounts = undefined;
  file.nanValueCounts = undefined;
  file.lowerBounds = undefined;
  file.upperBounds = undefined;
  if (options.forPath) {
    const bytes = new TextEncoder().encode(options.forPath);
    file.lowerBounds = new Map([[2147483546, bytes]]);
    file.upperBounds = new Map([[2147483546, bytes]]);
  }
  return file;
}

/** An equality delete file on element_id (by default) with element_id bounds minId..maxId. */
export function equalityDeletes(path: string, options: FileOptions = {}): DataFile {
  return dataFile(path, {
    ...options,
    content: DataFileContent.EqualityDeletes,
    equalityIds: options.equalityIds ?? [1],
    records: options.records ?? 10n,
  });
}

/** A memory catalog, its FileIO and a table in it (format v2). */
export async function newTable(
  options: { spec?: PartitionSpec; schema?: Schema; properties?: Record<string, string>; catalog?: MemoryCatalog } = {},
): Promise<{ catalog: MemoryCatalog; io: FileIO; table: Table }> {
  const catalog = options.catalog ?? new MemoryCatalog({ io: new MemoryFileIO(), warehouse: "memory://warehouse" });
  if (!(await catalog.namespaceExists(["clicks"]))) await catalog.createNamespace(["clicks"]);
  const loaded = await catalog.createTable(
    { namespace: ["clicks"], name: `events_${newUuid().slice(0, 8)}` },
    { schema: options.schema ?? SCHEMA, partitionSpec: options.spec ?? DAY_SPEC, properties: options.properties },
  );
  return { catalog, io: loaded.io, table: new Table(catalog, loaded) };
}

/**
 * Commits a snapshot on main that adds `groups` of files (one manifest per group: a delete
 * manifest for delete files, a data manifest for data files) on top of the current snapshot's
 * manifests, as a row-delta would; returns the new snapshot.
 */
export async function commitDeletes(
  table: Table,
  groups: Array<{ specId?: number; files: DataFile[] }>,
): Promise<Snapshot> {
  const base = table.metadata;
  const parent = table.currentSnapshot();
  const snapshotId = newSnapshotId();
  const sequenceNumber = base["last-sequence-number"] + 1n;
  const folder = `${base.location}/metadata`;
  const schema = table.schema();
  const inherited = parent ? await readManifestList(table.io, parent["manifest-list"]!) : [];
  const added = [];
  for (const group of groups) {
    const isData = group.files.every((file) => file.content === DataFileContent.Data);
    const spec = table.specs().get(group.specId ?? base["default-spec-id"])!;
    const entries: ManifestEntry[] = group.files.map((file) => ({
      status: ManifestEntryStatus.Added,
      snapshotId,
      sequenceNumber: null,
      fileSequenceNumber: null,
      dataFile: file,
    }));
    added.push(
      await writeManifest(table.io, `${folder}/${newUuid()}-${isData ? "data" : "deletes"}.avro`, {
        spec,
        schema,
        content: isData ? ManifestContent.Data : ManifestContent.Deletes,
        snapshotId,
        entries,
      }),
    );
  }
  const listPath = `${folder}/snap-${snapshotId}-1-${newUuid()}.avro`;
  await writeManifestList(table.io, listPath, {
    snapshotId,
    parentSnapshotId: parent?.["snapshot-id"] ?? null,
    sequenceNumber,
    manifests: [...added, ...inherited],
  });
  const snapshot: Snapshot = {
    "snapshot-id": snapshotId,
    "sequence-number": sequenceNumber,
    "timestamp-ms": Date.now(),
    "manifest-list": listPath,
    summary: { operation: "overwrite" },
    "schema-id": schema["schema-id"],
  };
  if (parent) snapshot["parent-snapshot-id"] = parent["snapshot-id"];
  const loaded = await table.catalog.commitTable(
    table.identifier,
    [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parent?.["snapshot-id"] ?? null }],
    [
      { action: "add-snapshot", snapshot },
      { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": snapshotId },
    ],
  );
  table.adopt(loaded);
  return snapshot;
}

/** Waits until the clock has moved past the last snapshot's timestamp, so time travel can tell commits apart. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));

/** The file paths of a plan's tasks, sorted. */
export const taskPaths = (tasks: { file: DataFile }[]): string[] => tasks.map((task) => task.file.filePath).sort();
