/**
 * Names and defaults of the table properties floe honours, spelled and defaulted exactly as the
 * reference implementation's TableProperties so a table tuned by another engine behaves the same
 * here. Values in table metadata are always strings; the typed getters below parse them and fail
 * with a validation error naming the property when a value is malformed.
 */
import { validation } from "../core/errors.ts";

/** Java's Long.MAX_VALUE: the "never" default of max-ref-age-ms. */
export const LONG_MAX = 9223372036854775807n;

/* Names are the reference implementation's TableProperties constant names; *_DEFAULT is the default. */
/** Reserved: requested format version at create time; consumed, never stored. */
export const FORMAT_VERSION = "format-version";
/** Reserved: the remaining names the reference implementation refuses as user properties. */
export const UUID = "uuid";
export const SNAPSHOT_COUNT = "snapshot-count";
export const CURRENT_SNAPSHOT_ID = "current-snapshot-id";
export const CURRENT_SNAPSHOT_SUMMARY = "current-snapshot-summary";
export const CURRENT_SNAPSHOT_TIMESTAMP = "current-snapshot-timestamp-ms";
export const CURRENT_SCHEMA = "current-schema";
export const DEFAULT_PARTITION_SPEC = "default-partition-spec";
export const DEFAULT_SORT_ORDER = "default-sort-order";

export const COMMIT_NUM_RETRIES = "commit.retry.num-retries";
export const COMMIT_NUM_RETRIES_DEFAULT = 4;
export const COMMIT_MIN_RETRY_WAIT_MS = "commit.retry.min-wait-ms";
export const COMMIT_MIN_RETRY_WAIT_MS_DEFAULT = 100;
export const COMMIT_MAX_RETRY_WAIT_MS = "commit.retry.max-wait-ms";
export const COMMIT_MAX_RETRY_WAIT_MS_DEFAULT = 60_000;
export const COMMIT_TOTAL_RETRY_TIME_MS = "commit.retry.total-timeout-ms";
export const COMMIT_TOTAL_RETRY_TIME_MS_DEFAULT = 1_800_000;
export const COMMIT_NUM_STATUS_CHECKS = "commit.status-check.num-retries";
export const COMMIT_NUM_STATUS_CHECKS_DEFAULT = 3;

export const MANIFEST_TARGET_SIZE_BYTES = "commit.manifest.target-size-bytes";
export const MANIFEST_TARGET_SIZE_BYTES_DEFAULT = 8_388_608n;
export const MANIFEST_MIN_MERGE_COUNT = "commit.manifest.min-count-to-merge";
export const MANIFEST_MIN_MERGE_COUNT_DEFAULT = 100;
export const MANIFEST_MERGE_ENABLED = "commit.manifest-merge.enabled";
export const MANIFEST_MERGE_ENABLED_DEFAULT = true;

export const METADATA_PREVIOUS_VERSIONS_MAX = "write.metadata.previous-versions-max";
export const METADATA_PREVIOUS_VERSIONS_MAX_DEFAULT = 100;
export const METADATA_DELETE_AFTER_COMMIT_ENABLED = "write.metadata.delete-after-commit.enabled";
export const METADATA_DELETE_AFTER_COMMIT_ENABLED_DEFAULT = false;
export const METADATA_COMPRESSION = "write.metadata.compression-codec";
export const METADATA_COMPRESSION_DEFAULT = "none";

export const DEFAULT_FILE_FORMAT = "write.format.default";
export const DEFAULT_FILE_FORMAT_DEFAULT = "parquet";
export const WRITE_TARGET_FILE_SIZE_BYTES = "write.target-file-size-bytes";
export const WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT = 536_870_912n;
export const PARQUET_COMPRESSION = "write.parquet.compression-codec";
export const PARQUET_COMPRESSION_DEFAULT = "zstd";
export const PARQUET_ROW_GROUP_SIZE_BYTES = "write.parquet.row-group-size-bytes";
export const PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT = 134_217_728n;
export const DEFAULT_WRITE_METRICS_MODE = "write.metadata.metrics.default";
export const DEFAULT_WRITE_METRICS_MODE_DEFAULT = "truncate(16)";
export const WRITE_DATA_LOCATION = "write.data.path";
export const WRITE_METADATA_LOCATION = "write.metadata.path";
export const WRITE_DISTRIBUTION_MODE = "write.distribution-mode";

export const SPLIT_SIZE = "read.split.target-size";
export const SPLIT_SIZE_DEFAULT = 134_217_728n;

export const GC_ENABLED = "gc.enabled";
export const GC_ENABLED_DEFAULT = true;
export const MAX_SNAPSHOT_AGE_MS = "history.expire.max-snapshot-age-ms";
export const MAX_SNAPSHOT_AGE_MS_DEFAULT = 432_000_000n; // 5 days
export const MIN_SNAPSHOTS_TO_KEEP = "history.expire.min-snapshots-to-keep";
export const MIN_SNAPSHOTS_TO_KEEP_DEFAULT = 1;
export const MAX_REF_AGE_MS = "history.expire.max-ref-age-ms";
export const MAX_REF_AGE_MS_DEFAULT = LONG_MAX;

/** Alias of WRITE_METADATA_LOCATION (the folder new metadata files are written to). */
export const METADATA_PATH = WRITE_METADATA_LOCATION;

/** Properties that describe the table rather than configure it: never stored as user properties. */
export const RESERVED_PROPERTIES: ReadonlySet<string> = new Set([
  FORMAT_VERSION,
  UUID,
  SNAPSHOT_COUNT,
  CURRENT_SNAPSHOT_ID,
  CURRENT_SNAPSHOT_SUMMARY,
  CURRENT_SNAPSHOT_TIMESTAMP,
  CURRENT_SCHEMA,
  DEFAULT_PARTITION_SPEC,
  DEFAULT_SORT_ORDER,
]);

type Props = Readonly<Record<string, string>> | undefined;

const INT_PATTERN = /^\s*[-+]?\d+\s*$/;

/** A 32-bit integer property, or the default when unset; throws validation on a malformed value. */
export function propertyInt(props: Props, name: string, defaultValue: number): number {
  const raw = props?.[name];
  if (raw === undefined) return defaultValue;
  const value = INT_PATTERN.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647)
    throw validation(`table property ${name} must be an int, got "${raw}"`);
  return value;
}

/** A 64-bit integer property as bigint, or the default when unset; throws validation on a malformed value. */
export function propertyLong(props: Props, name: string, defaultValue: bigint): bigint {
  const raw = props?.[name];
  if (raw === undefined) return defaultValue;
  if (!INT_PATTERN.test(raw)) throw validation(`table property ${name} must be a long, got "${raw}"`);
  const value = BigInt(raw.trim().replace(/^\+/, ""));
  if (value < -LONG_MAX - 1n || value > LONG_MAX)
    throw validation(`table property ${name} must be a long, got "${raw}"`);
  return value;
}

/** A boolean property ("true"/"false", any case), or the default when unset; throws validation otherwise. */
export function propertyBool(props: Props, name: string, defaultValue: boolean): boolean {
  const raw = props?.[name];
  if (raw === undefined) return defaultValue;
  const lower = raw.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw validation(`table property ${name} must be true or false, got "${raw}"`);
}

/** A string property, or the default when unset. */
export const propertyString = (props: Props, name: string, defaultValue: string): string =>
  props?.[name] ?? defaultValue;
