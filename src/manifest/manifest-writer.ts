/**
 * Writes a v2 manifest: one Avro file of manifest_entry records for one partition spec, with the
 * spec's header metadata, and returns the manifest-list entry that describes it.
 *
 * The returned ManifestFile has sequenceNumber -1 ("unassigned") because the snapshot's sequence
 * number is only known at commit; the manifest-list writer fills it in, so the same manifest can
 * be reused across commit retries (spec "Sequence Numbers").
 */
import { validation } from "../core/errors.ts";
import { writeAvroContainer } from "../avro/container.ts";
import type { FileIO } from "../io/file-io.ts";
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { partitionType } from "../spec/partitioning.ts";
import type { Schema, StructType } from "../spec/types.ts";
import { manifestHeaderMetadata } from "./manifest-header.ts";
import { manifestEntryAvroSchema } from "./manifest-schemas.ts";
import { PartitionSummaryBuilder } from "./partition-summary.ts";
import { partitionToAvro } from "./partition-tuple.ts";
import {
  type DataFile,
  DataFileContent,
  ManifestContent,
  type ManifestEntry,
  ManifestEntryStatus,
  type ManifestFile,
} from "./types.ts";

/** The sequence number of a manifest whose snapshot has not been committed yet. */
export const UNASSIGNED_SEQUENCE_NUMBER = -1n;

/** Options of writeManifest. */
export interface WriteManifestOptions {
  spec: PartitionSpec;
  schema: Schema;
  formatVersion?: 2;
  content: ManifestContent;
  snapshotId: bigint;
  entries: ManifestEntry[];
}

const metricMap = <V>(map: Map<number, V> | undefined) =>
  map === undefined ? null : [...map].map(([key, value]) => ({ key, value }));

function dataFileRecord(file: DataFile, type: StructType, what: string): Record<string, unknown> {
  return {
    content: file.content,
    file_path: file.filePath,
    file_format: file.fileFormat,
    partition: partitionToAvro(type, file.partition, what),
    record_count: file.recordCount,
    file_size_in_bytes: file.fileSizeInBytes,
    column_sizes: metricMap(file.columnSizes),
    value_counts: metricMap(file.valueCounts),
    null_value_counts: metricMap(file.nullValueCounts),
    nan_value_counts: metricMap(file.nanValueCounts),
    lower_bounds: metricMap(file.lowerBounds),
    upper_bounds: metricMap(file.upperBounds),
    key_metadata: file.keyMetadata ?? null,
    split_offsets: file.splitOffsets ?? null,
    equality_ids: file.equalityIds ?? null,
    sort_order_id: file.sortOrderId ?? null,
    referenced_data_file: file.referencedDataFile ?? null,
  };
}

function checkEntry(entry: ManifestEntry, content: ManifestContent, what: string): void {
  const file = entry.dataFile;
  if (!(entry.status in ManifestEntryStatus)) throw validation(`${what}: invalid entry status ${entry.status}`);
  const isData = file.content === DataFileContent.Data;
  if (isData !== (content === ManifestContent.Data))
    throw validation(
      `${what}: a ${content === ManifestContent.Data ? "data" : "delete"} manifest cannot hold a file with content ${DataFileContent[file.content] ?? file.content}`,
    );
  if (file.content === DataFileContent.EqualityDeletes && !file.equalityIds?.length)
    throw validation(`${what}: equality delete file has no equality ids`);
  // Only added entries may inherit sequence numbers; existing and deleted ones must carry theirs.
  if (
    entry.status !== ManifestEntryStatus.Added &&
    (entry.sequenceNumber === null || entry.fileSequenceNumber === null)
  )
    throw validation(
      `${what}: ${ManifestEntryStatus[entry.status].toLowerCase()} entry needs explicit data and file sequence numbers, got ${entry.sequenceNumber} and ${entry.fileSequenceNumber}`,
    );
}

/** Writes a manifest to `path` and returns its manifest-list entry (sequence numbers unassigned). */
export async function writeManifest(io: FileIO, path: string, options: WriteManifestOptions): Promise<ManifestFile> {
  const { spec, schema, content, snapshotId, entries } = options;
  const formatVersion = options.formatVersion ?? 2;
  const type = partitionType(spec, schema);
  const summaries = new PartitionSummaryBuilder(type);
  const counts = { added: 0, existing: 0, deleted: 0, addedRows: 0n, existingRows: 0n, deletedRows: 0n };
  let minSequenceNumber: bigint | null = null;

  const records = entries.map((entry, index) => {
    const what = `manifest ${path} entry ${index} (${entry.dataFile.filePath})`;
    checkEntry(entry, content, what);
    const rows = entry.dataFile.recordCount;
    if (entry.status === ManifestEntryStatus.Added) {
      counts.added++;
      counts.addedRows += rows;
    } else if (entry.status === ManifestEntryStatus.Existing) {
      counts.existing++;
      counts.existingRows += rows;
    } else {
      counts.deleted++;
      counts.deletedRows += rows;
    }
    // The minimum covers live files with a known data sequence number; inherited ones will get the
    // snapshot's number, which is never below an explicit one, so they cannot lower it.
    if (entry.status !== ManifestEntryStatus.Deleted && entry.sequenceNumber !== null) {
      if (minSequenceNumber === null || entry.sequenceNumber < minSequenceNumber)
        minSequenceNumber = entry.sequenceNumber;
    }
    summaries.add(entry.dataFile.partition);
    return {
      status: entry.status,
      snapshot_id: entry.snapshotId ?? snapshotId,
      sequence_number: entry.sequenceNumber,
      file_sequence_number: entry.fileSequenceNumber,
      data_file: dataFileRecord(entry.dataFile, type, what),
    };
  });

  const bytes = writeAvroContainer({
    schema: manifestEntryAvroSchema(formatVersion, type),
    records,
    codec: "deflate",
    metadata: manifestHeaderMetadata(schema, spec, content, formatVersion),
  });
  await io.write(path, bytes);

  return {
    manifestPath: path,
    manifestLength: BigInt(bytes.length),
    partitionSpecId: spec["spec-id"],
    content,
    sequenceNumber: UNASSIGNED_SEQUENCE_NUMBER,
    minSequenceNumber: minSequenceNumber ?? UNASSIGNED_SEQUENCE_NUMBER,
    addedSnapshotId: snapshotId,
    addedFilesCount: counts.added,
    existingFilesCount: counts.existing,
    deletedFilesCount: counts.deleted,
    addedRowsCount: counts.addedRows,
    existingRowsCount: counts.existingRows,
    deletedRowsCount: counts.deletedRows,
    partitions: summaries.summaries(),
  };
}
