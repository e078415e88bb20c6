/** The manifest module's public API: manifests and manifest lists, read (v1, v2) and written (v2). */
export * from "./types.ts";
export { writeManifest, UNASSIGNED_SEQUENCE_NUMBER, type WriteManifestOptions } from "./manifest-writer.ts";
export { readManifest, type ReadManifestOptions } from "./manifest-reader.ts";
export { readManifestHeader, type ManifestHeader } from "./manifest-header.ts";
export { readManifestList, writeManifestList, type WriteManifestListOptions } from "./manifest-list.ts";
export { summarizePartitions, PartitionSummaryBuilder } from "./partition-summary.ts";
