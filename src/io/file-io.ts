/**
 * FileIO: the one interface through which floe touches storage. Paths are full locations
 * ("/abs/path" or "file:///abs/path" for local, "s3://bucket/key", "memory://name/key").
 * Iceberg files are immutable once written, which the interface leans on: writes are whole-file
 * and atomic (no reader ever sees a partial file), and `create` refuses to replace a file.
 */

export interface FileInfo {
  path: string;
  size: number;
  /** Milliseconds since epoch. */
  lastModified: number;
}

export interface WriteOptions {
  /** When false (the default), writing to an existing path fails with already-exists where the store can tell. */
  overwrite?: boolean;
  contentType?: string;
}

export interface FileIO {
  /** Reads a whole file. not-found FloeError when absent. */
  read(path: string): Promise<Uint8Array>;
  /** Reads `length` bytes from `offset`. */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** Writes a whole file atomically. */
  write(path: string, data: Uint8Array, options?: WriteOptions): Promise<void>;
  /** Streams a large file (multipart upload on S3) atomically. */
  writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<void>;
  exists(path: string): Promise<boolean>;
  /** not-found FloeError when absent. */
  stat(path: string): Promise<FileInfo>;
  /** Deleting a missing file is not an error. */
  delete(path: string): Promise<void>;
  /** Batch delete; missing files are ignored. */
  deleteMany(paths: string[]): Promise<void>;
  /** Every file whose location starts with `prefix`, recursively. */
  list(prefix: string): AsyncIterable<FileInfo>;
}
