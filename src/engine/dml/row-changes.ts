/**
 * The machinery DELETE, UPDATE and MERGE share. A command names, over the rows of the planned
 * data files (see row-relation.ts), which rows it removes or replaces ("changed rows", by file
 * and position) and which rows it adds (updated and inserted rows). Then, in one snapshot:
 *
 * - copy-on-write: every data file holding a changed row is rewritten without those rows, the new
 *   rows written beside them, through the table's layout and sort order (writeDataFiles); the old
 *   files, and position delete files that only named them, are replaced by RewriteFiles;
 * - merge-on-read: the changed rows get position delete files (one per data file), the new rows
 *   new data files, committed by RowDelta.
 *
 * Files a filter provably matches whole (strict metrics or partition) are simply removed in both
 * modes. Both commits validate against concurrent commits since the planned snapshot, scoped by
 * the command's conflict filter, and retry through the table's commit loop. Rows never pass
 * through JavaScript: the changed rows live in a DuckDB temp table for the command's duration.
 */
import { randomUUID } from "node:crypto";
import { FloeError } from "../../core/errors.ts";
import type { Expression } from "../../expr/expressions.ts";
import { type DataFile, DataFileContent } from "../../manifest/types.ts";
import { referencedDataFile } from "../../scan/delete-index.ts";
import { type FileScanTask, planScan } from "../../scan/plan.ts";
import type { Schema } from "../../spec/types.ts";
import { PARQUET_COMPRESSION, PARQUET_COMPRESSION_DEFAULT, propertyString } from "../../spec/table-properties.ts";
import { fileFilter } from "../../table/file-filter.ts";
import type { Table } from "../../table/table.ts";
import type { Engine } from "../duckdb.ts";
import { type FileCache, defaultFileCache } from "../read/file-cache.ts";
import { quoteIdent } from "../read/sql-text.ts";
import { duckdbType } from "../sql/types.ts";
import { dataLocation } from "../write/append-query.ts";
import { writeDataFiles } from "../write/write-data-files.ts";
import { type IsolationLevel, type RowLevelMode, isolationLevel } from "./modes.ts";
import type { RowLevelCommand } from "./modes.ts";
import { type DeletedFrom, writePositionDeletes } from "./position-deletes.ts";
import { ROW_FILE, ROW_POS, rowRelationSql } from "./row-relation.ts";

/** Options every row-level command takes. */
export interface DmlOptions {
  /** Overrides the write.<command>.mode table property. */
  mode?: RowLevelMode;
  /** Whether column names in expression filters are matched case-sensitively (default true). */
  caseSensitive?: boolean;
  /** Where remote files are cached for reading (default: the process-wide cache). */
  fileCache?: FileCache;
  /** Extra snapshot summary properties. */
  summary?: Record<string, string>;
  /** Count the rows the command would change, then stop: nothing is written or committed (file counts stay 0). */
  dryRun?: boolean;
}

/** What a row-level command did. */
export interface DmlResult {
  /** How the changes were written. */
  mode: RowLevelMode;
  /** The new snapshot, or null when nothing changed (nothing committed). */
  snapshotId: bigint | null;
  rowsDeleted: bigint;
  rowsUpdated: bigint;
  rowsInserted: bigint;
  /** Copy-on-write: data files replaced by rewritten copies. */
  dataFilesRewritten: number;
  /** Data files removed whole (every row deleted). */
  dataFilesRemoved: number;
  /** New data files (rewritten copies, updated and inserted rows). */
  dataFilesAdded: number;
  /** Merge-on-read: position delete files written. */
  deleteFilesAdded: number;
  /** Position delete files removed with the data file they named. */
  deleteFilesRemoved: number;
}

/** One command, as the shared machinery runs it. */
export interface RowChangeRequest {
  command: RowLevelCommand;
  mode: RowLevelMode;
  /** Prunes the data files read (partition and metrics). */
  scanFilter: Expression;
  /** The rows the command read, for conflict detection. */
  conflictFilter: Expression;
  /** Data files whose every row this proves matched are removed whole (DELETE only). */
  wholeFileFilter?: Expression;
  caseSensitive: boolean;
  /** Whether the changed rows are deleted or replaced by updated rows (for the counts). */
  changedAre: "deleted" | "updated";
  /** SELECT of ROW_FILE, ROW_POS of the changed rows of relation `target` (each row at most once). */
  changedRowsSql(target: string): string;
  /** SELECT of the rows to add, with exactly the schema's columns in order (see castColumns); null for none. */
  newRowsSql(target: string): string | null;
  /** SELECT count(*) AS n of the inserted rows among the new rows; none means 0. */
  insertedCountSql?(target: string): string;
  /** Checks run over the target relation before anything is written. */
  check?(target: string): Promise<void>;
  fileCache?: FileCache;
  summary?: Record<string, string>;
  /** Stop after counting the rows (see DmlOptions.dryRun). */
  dryRun?: boolean;
}

