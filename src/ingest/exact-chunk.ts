/**
 * Checks one piece of input with the exact checker alone (record-checks.ts) and writes its valid
 * records, without committing: CSV pieces of a stream, and NDJSON pieces read_json cannot read.
 */
import { randomUUID } from "node:crypto";
import type { Engine } from "../engine/duckdb.ts";
import { quoteIdentifier } from "../engine/sql/quoting.ts";
import { dataLocation } from "../engine/write/append-query.ts";
import { writeDataFiles } from "../engine/write/write-data-files.ts";
import type { Table } from "../table/table.ts";
import type { CheckedChunk, ChunkOptions } from "./ndjson-chunk.ts";
import { REASON, type RecordSource, checkedRecordsSql } from "./record-checks.ts";

/** Stages `source`'s records checked, writes the valid ones; the stage holds the rejects. */
export async function checkExactChunk(
  engine: Engine,
  table: Table,
  source: RecordSource,
  options: ChunkOptions,
): Promise<CheckedChunk> {
  const schema = table.schema();
  const stage = quoteIdentifier(`floe_ingest_${randomUUID().replaceAll("-", "")}`);
  const release = () => engine.run(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
  try {
    await engine.run(`CREATE TEMP TABLE ${stage} AS ${checkedRecordsSql(schema, source)}`);
    const [counts] = await engine.all<{ valid: bigint; rejected: bigint }>(
      `SELECT count(*) FILTER (WHERE ${REASON} IS NULL) AS valid, count(*) FILTER (WHERE ${REASON} IS NOT NULL) AS rejected
       FROM ${stage}`,
    );
    const columns = schema.fields.map((field) => quoteIdentifier(field.name)).join(", ");
    const files =
      counts.valid > 0n
        ? await writeDataFiles(engine, table.io, {
            source: `SELECT ${columns} FROM ${stage} WHERE ${REASON} IS NULL`,
            schema,
            spec: table.spec(),
            sortOrder: table.sortOrder(),
            location: dataLocation(table),
            targetFileSizeBytes: options.targetFileSizeBytes,
            properties: table.properties(),
          })
        : [];
    return {
      files,
      valid: Number(counts.valid),
      rejected: Number(counts.rejected),
      rejects: counts.rejected > 0n ? stage : null,
      release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}
