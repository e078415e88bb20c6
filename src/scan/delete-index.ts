/**
 * Matching delete files to the data files they apply to (spec "Scan Planning"):
 * - a position delete applies to a data file whose data sequence number is <= its own, in the
 *   same partition (same spec id and tuple), or to any data file when its spec is unpartitioned;
 *   one naming its data file (referenced_data_file, or equal lower and upper file_path bounds)
 *   applies to that file only, and file_path bounds narrow it to the paths between them;
 * - an equality delete applies to a data file whose data sequence number is strictly < its own,
 *   same partition or unpartitioned spec, unless the column bounds of an equality field show the
 *   two files share no value (then no row of the data file can equal a deleted row).
 * Entries are bucketed once and kept sorted by sequence number, so each lookup is a binary search
 * in a few buckets instead of a pass over every delete file.
 */
import { compareBytes, compareValues } from "../spec/compare.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { findFieldById } from "../spec/schema.ts";
import { type Schema, isPrimitive } from "../spec/types.ts";
import { decodeBound, isNaNValue } from "../expr/bounds.ts";
import { type DataFile, DataFileContent } from "../manifest/types.ts";
import { isUnpartitioned, partitionKey } from "./partition-key.ts";

/** The reserved field id of a position delete file's file_path column (spec "Reserved Field IDs"). */
export const DELETE_FILE_PATH_FIELD_ID = 2147483546;

/** A live delete file with what matching needs: its data sequence number and partition spec. */
export interface IndexedDeleteFile {
  file: DataFile;
  sequenceNumber: bigint;
  spec: PartitionSpec;
}

interface Bucket {
  entries: IndexedDeleteFile[];
  sorted: boolean;
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The one data file a position delete names, when it names exactly one. */
export function referencedDataFile(file: DataFile): string | undefined {
  if (file.content !== DataFileContent.PositionDeletes) return undefined;
  if (file.referencedDataFile !== undefined) return file.referencedDataFile;
  const lower = file.lowerBounds?.get(DELETE_FILE_PATH_FIELD_ID);
  const upper = file.upperBounds?.get(DELETE_FILE_PATH_FIELD_ID);
  if (lower && upper && compareBytes(lower, upper) === 0) return utf8Decoder.decode(lower);
  return undefined;
}

/** Whether the file_path bounds of a position delete allow `path` (no bounds allow everything). */
function pathWithinBounds(deleteFile: DataFile, path: string): boolean {
  const lower = deleteFile.lowerBounds?.get(DELETE_FILE_PATH_FIELD_ID);
  const upper = deleteFile.upperBounds?.get(DELETE_FILE_PATH_FIELD_ID);
  if (!lower && !upper) return true;
  const bytes = utf8.encode(path);
  return !(lower && compareBytes(bytes, lower) < 0) && !(upper && compareBytes(bytes, upper) > 0);
}

/** A count only when it is known: negative counts mean "unknown" and prove nothing. */
const known = (count: bigint | undefined): bigint | undefined =>
  count !== undefined && count >= 0n ? count : undefined;

/** What one file's metrics say about one column: may it hold null, and its non-null range if known. */
function columnShape(file: DataFile, id: number) {
  const values = known(file.valueCounts?.get(id));
  const nulls = known(file.nullValueCounts?.get(id));
  return {
    mayHaveNull: nulls !== 0n,
    onlyNull: values !== undefined && nulls !== undefined && values === nulls,
    lower: file.lowerBounds?.get(id),
    upper: file.upperBounds?.get(id),
  };
}

/**
 * Whether an equality delete file may delete rows of a data file: false when, for some equality
 * field, the metrics prove the two files share no value (null equals null in equality deletes).
 */
export function equalityDeleteMayApply(schema: Schema, dataFile: DataFile, deleteFile: DataFile): boolean {
  for (const id of deleteFile.equalityIds ?? []) {
    const field = findFieldById(schema, id);
    // Unknown columns and floats (NaN is outside the bounds) are left to the reader.
    if (!field || !isPrimitive(field.type) || field.type === "float" || field.type === "double") continue;
    const data = columnShape(dataFile, id);
    const deletes = columnShape(deleteFile, id);
    if (data.mayHaveNull && deletes.mayHaveNull) continue;
    // From here at most one side holds nulls, so only non-null values can be shared.
    if (data.onlyNull || deletes.onlyNull) return false;
    const dataLower = decodeBound(field.type, data.lower);
    const dataUpper = decodeBound(field.type, data.upper);
    const deleteLower = decodeBound(field.type, deletes.lower);
    const deleteUpper = decodeBound(field.type, deletes.upper);
    if (dataLower === undefined || dataUpper === undefined || deleteLower === undefined || deleteUpper === undefined)
      continue;
    if ([dataLower, dataUpper, deleteLower, deleteUpper].some(isNaNValue)) continue;
    if (compareValues(field.type, dataUpper, deleteLower) < 0 || compareValues(field.type, deleteUpper, dataLower) < 0)
      return false;
  }
  return true;
}

const newBucket = (): Bucket => ({ entries: [], sorted: true });

function add(bucket: Bucket, entry: IndexedDeleteFile): void {
  const last = bucket.entries[bucket.entries.length - 1];
  if (last && last.sequenceNumber > entry.sequenceNumber) bucket.sorted = false;
  bucket.entries.push(entry);
}

/** The entries of a bucket with sequence number > `after` (or >= when `inclusive`). */
function entriesAfter(bucket: Bucket | undefined, sequence: bigint, inclusive: boolean): IndexedDeleteFile[] {
  if (!bucket || bucket.entries.length === 0) return [];
  if (!bucket.sorted) {
    bucket.entries.sort((a, b) =>
      a.sequenceNumber < b.sequenceNumber ? -1 : a.sequenceNumber > b.sequenceNumber ? 1 : 0,
    );
    bucket.sorted = true;
  }
  const entries = bucket.entries;
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const seq = entries[mid].sequenceNumber;
    if (inclusive ? seq < sequence : seq <= sequence) low = mid + 1;
    else high = mid;
  }
  return entries.slice(low);
}

