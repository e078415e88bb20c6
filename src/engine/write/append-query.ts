/**
 * INSERT INTO for Iceberg tables: writes the rows of a SQL query as data files laid out by the
 * table's current schema, default partition spec and sort order, then commits them as one append
 * snapshot through the table API (whose commit loop retries on conflicts; appends never conflict
 * on data). If the commit provably failed, the written files are deleted — nothing references them.
 */
import type { DataFile } from "../../manifest/types.ts";
import { joinLocation } from "../../io/locations.ts";
import { WRITE_DATA_LOCATION } from "../../spec/table-properties.ts";
import { commitNewFiles } from "../../table/commit-new-files.ts";
import type { Table } from "../../table/table.ts";
import type { Engine } from "../duckdb.ts";
import { writeDataFiles } from "./write-data-files.ts";

/** Options of appendQuery. */
export interface AppendQueryOptions {
  /** Overrides write.target-file-size-bytes. */
  targetFileSizeBytes?: number | bigint;
  /** Overrides the row group size in rows. */
  rowGroupRows?: number;
  /** Commit with a fast append (never merges manifests) instead of the merging append. */
  fastAppend?: boolean;
  /** Extra snapshot summary properties. */
  summary?: Record<string, string>;
}

/** What an append wrote and committed. */
export interface AppendResult {
  files: DataFile[];
  recordCount: bigint;
  /** The new snapshot's id, or null when the query produced no rows (nothing committed). */
  snapshotId: bigint | null;
}

/** The data directory of a table: write.data.path, else <location>/data. */
export const dataLocation = (table: Table): string =>
  table.properties()[WRITE_DATA_LOCATION] ?? joinLocation(table.location(), "data");

/** Writes the rows of `sql` into `table` and commits them as one append snapshot. */
export async function appendQuery(
  engine: Engine,
  table: Table,
  sql: string,
  options: AppendQueryOptions = {},
): Promise<AppendResult> {
  const files = await writeDataFiles(engine, table.io, {
    source: sql,
    schema: table.schema(),
    spec: table.spec(),
    sortOrder: table.sortOrder(),
    location: dataLocation(table),
    targetFileSizeBytes: options.targetFileSizeBytes,
    rowGroupRows: options.rowGroupRows,
    properties: table.properties(),
  });
  const recordCount = files.reduce((sum, f) => sum + f.recordCount, 0n);
  if (files.length === 0) return { files, recordCount, snapshotId: null };
  await commitNewFiles(table, files, { fastAppend: options.fastAppend, summary: options.summary });
  return { files, recordCount, snapshotId: table.currentSnapshot()?.["snapshot-id"] ?? null };
}
