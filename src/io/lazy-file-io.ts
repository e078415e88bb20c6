/**
 * A FileIO that builds its real implementation on first use. The S3 SDK takes about a second of
 * CPU to load; commands that never touch S3 (most local runs) should not pay for it.
 */
import type { FileIO, FileInfo, WriteOptions } from "./file-io.ts";

export class LazyFileIO implements FileIO {
  private loaded: Promise<FileIO> | undefined;

  constructor(private readonly load: () => Promise<FileIO>) {}

  /** The real FileIO, created once. */
  target(): Promise<FileIO> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  async read(path: string): Promise<Uint8Array> {
    return (await this.target()).read(path);
  }

  async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    return (await this.target()).readRange(path, offset, length);
  }

  async write(path: string, data: Uint8Array, options?: WriteOptions): Promise<void> {
    return (await this.target()).write(path, data, options);
  }

  async writeStream(path: string, chunks: AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<void> {
    return (await this.target()).writeStream(path, chunks, options);
  }

  async exists(path: string): Promise<boolean> {
    return (await this.target()).exists(path);
  }

  async stat(path: string): Promise<FileInfo> {
    return (await this.target()).stat(path);
  }

  async delete(path: string): Promise<void> {
    return (await this.target()).delete(path);
  }

  async deleteMany(paths: string[]): Promise<void> {
    return (await this.target()).deleteMany(paths);
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    yield* (await this.target()).list(prefix);
  }
}

/** An S3 FileIO whose SDK is loaded on the first call. */
export const lazyS3FileIO = (config: import("./s3-config.ts").S3Config): LazyFileIO =>
  new LazyFileIO(async () => new (await import("./s3-file-io.ts")).S3FileIO(config));
