/**
 * The commit of one ingest batch whose data files are already written: one append snapshot with
 * the batch's summary. A batch without files still commits an append without files, so that its
 * lines count as done (a re-run neither repeats its dead letters nor reprocesses them).
 */
import { FloeError, validation } from "../core/errors.ts";
import type { DataFile } from "../manifest/types.ts";
import type { Table } from "../table/table.ts";

/** Commits `files` (possibly none) with `summary`; returns the new snapshot's id. */
export async function commitFiles(table: Table, files: DataFile[], summary: Record<string, string>): Promise<bigint> {
  const action = table.newAppend();
  if (files.length > 0) action.appendFiles(files);
  for (const [key, value] of Object.entries(summary)) action.set(key, value);
  try {
    await action.commit();
  } catch (error) {
    // Only a non-io FloeError proves the snapshot did not land (the commit loop's own rule); after
    // anything else the files may be referenced, so they are left for orphan cleanup.
    if (error instanceof FloeError && error.kind !== "io")
      await table.io.deleteMany(files.map((f) => f.filePath)).catch(() => undefined);
    throw error;
  }
  const current = table.currentSnapshot();
  if (!current) throw validation(`ingest: table ${table.name()} has no snapshot after committing a batch`);
  return current["snapshot-id"];
}
