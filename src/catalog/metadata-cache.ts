/**
 * A small cache of parsed metadata files by location. Metadata files are immutable and never
 * reused under the same name, so a location always means the same content; parsing a large
 * metadata file costs tens of milliseconds, and a commit would otherwise parse the file its
 * caller has just loaded a second time. Cached objects are shared: like all spec data they are
 * treated as immutable.
 */
import type { FileIO } from "../io/file-io.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import { readMetadataFile } from "./metadata-files.ts";

/** Least-recently-used cache of parsed table metadata, keyed by metadata file location. */
export class MetadataCache {
  private readonly entries = new Map<string, TableMetadata>();

  constructor(private readonly capacity = 32) {}

  /** The cached metadata of `location`, read through `io` and remembered on a miss. */
  async read(io: FileIO, location: string): Promise<TableMetadata> {
    const cached = this.entries.get(location);
    if (cached !== undefined) {
      this.entries.delete(location);
      this.entries.set(location, cached);
      return cached;
    }
    const metadata = await readMetadataFile(io, location);
    this.remember(location, metadata);
    return metadata;
  }

  /** Records metadata this process has just written to `location`. */
  remember(location: string, metadata: TableMetadata): void {
    this.entries.delete(location);
    this.entries.set(location, metadata);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
