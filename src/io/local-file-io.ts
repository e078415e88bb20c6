/**
 * FileIO over the local filesystem. Accepts "/abs/path" and file: URLs ("file:///abs",
 * "file:/abs", "file://localhost/abs") and lists in the same style it was given.
 *
 * Every write goes to a temporary file in the target directory and only then appears under its
 * final name, so readers see either no file or the whole file. Durability is deferred to the
 * commit's barrier (deferred-sync.ts): the file is recorded there instead of fsynced here.
 * Creating (overwrite false) hard-links the temporary file to the final name: link() fails with
 * EEXIST when the name is taken, which makes "create if absent" atomic even between processes
 * racing for the same path.
 */
import { randomUUID } from "node:crypto";
import type { Dirent } from "node:fs";
import { link, mkdir, open, readFile, readdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { FloeError, alreadyExists, badInput, ioError, notFound } from "../core/errors.ts";
import { checkFileLocation, checkRange } from "./arguments.ts";
import { deferSync } from "./deferred-sync.ts";
import type { FileIO, FileInfo, WriteOptions } from "./file-io.ts";
import { locationHead, parseLocation } from "./locations.ts";

/** Marks in-progress temporary files so listings can leave them out. */
const TEMP_SUFFIX = ".floe-tmp";
const TEMP_NAME = /^\..+\.[0-9a-f-]{36}\.floe-tmp$/;
/** How many files deleteMany removes at once. */
const DELETE_CONCURRENCY = 32;

const errorCode = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;

/** FileIO for local disks; see the module comment for the atomicity guarantees. */
export class LocalFileIO implements FileIO {
  async read(location: string): Promise<Uint8Array> {
    const file = toFsPath(location);
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      throw fsError("read", location, error);
    }
  }

  async readRange(location: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(location, offset, length);
    const file = toFsPath(location);
    try {
      const handle = await open(file, "r");
      try {
        const buffer = new Uint8Array(length);
        let filled = 0;
        // A single read may return fewer bytes than asked; loop until the range or the file ends.
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === length ? buffer : buffer.slice(0, filled);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw fsError("readRange", location, error);
    }
  }

  async write(location: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    await this.writeAtomically(location, options, async (handle) => {
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await handle.write(data, written, data.length - written);
        written += bytesWritten;
      }
    });
  }

  async writeStream(location: string, chunks: AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<void> {
    await this.writeAtomically(location, options, async (handle) => {
      let iterator: AsyncIterator<Uint8Array>;
      try {
        iterator = chunks[Symbol.asyncIterator]();
      } catch (error) {
        throw sourceError(location, error);
      }
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          throw sourceError(location, error);
        }
        if (next.done) break;
        let written = 0;
        while (written < next.value.length) {
          const { bytesWritten } = await handle.write(next.value, written, next.value.length - written);
          written += bytesWritten;
        }
      }
    });
  }

  async exists(location: string): Promise<boolean> {
    const file = toFsPath(location);
    try {
      return (await stat(file)).isFile();
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR") return false;
      throw fsError("exists", location, error);
    }
  }

  async stat(location: string): Promise<FileInfo> {
    const file = toFsPath(location);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (error) {
      throw fsError("stat", location, error);
    }
    if (!info.isFile()) throw notFound(`no file at ${location}: it is a directory or special file`);
    return { path: location, size: info.size, lastModified: Math.floor(info.mtimeMs) };
  }

  async delete(location: string): Promise<void> {
    const file = toFsPath(location);
    try {
      await unlink(file);
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      // unlink() of a folder: FileIO deletes files only, and quietly succeeding would mislead.
      if (code === "EISDIR") throw ioError(`cannot delete ${location}: it is a directory`, error);
      throw fsError("delete", location, error);
    }
  }

  async deleteMany(locations: string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < locations.length) await this.delete(locations[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, locations.length) }, worker));
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    const parsed = parseLocation(prefix);
    if (parsed.scheme !== "file") throw badInput(`local FileIO cannot list ${prefix}: not a local location`);
    const head = locationHead(prefix, parsed);
    // "Starts with prefix" is a string test, so "/t/da" matches "/t/data/x" and "/t/day/y": walk the
    // directory holding the prefix and keep the entries whose full path starts with it.
    const fsPrefix = parsed.path;
    const parent = path.dirname(fsPrefix);
    const directory = fsPrefix.endsWith("/") ? fsPrefix : parent === "/" ? "/" : `${parent}/`;
    for await (const file of walk(directory, fsPrefix)) yield { ...file, path: head + file.path };
  }

  private async writeAtomically(
    location: string,
    options: WriteOptions,
    fill: (handle: Awaited<ReturnType<typeof open>>) => Promise<void>,
  ): Promise<void> {
    checkFileLocation(location);
    const file = toFsPath(location);
    const directory = path.dirname(file);
    const temp = path.join(directory, `.${path.basename(file)}.${randomUUID()}${TEMP_SUFFIX}`);
    // Fail fast before writing (or draining a stream); link() below still settles any race.
    if (options.overwrite !== true && (await this.exists(location))) {
      throw alreadyExists(`file ${location} already exists`);
    }
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      throw writeError(location, error);
    }
    try {
      const handle = await open(temp, "wx");
      try {
        await fill(handle);
      } finally {
        await handle.close();
      }
      if (options.overwrite === true) await rename(temp, file);
      else await createFrom(temp, file, location);
      deferSync(file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw writeError(location, error);
    }
    // After a successful link the temporary name still points at the file; drop it.
    await unlink(temp).catch(() => undefined);
  }
}

