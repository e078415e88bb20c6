/**
 * An in-process FileIO for tests and ephemeral tables. Each instance is its own store, shared by
 * everyone holding that instance. Any location string works as a key (not only memory://), so a
 * test can stand in for S3 or local paths without touching them.
 */
import { FloeError, alreadyExists, ioError, notFound } from "../core/errors.ts";
import { checkFileLocation, checkRange, sliceRange } from "./arguments.ts";
import type { FileIO, FileInfo, WriteOptions } from "./file-io.ts";

interface StoredFile {
  data: Uint8Array;
  lastModified: number;
}

/** FileIO over a Map held by the instance; bytes are copied in and out so callers cannot alias the store. */
export class MemoryFileIO implements FileIO {
  private readonly files = new Map<string, StoredFile>();

  async read(path: string): Promise<Uint8Array> {
    return this.get(path).data.slice();
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(path, offset, length);
    return sliceRange(this.get(path).data, offset, length);
  }

  async write(path: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    checkFileLocation(path);
    this.commit(path, data.slice(), options);
  }

  async writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<void> {
    checkFileLocation(path);
    // Refuse before draining the stream; commit() checks again in case of a concurrent create.
    if (options.overwrite !== true && this.files.has(path)) throw alreadyExists(`file ${path} already exists`);
    const parts: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of chunks) {
        parts.push(chunk.slice());
        size += chunk.length;
      }
    } catch (error) {
      if (error instanceof FloeError) throw error;
      throw ioError(`writing ${path}: the data source failed: ${String(error)}`, error);
    }
    const data = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      data.set(part, at);
      at += part.length;
    }
    // Nothing is stored until the stream has ended, so readers never see a partial file.
    this.commit(path, data, options);
  }

  async exists(path: string): Promise<boolean> {
    return this.files.has(path);
  }

  async stat(path: string): Promise<FileInfo> {
    const file = this.get(path);
    return { path, size: file.data.length, lastModified: file.lastModified };
  }

  async delete(path: string): Promise<void> {
    this.files.delete(path);
  }

  async deleteMany(paths: string[]): Promise<void> {
    for (const path of paths) this.files.delete(path);
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    // Snapshot the matching names first so writes during iteration cannot disturb it.
    const names = [...this.files.keys()].filter((name) => name.startsWith(prefix)).sort();
    for (const name of names) {
      const file = this.files.get(name);
      if (file !== undefined) yield { path: name, size: file.data.length, lastModified: file.lastModified };
    }
  }

  private get(path: string): StoredFile {
    const file = this.files.get(path);
    if (file === undefined) throw notFound(`file ${path} does not exist in the memory store`);
    return file;
  }

  private commit(path: string, data: Uint8Array, options: WriteOptions): void {
    if (options.overwrite !== true && this.files.has(path)) throw alreadyExists(`file ${path} already exists`);
    this.files.set(path, { data, lastModified: Date.now() });
  }
}
