/** The table module: the Table handle, transactions, and every table action. */
export type { ActionTarget, CommitContext, CommitOutcome, TableAction } from "./action.ts";
export { BaseAction } from "./action.ts";
export { ActionFactory } from "./action-factory.ts";
export { FastAppend, MergeAppend } from "./append.ts";
export { CherryPick, PUBLISHED_WAP_ID, SOURCE_SNAPSHOT_ID } from "./cherrypick.ts";
export { type CommittableTable, commitActions, prepareActions } from "./commit-actions.ts";
export { requirementsFor } from "./commit-requirements.ts";
export { type RetryPolicy, backoffMs, isRetryable, retryPolicyFromProperties, runWithRetry } from "./commit-retry.ts";
export { DeleteFiles } from "./delete.ts";
export { type ExpireSnapshotsResult, ExpireSnapshots } from "./expire-snapshots.ts";
export { type RemovalRule, FileChangeProducer, mergeSettings, snapshotManifests } from "./file-change-producer.ts";
export { type FileFilter, describeExpression, fileFilter } from "./file-filter.ts";
export { ManageSnapshots } from "./manage-snapshots.ts";
export { type MergeSettings, mergeManifests, packFromEnd } from "./manifest-merge.ts";
export { Overwrite } from "./overwrite.ts";
export { partitionKey } from "./partition-key.ts";
export { type RefRetention, retentionOf, setRef } from "./ref-updates.ts";
export { ReplacePartitions } from "./replace-partitions.ts";
export { ReplaceSortOrder, type SortFieldOptions } from "./replace-sort-order.ts";
export { RewriteFiles } from "./rewrite-files.ts";
export { RowDelta } from "./row-delta.ts";
export { deleteMayApplyTo, fileKind, livePathsRemovalRule } from "./row-level-rules.ts";
export {
  ancestors,
  branchHead,
  findSnapshot,
  isAncestor,
  snapshotOrThrow,
  snapshotsSince,
} from "./snapshot-history.ts";
export {
  type ProducedSnapshot,
  SnapshotProducer,
  currentSchema,
  metadataFolder,
  specById,
} from "./snapshot-producer.ts";
export { SUMMARY, SummaryBuilder } from "./summary.ts";
export { Table } from "./table.ts";
export { Transaction } from "./transaction.ts";
export { UpdateProperties } from "./update-properties.ts";
export { UpdateSchema } from "./update-schema.ts";
export { UpdateSpec } from "./update-spec.ts";
export { type ConflictRules, validateNoConflicts } from "./validation.ts";