/** Publishes `temp` under `file` only if `file` does not exist yet. */
async function createFrom(temp: string, file: string, location: string): Promise<void> {
  try {
    await link(temp, file);
  } catch (error) {
    const code = errorCode(error);
    if (code === "EEXIST") throw alreadyExists(`file ${location} already exists`, error);
    // Some filesystems (certain network and FUSE mounts) have no hard links. Fall back to
    // check-then-rename: readers still never see a partial file, but two racing creators could
    // both succeed there.
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOSYS") {
      if (
        await stat(file).then(
          () => true,
          () => false,
        )
      )
        throw alreadyExists(`file ${location} already exists`);
      await rename(temp, file);
      return;
    }
    throw error;
  }
}

/** Yields files under `directory` whose path starts with `prefix`, in lexicographic order of path. */
async function* walk(directory: string, prefix: string): AsyncGenerator<FileInfo> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw ioError(`listing ${directory} failed: ${String(error)}`, error);
  }
  // Sorting directories as "name/" makes a depth-first walk come out in global path order.
  const keyed = entries
    .filter((entry) => !TEMP_NAME.test(entry.name))
    .map((entry) => ({ entry, full: directory + entry.name, isDirectory: entry.isDirectory() }))
    .map((item) => ({ ...item, sortKey: item.isDirectory ? `${item.full}/` : item.full }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const { entry, full, isDirectory: dir, sortKey } of keyed) {
    if (dir) {
      // Descend only where something below could match the prefix.
      if (sortKey.startsWith(prefix) || prefix.startsWith(sortKey)) yield* walk(sortKey, prefix);
      continue;
    }
    if (!full.startsWith(prefix)) continue;
    const info = await fileInfo(full, entry);
    if (info !== undefined) yield info;
  }
}

/** Size and time of a listed file, or undefined when it vanished or is not a regular file. */
async function fileInfo(full: string, entry: Dirent): Promise<FileInfo | undefined> {
  if (!entry.isFile() && !entry.isSymbolicLink()) return undefined;
  try {
    const info = await stat(full);
    if (!info.isFile()) return undefined;
    return { path: full, size: info.size, lastModified: Math.floor(info.mtimeMs) };
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw ioError(`listing ${full} failed: ${String(error)}`, error);
  }
}

function toFsPath(location: string): string {
  const parsed = parseLocation(location);
  if (parsed.scheme !== "file") throw badInput(`local FileIO cannot handle ${location}: not a local location`);
  return parsed.path;
}

function sourceError(location: string, error: unknown): FloeError {
  if (error instanceof FloeError) return error;
  return ioError(`writing ${location}: the data source failed: ${String(error)}`, error);
}

/** A failed write is an io error whatever the code: a missing parent means it could not be created. */
function writeError(location: string, error: unknown): FloeError {
  if (error instanceof FloeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FloeError("io", `write of ${location} failed: ${message}`, {
    cause: error,
    retryable: isTransient(error),
  });
}

function isTransient(error: unknown): boolean {
  const code = errorCode(error);
  return code === "EMFILE" || code === "ENFILE" || code === "EAGAIN" || code === "EBUSY";
}

/** Maps a filesystem error to not-found or io, naming the location the caller used. */
function fsError(operation: string, location: string, error: unknown): FloeError {
  if (error instanceof FloeError) return error;
  const code = errorCode(error);
  if (code === "ENOENT" || code === "ENOTDIR") return notFound(`file ${location} does not exist`, error);
  if (code === "EISDIR") return notFound(`no file at ${location}: it is a directory`, error);
  const message = error instanceof Error ? error.message : String(error);
  return new FloeError("io", `${operation} of ${location} failed: ${message}`, {
    cause: error,
    retryable: isTransient(error),
  });
}