/** Delete files of one snapshot, indexed for lookup by data file. */
export class DeleteFileIndex {
  private readonly globalPosition = newBucket();
  private readonly globalEquality = newBucket();
  private readonly partitionPosition = new Map<string, Bucket>();
  private readonly partitionEquality = new Map<string, Bucket>();
  private readonly byDataFile = new Map<string, Bucket>();
  private count = 0;

  /** `schema` types the equality fields' bounds (the scan's schema). */
  constructor(private readonly schema: Schema) {}

  /** Number of delete files indexed. */
  get size(): number {
    return this.count;
  }

  /** Indexes one live delete file (data files are ignored). */
  add(entry: IndexedDeleteFile): void {
    const file = entry.file;
    const global = isUnpartitioned(entry.spec);
    const key = partitionKey(entry.spec["spec-id"], file.partition);
    const bucketIn = (map: Map<string, Bucket>, k: string): Bucket => {
      let bucket = map.get(k);
      if (!bucket) {
        bucket = newBucket();
        map.set(k, bucket);
      }
      return bucket;
    };
    if (file.content === DataFileContent.PositionDeletes) {
      const target = referencedDataFile(file);
      if (target !== undefined) add(bucketIn(this.byDataFile, target), entry);
      else add(global ? this.globalPosition : bucketIn(this.partitionPosition, key), entry);
    } else if (file.content === DataFileContent.EqualityDeletes) {
      add(global ? this.globalEquality : bucketIn(this.partitionEquality, key), entry);
    } else {
      return;
    }
    this.count += 1;
  }

  /** The delete files that apply to `dataFile` (written with `spec`, data sequence number `sequence`). */
  forDataFile(dataFile: DataFile, spec: PartitionSpec, sequence: bigint): IndexedDeleteFile[] {
    if (this.count === 0) return [];
    const key = partitionKey(spec["spec-id"], dataFile.partition);
    const path = dataFile.filePath;
    const position = [
      ...entriesAfter(this.byDataFile.get(path), sequence, true),
      ...entriesAfter(this.partitionPosition.get(key), sequence, true),
      ...entriesAfter(this.globalPosition, sequence, true),
    ].filter((entry) => pathWithinBounds(entry.file, path));
    const equality = [
      ...entriesAfter(this.partitionEquality.get(key), sequence, false),
      ...entriesAfter(this.globalEquality, sequence, false),
    ].filter((entry) => equalityDeleteMayApply(this.schema, dataFile, entry.file));
    return [...position, ...equality];
  }
}
