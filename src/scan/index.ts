/** The scan module's public API: snapshot selection, scan planning with pruning and delete matching, explain. */
export {
  DEFAULT_MANIFEST_CONCURRENCY,
  type FileScanTask,
  type ScanOptions,
  type ScanPlan,
  planScan,
} from "./plan.ts";
export {
  type SelectedSnapshot,
  type SnapshotSelector,
  resolveSnapshot,
  scanSchema,
  schemaById,
  selectSnapshot,
} from "./snapshot-selection.ts";
export {
  DELETE_FILE_PATH_FIELD_ID,
  DeleteFileIndex,
  type IndexedDeleteFile,
  equalityDeleteMayApply,
  referencedDataFile,
} from "./delete-index.ts";
export { EXPLAIN_FILE_LIMIT, type FileDecision, type ManifestDecision, type ScanExplain } from "./explain.ts";
export { isUnpartitioned, partitionKey } from "./partition-key.ts";
