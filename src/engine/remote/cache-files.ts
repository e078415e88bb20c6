/**
 * File naming and atomic writes shared by the remote-read caches. A cached item is named by a
 * hash of the remote location and its size (Iceberg data files are immutable, so location and
 * size identify the content), and is written to a temp file then renamed into place, so another
 * process sharing the directory sees either nothing or the whole item.
 */
import { createHash, randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** The cache key of a remote file of `size` bytes at `location`. */
export const cacheKey = (location: string, size: number): string =>
  createHash("sha256").update(`${location}\n${size}`).digest("hex");

/** A temp name next to `target`, unique across processes. */
export const tempPathFor = (target: string): string =>
  path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);

/** Writes `data` to `target` atomically (temp file, then rename over the target). */
export async function writeAtomically(target: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
