/**
 * Batches of a text input: which lines each ingest commit covers. A record (a non-blank line) goes
 * to the batch where either bound — records or bytes, counted in line order — puts it first, as the
 * exact path assigns them in SQL (ingest-files.ts); each batch's range runs from the line after the
 * previous batch's last record to its own last record, so the ranges tile 1..last record line.
 */
import type { Engine } from "../engine/duckdb.ts";
import type { LineRange } from "./ingest-summary.ts";
import { LINE } from "./record-checks.ts";
import { linesRelation } from "./record-sources.ts";

/** The bounds of a batch, as ingestFiles' batchRows and batchBytes. */
export interface BatchBounds {
  rows: number;
  bytes: number;
}

/**
 * Assigns records to batches exactly as the exact path does: record r (1-based, in line order) of
 * size s goes to batch max((r - 1) / rows, (bytes of the records before it) / bytes), rounded down.
 * Batches are returned as line ranges: each from the line after the previous batch's last record to
 * its own last record.
 */
export class BatchPlanner {
  private records = 0;
  private bytesBefore = 0;
  private current = -1;
  private lastLine = 0;
  private readonly done: LineRange[] = [];

  constructor(private readonly bounds: BatchBounds) {}

  /** Adds the record on `line` (increasing) with its size in bytes. */
  add(line: number, size: number): void {
    const batch = Math.max(
      Math.floor(this.records / this.bounds.rows),
      Math.floor(this.bytesBefore / this.bounds.bytes),
    );
    if (batch !== this.current) {
      if (this.current >= 0) this.done.push({ first: this.rangeStart(), last: this.lastLine });
      this.current = batch;
    }
    this.records++;
    this.bytesBefore += size;
    this.lastLine = line;
  }

  private rangeStart(): number {
    return this.done.length === 0 ? 1 : this.done[this.done.length - 1].last + 1;
  }

  /** The batches' line ranges. */
  ranges(): LineRange[] {
    return this.current < 0 ? [] : [...this.done, { first: this.rangeStart(), last: this.lastLine }];
  }
}

/**
 * The batches of a text file as DuckDB's line reader sees it (any file: compressed, "\r" line
 * breaks, blank lines), with the exact path's formula over (line, strlen + 1) of non-blank lines.
 * A serial scan of the lines (no JSON work): used for NDJSON files that are not plain.
 */
export async function planBatches(engine: Engine, file: string, bounds: BatchBounds): Promise<LineRange[]> {
  const rows = await engine.all<{ last: bigint }>(
    `SELECT max(${LINE}) AS last FROM (
       SELECT ${LINE}, greatest((row_number() OVER w - 1) // ${bounds.rows}, (sum(size) OVER w - size) // ${bounds.bytes}) AS batch
       FROM (SELECT ${LINE}, strlen(__floe_text) + 1 AS size FROM ${linesRelation(file)} WHERE trim(__floe_text) <> '')
       WINDOW w AS (ORDER BY ${LINE} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
     GROUP BY batch ORDER BY batch`,
  );
  const ranges: LineRange[] = [];
  for (const { last } of rows) ranges.push({ first: (ranges[ranges.length - 1]?.last ?? 0) + 1, last: Number(last) });
  return ranges;
}
