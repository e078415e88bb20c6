/** The running state of one ingestFiles call, shared by the exact path and the NDJSON fast path. */
import { badInput } from "../core/errors.ts";
import type { Engine } from "../engine/duckdb.ts";
import type { Table } from "../table/table.ts";
import type { IngestOptions } from "./ingest-options.ts";

/** Running totals of a run, shared by the per-file steps. */
export interface RunState {
  engine: Engine;
  table: Table;
  options: IngestOptions;
  batchRows: number;
  batchBytes: number;
  deadLetterPath: string;
  wroteDeadLetters: boolean;
  bytesTotal: number;
  bytesDone: number;
  rowsRead: number;
  rowsCommitted: number;
}

/** `value` when it is a positive safe integer, `fallback` when undefined; bad-input otherwise. */
export function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw badInput(`ingest: ${what} must be a positive integer, got ${value}`);
  return value;
}

/** Calls the run's onProgress with its cumulative counts. */
export function report(state: RunState, file: string, bytesRead: number): void {
  state.options.onProgress?.({
    file,
    rowsRead: state.rowsRead,
    rowsCommitted: state.rowsCommitted,
    bytesRead: Math.min(bytesRead, state.bytesTotal),
    bytesTotal: state.bytesTotal,
  });
}
