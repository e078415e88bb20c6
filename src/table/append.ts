/**
 * Appending data files. The fast append writes one new manifest and lists the parent's manifests
 * unchanged (cheapest commit, manifests accumulate); the merge append, the default, additionally
 * combines small manifests once commit.manifest.min-count-to-merge of them pile up, keeping
 * planning cost bounded for tables that take many small commits. Appends never conflict with each
 * other: a retry simply lists the new manifest on top of whatever was committed meanwhile.
 */
import type { DataFile } from "../manifest/types.ts";
import type { Operation } from "../spec/snapshot.ts";
import { FileChangeProducer } from "./file-change-producer.ts";

abstract class AppendBase extends FileChangeProducer {
  /** Adds one data file. */
  appendFile(file: DataFile): this {
    this.queueFile(file);
    return this;
  }

  /** Adds several data files. */
  appendFiles(files: Iterable<DataFile>): this {
    for (const file of files) this.queueFile(file);
    return this;
  }

  protected operationFor(): Operation {
    return "append";
  }
}

/** `table.newFastAppend()`: a new manifest for the added files, the parent's manifests kept as they are. */
export class FastAppend extends AppendBase {
  readonly description = "fast-append";

  protected mergesManifests(): boolean {
    return false;
  }
}

/** `table.newAppend()`: an append that merges manifests per the commit.manifest.* properties. */
export class MergeAppend extends AppendBase {
  readonly description = "append";

  protected mergesManifests(): boolean {
    return true;
  }
}
