/**
 * The ingest module: files (NDJSON, CSV, Parquet) and streams (NDJSON, CSV) into Iceberg tables
 * with checks, dead letters and batching.
 */
export { appendDeadLetters, defaultDeadLetterPath } from "./dead-letters.ts";
export { convertJson, convertText, convertTyped, typeLabel } from "./field-conversion.ts";
export { DEFAULT_BATCH_BYTES, DEFAULT_BATCH_ROWS, ingestFiles } from "./ingest-files.ts";
export {
  type StreamBatch,
  type StreamIngestOptions,
  type StreamIngestResult,
  ingestStream,
} from "./ingest-stream.ts";
export type { IngestFileResult, IngestOptions, IngestProgress, IngestResult } from "./ingest-options.ts";
export {
  INGEST_SUMMARY,
  type IngestedSource,
  type LineRange,
  ingestedSources,
  isComplete,
  mergeRanges,
} from "./ingest-summary.ts";
export { type InputFile, formatOf, globToRegExp, resolveInputs } from "./input-files.ts";
export {
  type ProgressReporter,
  type ProgressReporterOptions,
  createProgressReporter,
  formatBytes,
} from "./progress.ts";
export { type CsvOptions, type IngestFormat, csvSource, ndjsonSource, parquetSource } from "./record-sources.ts";
export { sha256File } from "./source-hash.ts";
