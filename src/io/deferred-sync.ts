/**
 * Durability of local writes as one barrier per commit instead of two fsyncs per file.
 *
 * A commit writes several files (data files, manifests, a manifest list, a metadata file) and
 * then publishes them by moving the catalog's pointer. Nothing reads those files before the
 * pointer moves, so they need to be durable only at that moment. Local writes therefore stay
 * atomic (a temporary file linked under its final name) but are not fsynced one by one; they are
 * recorded here, and the commit calls `syncDeferredWrites()` right before it moves the pointer:
 * every pending file and then every directory holding one is fsynced, all in parallel, which the
 * filesystem's journal turns into about one fsync's wait. A crash before the barrier leaves only
 * unreferenced files (orphans); a crash after it cannot lose a published file.
 *
 * The set is process-wide because the files of one commit are written through different FileIO
 * instances and wrappers (the table's, the engine's, the catalog's); object stores need no entry,
 * their writes are durable when the PUT returns.
 */
import { open } from "node:fs/promises";
import path from "node:path";
import { ioError } from "../core/errors.ts";

const pending = new Set<string>();
const inFlight = new Set<Promise<void>>();

/** Records a local file (filesystem path) written without fsync; the next barrier makes it durable. */
export function deferSync(fsPath: string): void {
  pending.add(fsPath);
}

/** Files recorded and not yet taken by a barrier (for tests and diagnostics). */
export const deferredWriteCount = (): number => pending.size;

/**
 * Makes every file recorded so far durable, with its directory entry. Also waits for barriers
 * already running, since they may have taken this caller's files. io FloeError when an fsync fails:
 * the commit must not publish then.
 */
export async function syncDeferredWrites(): Promise<void> {
  if (pending.size > 0) {
    const files = [...pending];
    pending.clear();
    const barrier = syncAll(files);
    inFlight.add(barrier);
    barrier.then(
      () => inFlight.delete(barrier),
      () => inFlight.delete(barrier),
    );
  }
  await Promise.all([...inFlight]);
}

async function syncAll(files: string[]): Promise<void> {
  // File contents before names: a directory entry made durable must never point at lost data.
  await Promise.all(files.map((file) => fsync(file, true)));
  const directories = new Set(files.map((file) => path.dirname(file)));
  await Promise.all([...directories].map((directory) => fsync(directory, false)));
}

async function fsync(target: string, required: boolean): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(target, "r");
  } catch (error) {
    // A file removed since (an abandoned commit cleaned up) has nothing left to make durable.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw ioError(`cannot open ${target} to make it durable: ${(error as Error).message}`, error);
  }
  try {
    await handle.sync();
  } catch (error) {
    // Some platforms cannot fsync a directory; the files themselves are durable then.
    if (required) throw ioError(`fsync of ${target} failed: ${(error as Error).message}`, error);
  } finally {
    await handle.close();
  }
}
