// Shared setup of the read-path tests: Parquet files written with plain DuckDB COPY and FIELD_IDS
// (as any Iceberg writer would lay them out), and the DataFile entries a manifest would hold.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Engine } from "../../src/engine/duckdb.ts";
import type { FileIO } from "../../src/io/file-io.ts";
import { type DataFile, DataFileContent, ManifestContent, ManifestEntryStatus } from "../../src/manifest/types.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Snapshot } from "../../src/spec/snapshot.ts";
import type { TableMetadata } from "../../src/spec/table-metadata.ts";
import type { Value } from "../../src/spec/types.ts";
import type { ActionTarget, CommitContext } from "../../src/table/action.ts";
import { snapshotManifests } from "../../src/table/file-change-producer.ts";
import { type ProducedSnapshot, SnapshotProducer } from "../../src/table/snapshot-producer.ts";
import { SummaryBuilder } from "../../src/table/summary.ts";

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `floe-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const UNPARTITIONED: PartitionSpec = { "spec-id": 0, fields: [] };

/** Writes `select` to a Parquet file with the given FIELD_IDS option and returns its DataFile entry. */
export async function writeParquet(
  engine: Engine,
  file: string,
  select: string,
  fieldIds: string,
  options: { content?: DataFileContent; partition?: Value[]; equalityIds?: number[] } = {},
): Promise<DataFile> {
  const [{ count }] = await engine.all<{ count: bigint }>(`SELECT count(*) AS count FROM (${select})`);
  await engine.run(`COPY (${select}) TO '${file}' (FORMAT parquet, FIELD_IDS ${fieldIds})`);
  const dataFile: DataFile = {
    content: options.content ?? DataFileContent.Data,
    filePath: file,
    fileFormat: "PARQUET",
    partition: options.partition ?? [],
    recordCount: count,
    fileSizeInBytes: BigInt(statSync(file).size),
  };
  if (options.equalityIds) dataFile.equalityIds = options.equalityIds;
  return dataFile;
}

/** Rows of a relation, ordered by the given SQL expression. */
export async function rowsOf<T = Record<string, unknown>>(
  engine: Engine,
  relation: string,
  orderBy: string,
): Promise<T[]> {
  return engine.all<T>(`SELECT * FROM (${relation}) ORDER BY ${orderBy}`);
}

/** Test-only action: commits delete files (as the row-level delete writers of other engines do). */
export class AddDeleteFiles extends SnapshotProducer {
  readonly description = "add-delete-files";

  constructor(
    target: ActionTarget,
    private readonly files: DataFile[],
  ) {
    super(target);
  }

  protected async produce(base: TableMetadata, parent: Snapshot | null, ctx: CommitContext): Promise<ProducedSnapshot> {
    const entries = this.files.map((dataFile) => ({
      status: ManifestEntryStatus.Added,
      snapshotId: this.snapshotId,
      sequenceNumber: null,
      fileSequenceNumber: null,
      dataFile,
    }));
    const specId = this.files[0].specId ?? base["default-spec-id"];
    const manifest = await this.writeOwnManifest(ctx, base, specId, ManifestContent.Deletes, entries);
    const kept = parent ? await snapshotManifests(ctx.io, parent) : [];
    const summary = new SummaryBuilder();
    for (const file of this.files) summary.addedFile(file);
    return { operation: "delete", manifests: [manifest, ...kept], summary };
  }
}

/**
 * Writes a delete file with DuckDB (position deletes: columns file_path and pos with the reserved
 * field ids; equality deletes: the equality columns with their field ids) at `location`, going
 * through FileIO for non-local locations, and returns its DataFile entry.
 */
export async function writeDeleteFile(
  engine: Engine,
  io: FileIO,
  location: string,
  select: string,
  options: { equalityIds?: number[]; fieldIds?: string; partition?: Value[]; specId?: number },
): Promise<DataFile> {
  const local = location.startsWith("/")
    ? location
    : path.join(mkdtempSync(path.join(tmpdir(), "floe-del-")), "d.parquet");
  const fieldIds = options.fieldIds ?? "{file_path: 2147483546, pos: 2147483545}";
  const file = await writeParquet(engine, local, select, fieldIds, {
    content: options.equalityIds ? DataFileContent.EqualityDeletes : DataFileContent.PositionDeletes,
    partition: options.partition,
    equalityIds: options.equalityIds,
  });
  if (local !== location) await io.write(location, readFileSync(local));
  return { ...file, filePath: location, specId: options.specId };
}

/** Row positions of the rows with the given ids in a data file (ids in column "id"). */
export async function positionsOf(engine: Engine, file: string, ids: number[]): Promise<bigint[]> {
  const rows = await engine.all<{ p: bigint }>(
    `SELECT file_row_number AS p FROM read_parquet('${file}', file_row_number = true) WHERE id IN (${ids.join(", ")}) ORDER BY p`,
  );
  return rows.map((r) => r.p);
}
