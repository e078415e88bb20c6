/**
 * What a Parquet footer says about each row group, in floe's terms: per-column metrics keyed by
 * Iceberg field id (so the expr module's metrics evaluator can prune row groups exactly as it
 * prunes files), and the byte ranges DuckDB reads for each top-level column (the column chunks,
 * plus the bloom filter and page indexes a reader may consult).
 *
 * Bounds are given only where DuckDB prunes by the same statistics of the same values: top-level
 * columns whose physical type is the Iceberg type's own (no promotion or conversion between them),
 * with exact min/max statistics. Counts are never given: DuckDB does not prune on null counts, so
 * neither may floe (a row group floe skipped must be one DuckDB skips too).
 */
import type { ColumnChunk, FileMetaData, SchemaElement } from "hyparquet";
import type { FileMetricsLike } from "../../expr/file-metrics.ts";
import { toBytes } from "../../spec/conversions.ts";
import { type PrimitiveType, type Schema, type Value, isPrimitive } from "../../spec/types.ts";
import type { ByteRange } from "./byte-ranges.ts";

/** The bytes of one top-level column in one row group. */
export interface ColumnLayout {
  /** Field id of the top-level column (undefined: the file column has none, so floe never reads it). */
  fieldId: number | undefined;
  /** Compressed bytes of the column chunks (data and dictionary pages). */
  chunkBytes: number;
  /** Everything a reader may touch for the column: chunks, bloom filters, page indexes. */
  ranges: ByteRange[];
}

/** One row group: its rows, its columns' bytes, and its statistics as file metrics. */
export interface RowGroupLayout {
  index: number;
  rows: bigint;
  columns: ColumnLayout[];
  metrics: FileMetricsLike;
}

/** The row groups of a file, or why they cannot be read piecewise. */
export type FileLayout = { rowGroups: RowGroupLayout[] } | { unsupported: string };

/** Whether a Parquet leaf holds exactly the values of an Iceberg primitive, as DuckDB reads them. */
function sameValues(type: PrimitiveType, element: SchemaElement): boolean {
  const logical = element.logical_type;
  const converted = element.converted_type;
  switch (type) {
    case "int":
      return (
        element.type === "INT32" &&
        (converted === undefined || converted === "INT_32") &&
        (logical === undefined || (logical.type === "INTEGER" && logical.bitWidth === 32 && logical.isSigned))
      );
    case "long":
      return (
        element.type === "INT64" &&
        (converted === undefined || converted === "INT_64") &&
        (logical === undefined || (logical.type === "INTEGER" && logical.bitWidth === 64 && logical.isSigned))
      );
    case "date":
      return element.type === "INT32" && (converted === "DATE" || logical?.type === "DATE");
    case "timestamp":
    case "timestamptz": {
      if (element.type !== "INT64") return false;
      if (logical === undefined) return type === "timestamp" && converted === "TIMESTAMP_MICROS";
      return (
        logical.type === "TIMESTAMP" &&
        logical.unit === "MICROS" &&
        logical.isAdjustedToUTC === (type === "timestamptz")
      );
    }
    case "string":
      return element.type === "BYTE_ARRAY" && (converted === "UTF8" || logical?.type === "STRING");
    default:
      return false;
  }
}

/** The statistic as the Iceberg type's Value, when it has the shape that type expects. */
function statValue(type: PrimitiveType, raw: unknown): Value | undefined {
  switch (type) {
    case "int":
    case "date":
      return typeof raw === "number" && Number.isInteger(raw) ? raw : undefined;
    case "long":
    case "timestamp":
    case "timestamptz":
      return typeof raw === "bigint" ? raw : undefined;
    case "string":
      return typeof raw === "string" ? raw : undefined;
    default:
      return undefined;
  }
}

/** Start of a column chunk: its dictionary page when it has one, else its first data page. */
function chunkStart(chunk: ColumnChunk): number {
  const meta = chunk.meta_data;
  if (!meta) return -1;
  const data = Number(meta.data_page_offset);
  const dictionary = meta.dictionary_page_offset === undefined ? undefined : Number(meta.dictionary_page_offset);
  // Some writers record 0 for "no dictionary"; a real dictionary page precedes the data pages.
  return dictionary !== undefined && dictionary > 0 && dictionary < data ? dictionary : data;
}

