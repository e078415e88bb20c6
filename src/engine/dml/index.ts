/** Row-level changes over Iceberg tables: DELETE, UPDATE and MERGE, copy-on-write or merge-on-read. */
export { deleteWhere } from "./delete-where.ts";
export { type MergeOptions, mergeInto } from "./merge-into.ts";
export {
  DELETE_ISOLATION_LEVEL,
  DELETE_MODE,
  type IsolationLevel,
  MERGE_ISOLATION_LEVEL,
  MERGE_MODE,
  type RowLevelCommand,
  type RowLevelMode,
  UPDATE_ISOLATION_LEVEL,
  UPDATE_MODE,
  isolationLevel,
  rowLevelMode,
} from "./modes.ts";
export { type DeletedFrom, type PositionDeleteWrite, writePositionDeletes } from "./position-deletes.ts";
export { type DmlOptions, type DmlResult, type RowChangeRequest, applyRowChanges, castColumns } from "./row-changes.ts";
export { type ResolvedFilter, type RowFilter, resolveFilter } from "./row-filter.ts";
export { ROW_FILE, ROW_POS, rowRelationSql } from "./row-relation.ts";
export { updateWhere } from "./update-where.ts";