/** A SELECT list producing the schema's columns in order, each cast to its type: `exprFor` gives the value SQL. */
export const castColumns = (schema: Schema, exprFor: (name: string) => string): string =>
  schema.fields
    .map((field) => `CAST(${exprFor(field.name)} AS ${duckdbType(field.type)}) AS ${quoteIdent(field.name)}`)
    .join(", ");

const tempName = (what: string): string => quoteIdent(`floe_dml_${what}_${randomUUID().replaceAll("-", "")}`);

/** Position delete files that name only `task`'s data file: they go when the data file goes. */
const danglingDeletes = (task: FileScanTask): DataFile[] =>
  task.deletes.filter(
    (file) => file.content === DataFileContent.PositionDeletes && referencedDataFile(file) === task.file.filePath,
  );

async function count(engine: Engine, sql: string): Promise<bigint> {
  const [row] = await engine.all<{ n: bigint }>(sql);
  return row?.n ?? 0n;
}

/** Runs a row-level command against `table`'s main branch (see the file comment). */
export async function applyRowChanges(engine: Engine, table: Table, request: RowChangeRequest): Promise<DmlResult> {
  const result: DmlResult = {
    mode: request.mode,
    snapshotId: null,
    rowsDeleted: 0n,
    rowsUpdated: 0n,
    rowsInserted: 0n,
    dataFilesRewritten: 0,
    dataFilesRemoved: 0,
    dataFilesAdded: 0,
    deleteFilesAdded: 0,
    deleteFilesRemoved: 0,
  };
  const metadata = table.metadata;
  const schema = table.schema();
  const start = table.currentSnapshot();
  const startId = start?.["snapshot-id"] ?? null;
  const plan = start
    ? await planScan(table.io, metadata, {
        snapshotId: startId ?? undefined,
        filter: request.scanFilter,
        caseSensitive: request.caseSensitive,
      })
    : null;
  const tasks = plan?.tasks ?? [];

  // Files the filter matches whole need no reading.
  const whole: FileScanTask[] = [];
  const partial: FileScanTask[] = [];
  const proves = request.wholeFileFilter
    ? fileFilter(metadata, request.wholeFileFilter, request.caseSensitive)
    : undefined;
  for (const task of tasks) (proves?.allMatch(task.file) ? whole : partial).push(task);

  const locations = new Set<string>();
  for (const task of tasks) {
    locations.add(task.file.filePath);
    for (const file of task.deletes) locations.add(file.filePath);
  }
  const stored = [...locations];
  const local = await (request.fileCache ?? defaultFileCache()).localPaths(table.io, stored);
  const localByLocation = new Map(stored.map((location, i) => [location, local[i]]));
  const localPathFor = (location: string) => localByLocation.get(location) ?? location;
  const relationOf = async (of: FileScanTask[]) => `(${await rowRelationSql(engine, of, schema, localPathFor)})`;

  const target = await relationOf(partial);
  await request.check?.(target);
  const changed = tempName("changed");
  const written: string[] = [];
  try {
    await engine.run(`CREATE TEMP TABLE ${changed} AS ${request.changedRowsSql(target)}`);
    const changedCount = await count(engine, `SELECT count(*) AS n FROM ${changed}`);
    let wholeRows = 0n;
    const wholeWithDeletes = whole.filter((task) => task.deletes.length > 0);
    for (const task of whole) if (task.deletes.length === 0) wholeRows += task.file.recordCount;
    if (wholeWithDeletes.length > 0)
      wholeRows += await count(engine, `SELECT count(*) AS n FROM ${await relationOf(wholeWithDeletes)}`);
    if (request.changedAre === "deleted") result.rowsDeleted = changedCount + wholeRows;
    else result.rowsUpdated = changedCount;
    if (request.insertedCountSql) result.rowsInserted = await count(engine, request.insertedCountSql(target));
    if (request.dryRun) return result;

    const affectedPaths = new Set(
      (await engine.all<{ f: string }>(`SELECT DISTINCT ${ROW_FILE} AS f FROM ${changed}`)).map((row) => row.f),
    );
    const affected = partial.filter((task) => affectedPaths.has(task.file.filePath));
    const newRows = request.newRowsSql(target);
    const writeRows = async (source: string): Promise<DataFile[]> => {
      const files = await writeDataFiles(engine, table.io, {
        source,
        schema,
        spec: table.spec(),
        sortOrder: table.sortOrder(),
        location: dataLocation(table),
        properties: table.properties(),
      });
      written.push(...files.map((f) => f.filePath));
      return files;
    };
    const isolation: IsolationLevel = isolationLevel(table.properties(), request.command);
    const removedDeletes = new Map<string, DataFile>();

    if (request.mode === "copy-on-write") {
      const sources: string[] = [];
      if (affected.length > 0) {
        const kept = await relationOf(affected);
        sources.push(
          `SELECT ${castColumns(schema, (name) => `__floe_kept.${quoteIdent(name)}`)} FROM ${kept} AS __floe_kept
           ANTI JOIN ${changed} AS __floe_c ON __floe_kept.${ROW_FILE} = __floe_c.${ROW_FILE} AND __floe_kept.${ROW_POS} = __floe_c.${ROW_POS}`,
        );
      }
      if (newRows !== null) sources.push(newRows);
      const added = sources.length > 0 ? await writeRows(sources.join("\nUNION ALL\n")) : [];
      for (const task of [...affected, ...whole])
        for (const file of danglingDeletes(task)) removedDeletes.set(file.filePath, file);
      if (affected.length + whole.length + added.length === 0) return result;
      const action = table
        .newRewriteFiles()
        .asOverwrite()
        .validateFromSnapshot(startId)
        .conflictDetectionFilter(request.conflictFilter)
        .caseSensitive(request.caseSensitive)
        .validateNoConflictingDeletes();
      if (isolation === "serializable") action.validateNoConflictingData();
      for (const task of [...affected, ...whole]) action.deleteFile(task.file);
      for (const file of removedDeletes.values()) action.deleteFile(file);
      action.addFiles(added);
      for (const [key, value] of Object.entries(request.summary ?? {})) action.set(key, value);
      await commitOrCleanUp(table, written, () => action.commit());
      result.snapshotId = action.snapshotId;
      result.dataFilesRewritten = affected.length;
      result.dataFilesAdded = added.length;
    } else {
      const targets = new Map<string, DeletedFrom>(affected.map((task) => [task.file.filePath, task]));
      const codec = propertyString(table.properties(), PARQUET_COMPRESSION, PARQUET_COMPRESSION_DEFAULT);
      const deletes = await writePositionDeletes(engine, table.io, {
        rows: changed,
        targets,
        schema,
        location: dataLocation(table),
        codec: codec.trim().toLowerCase(),
      });
      written.push(...deletes.map((f) => f.filePath));
      const added = newRows !== null ? await writeRows(newRows) : [];
      for (const task of whole) for (const file of danglingDeletes(task)) removedDeletes.set(file.filePath, file);
      if (deletes.length + whole.length + added.length === 0) return result;
      const action = table
        .newRowDelta()
        .validateFromSnapshot(startId)
        .conflictDetectionFilter(request.conflictFilter)
        .caseSensitive(request.caseSensitive)
        .validateDataFilesExist(affectedPaths)
        .validateNoConflictingDeleteFiles();
      if (isolation === "serializable") action.validateNoConflictingDataFiles();
      for (const file of deletes) action.addDeletes(file);
      for (const file of added) action.addRows(file);
      for (const task of whole) action.removeRows(task.file);
      for (const file of removedDeletes.values()) action.removeDeletes(file);
      for (const [key, value] of Object.entries(request.summary ?? {})) action.set(key, value);
      await commitOrCleanUp(table, written, () => action.commit());
      result.snapshotId = action.snapshotId;
      result.dataFilesAdded = added.length;
      result.deleteFilesAdded = deletes.length;
    }
    result.dataFilesRemoved = whole.length;
    result.deleteFilesRemoved = removedDeletes.size;
    return result;
  } catch (error) {
    if (result.snapshotId === null) await table.io.deleteMany(written).catch(() => undefined);
    throw error;
  } finally {
    await engine.run(`DROP TABLE IF EXISTS ${changed}`).catch(() => undefined);
  }
}

/**
 * Commits, deleting the files written for the commit when it provably did not land (a non-io
 * FloeError, the commit loop's own rule); after anything else they may be referenced, so they stay.
 */
async function commitOrCleanUp(table: Table, written: string[], commit: () => Promise<unknown>): Promise<void> {
  try {
    await commit();
  } catch (error) {
    if (error instanceof FloeError && error.kind !== "io") await table.io.deleteMany(written).catch(() => undefined);
    written.length = 0;
    throw error;
  }
}
