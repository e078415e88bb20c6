/**
 * Writing position delete files (spec "Position Delete Files"): Parquet with the reserved columns
 * file_path (field id 2147483546, string) and pos (2147483545, long), rows sorted by file_path then
 * pos. One file per data file it deletes from, in that data file's partition: its file_path lower
 * and upper bounds are then equal, which tells planners the file applies to that one data file
 * only (so no other data file ever has to read it). Bounds are kept whole (never truncated), as
 * they must be for that to hold.
 */
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { validation } from "../../core/errors.ts";
import { deferSync } from "../../io/deferred-sync.ts";
import type { FileIO } from "../../io/file-io.ts";
import { joinLocation, parseLocation } from "../../io/locations.ts";
import { type DataFile, DataFileContent } from "../../manifest/types.ts";
import { toBytes } from "../../spec/conversions.ts";
import type { PartitionSpec } from "../../spec/partition-spec.ts";
import { partitionPath } from "../../spec/partitioning.ts";
import type { Schema } from "../../spec/types.ts";
import type { Engine } from "../duckdb.ts";
import { POSITION_DELETE_FILE_PATH_ID, POSITION_DELETE_POS_ID } from "../read/apply-deletes.ts";
import { quoteString } from "../read/sql-text.ts";
import type { EngineValue } from "../values.ts";
import { ROW_FILE, ROW_POS } from "./row-relation.ts";

/** A data file rows are deleted from, with the spec it was written with. */
export interface DeletedFrom {
  file: DataFile;
  spec: PartitionSpec;
}

/** What writePositionDeletes needs. */
export interface PositionDeleteWrite {
  /** A relation (e.g. a temp table) with columns ROW_FILE and ROW_POS: the deleted rows. */
  rows: string;
  /** The data files named in `rows`, by location. */
  targets: Map<string, DeletedFrom>;
  /** Schema for partition paths (the table's current schema). */
  schema: Schema;
  /** The table's data directory. */
  location: string;
  /** Parquet codec (default zstd). */
  codec?: string;
}

interface ReturnedFile {
  filename: string;
  count: bigint;
  file_size_bytes: bigint;
  column_statistics: Map<EngineValue, EngineValue> | null;
}

/** Writes one position delete file per data file in `rows`; returns their DataFiles (deleted again on failure). */
export async function writePositionDeletes(
  engine: Engine,
  io: FileIO,
  options: PositionDeleteWrite,
): Promise<DataFile[]> {
  const groups = await engine.all<{ file: string; n: bigint; lo: bigint; hi: bigint }>(
    `SELECT ${ROW_FILE} AS file, count(*) AS n, min(${ROW_POS}) AS lo, max(${ROW_POS}) AS hi
     FROM ${options.rows} GROUP BY ${ROW_FILE} ORDER BY ${ROW_FILE}`,
  );
  const written: string[] = [];
  const result: DataFile[] = [];
  const codec = options.codec ?? "zstd";
  try {
    for (const group of groups) {
      const target = options.targets.get(group.file);
      if (!target) throw validation(`position deletes name ${group.file}, which is not a planned data file`);
      const { file, spec } = target;
      const relative = spec.fields.length === 0 ? "" : partitionPath(spec, options.schema, file.partition);
      const location = joinLocation(options.location, relative, `${randomUUID()}-deletes.parquet`);
      const parsed = parseLocation(location);
      const local = parsed.scheme === "file";
      const finalPath = local ? parsed.path : "";
      const staged = local
        ? path.join(path.dirname(finalPath), `.floe-staging-${randomUUID()}.parquet`)
        : path.join(engine.tempDirectory, `${randomUUID()}-deletes.parquet`);
      if (local) await mkdir(path.dirname(finalPath), { recursive: true });
      const [copied] = await engine.all<ReturnedFile>(
        `COPY (SELECT CAST(${ROW_FILE} AS VARCHAR) AS file_path, CAST(${ROW_POS} AS BIGINT) AS pos
               FROM ${options.rows} WHERE ${ROW_FILE} = ${quoteString(group.file)} ORDER BY pos)
         TO ${quoteString(staged)} (FORMAT parquet, COMPRESSION ${codec},
           FIELD_IDS {file_path: ${POSITION_DELETE_FILE_PATH_ID}, pos: ${POSITION_DELETE_POS_ID}}, RETURN_STATS)`,
      );
      try {
        if (local) {
          await rename(staged, finalPath);
          deferSync(finalPath);
        } else await io.writeStream(location, createReadStream(staged));
        written.push(location);
      } finally {
        await rm(staged, { force: true });
      }
      const sizes = columnSizes(copied.column_statistics);
      const columnSizesById = new Map<number, bigint>();
      if (sizes.file_path !== undefined) columnSizesById.set(POSITION_DELETE_FILE_PATH_ID, sizes.file_path);
      if (sizes.pos !== undefined) columnSizesById.set(POSITION_DELETE_POS_ID, sizes.pos);
      result.push({
        content: DataFileContent.PositionDeletes,
        filePath: location,
        fileFormat: "PARQUET",
        partition: file.partition,
        recordCount: copied.count,
        fileSizeInBytes: copied.file_size_bytes,
        columnSizes: columnSizesById,
        valueCounts: new Map([
          [POSITION_DELETE_FILE_PATH_ID, group.n],
          [POSITION_DELETE_POS_ID, group.n],
        ]),
        nullValueCounts: new Map([
          [POSITION_DELETE_FILE_PATH_ID, 0n],
          [POSITION_DELETE_POS_ID, 0n],
        ]),
        lowerBounds: new Map([
          [POSITION_DELETE_FILE_PATH_ID, toBytes("string", group.file)],
          [POSITION_DELETE_POS_ID, toBytes("long", group.lo)],
        ]),
        upperBounds: new Map([
          [POSITION_DELETE_FILE_PATH_ID, toBytes("string", group.file)],
          [POSITION_DELETE_POS_ID, toBytes("long", group.hi)],
        ]),
        specId: spec["spec-id"],
      });
    }
    return result;
  } catch (error) {
    await io.deleteMany(written).catch(() => undefined);
    throw error;
  }
}

/** column_size_bytes of file_path and pos from COPY ... RETURN_STATS. */
function columnSizes(statistics: Map<EngineValue, EngineValue> | null): { file_path?: bigint; pos?: bigint } {
  const out: { file_path?: bigint; pos?: bigint } = {};
  for (const [key, stats] of statistics ?? new Map()) {
    const name = String(key).replace(/^"|"$/g, "");
    const size = (stats as Map<EngineValue, EngineValue>).get("column_size_bytes");
    if (size === undefined || size === null) continue;
    if (name === "file_path") out.file_path = BigInt(String(size));
    if (name === "pos") out.pos = BigInt(String(size));
  }
  return out;
}