/** Splits a file's row groups into per-column byte ranges and per-row-group metrics. */
export function fileLayout(metadata: FileMetaData, schema: Schema, dataEnd: number): FileLayout {
  // Top-level Parquet fields by name: their field ids, and the element itself when it is a leaf.
  const topLevel = new Map<string, { fieldId: number | undefined; leaf: SchemaElement | undefined }>();
  const elements = metadata.schema;
  for (let i = 1; i < elements.length; ) {
    const element = elements[i];
    const leaf = !element.num_children;
    topLevel.set(element.name, { fieldId: element.field_id, leaf: leaf ? element : undefined });
    // Skip the element's whole subtree to reach the next top-level field.
    let remaining = 1;
    while (remaining > 0 && i < elements.length) remaining += (elements[i++].num_children ?? 0) - 1;
  }
  const fieldsById = new Map(schema.fields.map((field) => [field.id, field]));

  const rowGroups: RowGroupLayout[] = [];
  for (const [index, group] of metadata.row_groups.entries()) {
    const byRoot = new Map<string, ColumnLayout>();
    const lowerBounds = new Map<number, Uint8Array>();
    const upperBounds = new Map<number, Uint8Array>();
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta || chunk.file_path !== undefined) return { unsupported: "column chunks stored outside the file" };
      const root = meta.path_in_schema[0];
      const top = topLevel.get(root);
      if (!top) return { unsupported: `column ${meta.path_in_schema.join(".")} is not in the file schema` };
      const start = chunkStart(chunk);
      const bytes = Number(meta.total_compressed_size);
      const ranges: ByteRange[] = [{ start, end: start + bytes }];
      if (meta.bloom_filter_offset !== undefined) {
        if (meta.bloom_filter_length === undefined) return { unsupported: "a bloom filter of unknown length" };
        const at = Number(meta.bloom_filter_offset);
        ranges.push({ start: at, end: at + meta.bloom_filter_length });
      }
      for (const [offset, length] of [
        [chunk.column_index_offset, chunk.column_index_length],
        [chunk.offset_index_offset, chunk.offset_index_length],
      ] as const) {
        if (offset === undefined) continue;
        if (length === undefined) return { unsupported: "a page index of unknown length" };
        ranges.push({ start: Number(offset), end: Number(offset) + length });
      }
      for (const range of ranges)
        if (!(range.start >= 4 && range.end <= dataEnd && range.end >= range.start))
          return { unsupported: `column ${root} of row group ${index} points outside the file's data` };
      const column = byRoot.get(root) ?? { fieldId: top.fieldId, chunkBytes: 0, ranges: [] };
      column.chunkBytes += bytes;
      column.ranges.push(...ranges);
      byRoot.set(root, column);

      // Bounds: a top-level primitive column stored as the Iceberg type's own values.
      const field = top.fieldId === undefined ? undefined : fieldsById.get(top.fieldId);
      const stats = meta.statistics;
      if (!field || !top.leaf || !isPrimitive(field.type) || top.fieldId === undefined || !stats) continue;
      if (top.leaf.repetition_type === "REPEATED" || !sameValues(field.type, top.leaf)) continue;
      if (stats.is_min_value_exact === false || stats.is_max_value_exact === false) continue;
      const min = statValue(field.type, stats.min_value);
      const max = statValue(field.type, stats.max_value);
      if (min === undefined || max === undefined || min === null || max === null) continue;
      lowerBounds.set(top.fieldId, toBytes(field.type, min));
      upperBounds.set(top.fieldId, toBytes(field.type, max));
    }
    rowGroups.push({
      index,
      rows: group.num_rows,
      columns: [...byRoot.values()],
      // An empty row group is never pruned: a positive count lets only the bounds decide.
      metrics: { recordCount: group.num_rows > 0n ? group.num_rows : 1n, lowerBounds, upperBounds },
    });
  }
  return { rowGroups };
}
