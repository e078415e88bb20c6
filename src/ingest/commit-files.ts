/**
 * The commit of one ingest batch whose data files are already written: one append snapshot with
 * the batch's summary. A batch without files still commits an append without files, so that its
 * lines count as done (a re-run neither repeats its dead letters nor reprocesses them).
 */
import { validation } from "../core/errors.ts";
import type { DataFile } from "../manifest/types.ts";
import { commitNewFiles } from "../table/commit-new-files.ts";
import type { Table } from "../table/table.ts";

/** Commits `files` (possibly none) with `summary`; returns the new snapshot's id. */
export async function commitFiles(table: Table, files: DataFile[], summary: Record<string, string>): Promise<bigint> {
  await commitNewFiles(table, files, { summary });
  const current = table.currentSnapshot();
  if (!current) throw validation(`ingest: table ${table.name()} has no snapshot after committing a batch`);
  return current["snapshot-id"];
}
