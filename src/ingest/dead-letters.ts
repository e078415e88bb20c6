/**
 * The dead-letter file: one JSON object per rejected record, appended as batches are processed
 * (before their commit, so a crash can repeat dead letters but never lose them):
 * `{"table": "ns.t", "source": "/abs/file.ndjson", "line": 7, "reason": "field x: expected long, got \"a\"", "record": "<raw text>"}`
 * (Parquet rows carry "row" instead of "line" and the row as JSON text in "record").
 * DuckDB writes the batch's rejects (COPY ... FORMAT json), which are then appended to the file.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Engine } from "../engine/duckdb.ts";
import { quoteString } from "../engine/sql/quoting.ts";
import { LINE, REASON, RECORD } from "./record-checks.ts";

/** The default dead-letter path: <cwd>/floe-dead-letters/<table>-<UTC timestamp>.ndjson. */
export function defaultDeadLetterPath(tableName: string, now: Date = new Date(), cwd: string = process.cwd()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return path.join(cwd, "floe-dead-letters", `${tableName}-${stamp}.ndjson`);
}

/** What identifies the rejected records of one batch. */
export interface DeadLetterBatch {
  tableName: string;
  source: string;
  /** "line" for text formats, "row" for Parquet. */
  positionName: "line" | "row";
  /** The staged relation and the condition selecting the batch's rejected records. */
  stage: string;
  where: string;
}

/** Appends the batch's rejected records to `deadLetterPath`, ordered by line. */
export async function appendDeadLetters(engine: Engine, deadLetterPath: string, batch: DeadLetterBatch): Promise<void> {
  const temp = path.join(engine.tempDirectory, `dead-letters-${randomUUID()}.ndjson`);
  try {
    await engine.run(
      `COPY (SELECT ${quoteString(batch.tableName)} AS "table", ${quoteString(batch.source)} AS source,
          ${LINE} AS ${batch.positionName}, ${REASON} AS reason, ${RECORD} AS record
        FROM ${batch.stage} WHERE ${batch.where} AND ${REASON} IS NOT NULL ORDER BY ${LINE})
       TO ${quoteString(temp)} (FORMAT json)`,
    );
    await mkdir(path.dirname(deadLetterPath), { recursive: true });
    await pipeline(createReadStream(temp), createWriteStream(deadLetterPath, { flags: "a" }));
  } finally {
    await rm(temp, { force: true });
  }
}
