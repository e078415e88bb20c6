/**
 * Row-level deletes as anti-joins (spec "Row-level Deletes"). The scan planner has already
 * matched delete files to data files by sequence number and partition (a position delete applies
 * to data files with a data sequence number <= its own, an equality delete to those strictly
 * below its own), so the reader only has to honour each task's list:
 *
 * - Position deletes name rows by (file_path, pos). They are read once per group of data files and
 *   joined with the (delete file, data file) pairs the planner allowed, so a delete never reaches
 *   a data file it was not matched to; the data rows carry their file and row position
 *   (read_parquet's filename and file_row_number) for the anti-join.
 * - Equality deletes remove every row whose equality columns (by field id) equal a deleted row's,
 *   with null equal to null (IS NOT DISTINCT FROM). Data files are grouped by their exact set of
 *   equality delete files, so within a group the anti-join needs no per-file condition.
 */
import { unsupported } from "../../core/errors.ts";
import { type DataFile, DataFileContent } from "../../manifest/types.ts";
import { indexById } from "../../spec/schema.ts";
import { type Schema, isPrimitive, isStruct } from "../../spec/types.ts";
import { duckdbType } from "../sql/types.ts";
import { columnPath, quoteIdent, quoteString, stringList } from "./sql-text.ts";

/** Reserved field id of a position delete file's file_path column. */
export const POSITION_DELETE_FILE_PATH_ID = 2147483546;
/** Reserved field id of a position delete file's pos column. */
export const POSITION_DELETE_POS_ID = 2147483545;

/** Hidden column of a data relation: the local path of the file each row came from. */
export const FILE_COLUMN = "__floe_file";
/** Hidden column of a data relation: the row's position in its file. */
export const POS_COLUMN = "__floe_pos";

/** A data file in a group, with the delete files the planner matched to it. */
export interface DeleteTarget {
  location: string;
  localPath: string;
  deletes: DataFile[];
}

/** Fails clearly for delete kinds the reader does not handle. */
export function checkDeleteFile(file: DataFile): void {
  if (file.fileFormat !== "PARQUET")
    throw unsupported(`delete file ${file.filePath}: ${file.fileFormat} delete files are not supported (only Parquet)`);
  if (file.content === DataFileContent.EqualityDeletes && (file.equalityIds ?? []).length === 0)
    throw unsupported(`equality delete file ${file.filePath} lists no equality field ids`);
}

const isPositionDelete = (file: DataFile): boolean => file.content === DataFileContent.PositionDeletes;
const isEqualityDelete = (file: DataFile): boolean => file.content === DataFileContent.EqualityDeletes;

/** The key of a data file's equality delete set: data files with equal keys share one anti-join. */
export const equalityDeleteKey = (deletes: DataFile[]): string =>
  deletes
    .filter(isEqualityDelete)
    .map((file) => file.filePath)
    .sort()
    .join("\n");

/** Whether any delete of the list is a position delete. */
export const hasPositionDeletes = (deletes: DataFile[]): boolean => deletes.some(isPositionDelete);

/** The top-level field ids equality deletes of these files compare on (the data relation must read them). */
export function equalityFieldRoots(schema: Schema, deletes: DataFile[]): number[] {
  const index = indexById(schema);
  const roots = new Set<number>();
  for (const file of deletes.filter(isEqualityDelete)) {
    for (const id of file.equalityIds ?? []) {
      const entry = index.get(id);
      if (!entry)
        throw unsupported(
          `equality delete file ${file.filePath}: field id ${id} is not in schema ${schema["schema-id"]}`,
        );
      roots.add(entry.parents[0] ?? id);
    }
  }
  return [...roots];
}

/**
 * The ANTI JOIN clauses removing deleted rows from a data relation aliased `dataAlias` (which
 * exposes FILE_COLUMN and POS_COLUMN when position deletes exist), for data files that all share
 * the same equality delete set. `localPathFor` maps delete file locations to readable paths.
 */
export function antiJoinsSql(
  schema: Schema,
  dataAlias: string,
  targets: DeleteTarget[],
  localPathFor: (location: string) => string,
): string {
  const clauses: string[] = [];
  const pairs: string[] = [];
  const positionFiles = new Map<string, string>();
  for (const target of targets) {
    for (const file of target.deletes.filter(isPositionDelete)) {
      const local = localPathFor(file.filePath);
      positionFiles.set(file.filePath, local);
      pairs.push(`(${quoteString(local)}, ${quoteString(target.location)}, ${quoteString(target.localPath)})`);
    }
  }
  if (pairs.length > 0) {
    const d = quoteIdent(dataAlias);
    const positions =
      `SELECT m.f, p.pos FROM read_parquet(${stringList([...positionFiles.values()])}, hive_partitioning = false, schema = MAP {` +
      `${POSITION_DELETE_FILE_PATH_ID}: {name: 'file_path', type: 'VARCHAR', default_value: CAST(NULL AS VARCHAR)}, ` +
      `${POSITION_DELETE_POS_ID}: {name: 'pos', type: 'BIGINT', default_value: CAST(NULL AS VARCHAR)}}, ` +
      `filename = '__floe_delete_file') AS p JOIN (VALUES ${pairs.join(", ")}) AS m(d, loc, f) ` +
      `ON p.__floe_delete_file = m.d AND p.file_path = m.loc`;
    clauses.push(
      `ANTI JOIN (${positions}) AS __floe_pd ON ${d}.${quoteIdent(FILE_COLUMN)} = __floe_pd.f AND ${d}.${quoteIdent(POS_COLUMN)} = __floe_pd.pos`,
    );
  }

  // Every target shares the equality delete set; group its files by the columns they compare.
  const byColumns = new Map<string, { ids: number[]; files: string[] }>();
  for (const file of targets[0]?.deletes.filter(isEqualityDelete) ?? []) {
    const ids = [...(file.equalityIds ?? [])].sort((a, b) => a - b);
    const key = ids.join(",");
    let group = byColumns.get(key);
    if (!group) {
      group = { ids, files: [] };
      byColumns.set(key, group);
    }
    group.files.push(localPathFor(file.filePath));
  }
  const index = indexById(schema);
  let n = 0;
  for (const { ids, files } of byColumns.values()) {
    const alias = `__floe_eq${n++}`;
    const entries: string[] = [];
    const conditions: string[] = [];
    for (const id of ids) {
      const entry = index.get(id);
      if (!entry || !isPrimitive(entry.field.type))
        throw unsupported(
          `equality deletes on field id ${id} (${entry?.name ?? "not in the schema"}) are not supported`,
        );
      const names = [...entry.parents.map((p) => index.get(p)!.field.name), entry.field.name];
      if (entry.parents.some((p) => !isStruct(index.get(p)!.field.type)))
        throw unsupported(`equality deletes on ${entry.name} inside a list or map are not supported`);
      entries.push(
        `${id}: {name: ${quoteString(`k${id}`)}, type: ${quoteString(duckdbType(entry.field.type))}, default_value: CAST(NULL AS VARCHAR)}`,
      );
      conditions.push(`${alias}.${quoteIdent(`k${id}`)} IS NOT DISTINCT FROM ${columnPath(names, dataAlias)}`);
    }
    clauses.push(
      `ANTI JOIN (SELECT * FROM read_parquet(${stringList(files)}, hive_partitioning = false, schema = MAP {${entries.join(", ")}})) AS ${alias} ON ${conditions.join(" AND ")}`,
    );
  }
  return clauses.join("\n");
}
