/**
 * One FileIO for every location: picks local, S3 or memory storage by the location's scheme, so
 * callers (catalogs, tables) can hold a single FileIO whatever their warehouse lives on.
 */
import type { FileIO, FileInfo, WriteOptions } from "./file-io.ts";
import { lazyS3FileIO } from "./lazy-file-io.ts";
import { LocalFileIO } from "./local-file-io.ts";
import { type LocationScheme, parseLocation } from "./locations.ts";
import { MemoryFileIO } from "./memory-file-io.ts";
import { type S3Config, s3ConfigFromEnv } from "./s3-config.ts";

/** What a RoutingFileIO routes to; anything left out gets the default implementation. */
export interface RoutingFileIOOptions {
  /** Settings for the S3 FileIO, created on the first s3:// access; defaults to s3ConfigFromEnv(). */
  s3?: S3Config;
  local?: FileIO;
  memory?: FileIO;
  /** Replaces the S3 FileIO altogether (then `s3` is unused). */
  s3FileIO?: FileIO;
}

/** Dispatches each call to the FileIO of the location's scheme (file, s3/s3a/s3n, memory). */
export class RoutingFileIO implements FileIO {
  private readonly local: FileIO;
  private readonly memory: FileIO;
  private s3: FileIO | undefined;
  private readonly s3Config: S3Config | undefined;

  constructor(options: RoutingFileIOOptions = {}) {
    this.local = options.local ?? new LocalFileIO();
    this.memory = options.memory ?? new MemoryFileIO();
    this.s3 = options.s3FileIO;
    this.s3Config = options.s3;
  }

  /** The FileIO that serves `location`; bad-input/unsupported FloeError for unknown locations. */
  fileIOFor(location: string): FileIO {
    return this.byScheme(parseLocation(location).scheme);
  }

  async read(path: string): Promise<Uint8Array> {
    return this.fileIOFor(path).read(path);
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    return this.fileIOFor(path).readRange(path, offset, length);
  }

  async write(path: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    return this.fileIOFor(path).write(path, data, options);
  }

  async writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<void> {
    return this.fileIOFor(path).writeStream(path, chunks, options);
  }

  async exists(path: string): Promise<boolean> {
    return this.fileIOFor(path).exists(path);
  }

  async stat(path: string): Promise<FileInfo> {
    return this.fileIOFor(path).stat(path);
  }

  async delete(path: string): Promise<void> {
    return this.fileIOFor(path).delete(path);
  }

  async deleteMany(paths: string[]): Promise<void> {
    // Group first so each store gets one batched call (S3 then deletes 1000 keys per request).
    const groups = new Map<FileIO, string[]>();
    for (const path of paths) {
      const io = this.fileIOFor(path);
      const group = groups.get(io);
      if (group === undefined) groups.set(io, [path]);
      else group.push(path);
    }
    await Promise.all([...groups].map(([io, group]) => io.deleteMany(group)));
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    yield* this.fileIOFor(prefix).list(prefix);
  }

  private byScheme(scheme: LocationScheme): FileIO {
    switch (scheme) {
      case "file":
        return this.local;
      case "memory":
        return this.memory;
      case "s3":
        // Created (and its SDK loaded) on first use: most runs never touch S3.
        this.s3 ??= lazyS3FileIO(this.s3Config ?? s3ConfigFromEnv());
        return this.s3;
    }
  }
}

/** The default FileIO of floe: local, S3 and memory locations, S3 configured by `options.s3` or the environment. */
export function createFileIO(options: { s3?: S3Config } = {}): FileIO {
  return new RoutingFileIO(options);
}
