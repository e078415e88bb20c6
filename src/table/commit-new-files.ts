/**
 * Appends freshly written data files in one snapshot, and cleans them up when the commit provably
 * did not land: only a non-io FloeError proves that (the commit loop's own rule); after anything
 * else the files may be referenced, so they are left for orphan cleanup.
 */
import { FloeError } from "../core/errors.ts";
import type { DataFile } from "../manifest/types.ts";
import type { Table } from "./table.ts";

export interface CommitNewFilesOptions {
  /** A fast append (one new manifest, no merging) instead of the default merging append. */
  fastAppend?: boolean;
  /** Extra snapshot summary properties. */
  summary?: Record<string, string>;
}

/** Commits `files` (possibly none: an append without files still records its summary). */
export async function commitNewFiles(
  table: Table,
  files: DataFile[],
  options: CommitNewFilesOptions = {},
): Promise<void> {
  const action = options.fastAppend ? table.newFastAppend() : table.newAppend();
  if (files.length > 0) action.appendFiles(files);
  for (const [key, value] of Object.entries(options.summary ?? {})) action.set(key, value);
  try {
    await action.commit();
  } catch (error) {
    if (error instanceof FloeError && error.kind !== "io")
      await table.io.deleteMany(files.map((f) => f.filePath)).catch(() => undefined);
    throw error;
  }
}
