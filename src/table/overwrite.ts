/**
 * Overwriting: remove the files a filter fully covers (and any named by path), add new files, in
 * one snapshot. Validated against concurrent commits: if another writer added a file the filter
 * may match since this overwrite started, the overwrite fails instead of leaving that data behind
 * unseen.
 */
import type { DataFile } from "../manifest/types.ts";
import type { Expression } from "../expr/expressions.ts";
import type { Operation } from "../spec/snapshot.ts";
import { RemovingProducer } from "./removing-producer.ts";

/** Fluent builder: `table.newOverwrite().overwriteByFilter(expr).addFile(f).commit()`. */
export class Overwrite extends RemovingProducer {
  readonly description = "overwrite";

  /** Removes every file whose rows all match `expr` (several calls: any of them); a partly matching file fails the commit. */
  overwriteByFilter(expr: Expression): this {
    this.removeByFilter(expr);
    return this;
  }

  /** Removes one live data file, by path or by its DataFile; the commit fails if it is not in the table. */
  deleteFile(file: string | DataFile): this {
    this.removeByPath(file);
    return this;
  }

  /** Adds a data file. */
  addFile(file: DataFile): this {
    this.queueFile(file);
    return this;
  }

  /** Adds several data files. */
  addFiles(files: Iterable<DataFile>): this {
    for (const file of files) this.queueFile(file);
    return this;
  }

  protected mergesManifests(): boolean {
    return true;
  }

  /** As the reference implementation: only removals is a delete, only additions an append. */
  protected operationFor(added: DataFile[], removed: DataFile[]): Operation {
    const removes = removed.length > 0 || this.filters.length > 0 || this.paths.size > 0;
    if (added.length === 0 && removes) return "delete";
    if (added.length > 0 && !removes) return "append";
    return "overwrite";
  }
}
