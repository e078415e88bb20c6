/**
 * Deleting whole files: by a filter that must cover each removed file entirely, or by path. The
 * manifests holding removed files are rewritten with those entries DELETED and the rest EXISTING;
 * untouched manifests are reused as they are.
 */
import type { DataFile } from "../manifest/types.ts";
import type { Expression } from "../expr/expressions.ts";
import type { Operation } from "../spec/snapshot.ts";
import { RemovingProducer } from "./removing-producer.ts";

/** Fluent builder: `table.newDelete().deleteFromFilter(expr).commit()`. */
export class DeleteFiles extends RemovingProducer {
  readonly description = "delete";

  /** Removes every file whose rows all match `expr`; a partly matching data file fails the commit. */
  deleteFromFilter(expr: Expression): this {
    this.removeByFilter(expr);
    return this;
  }

  /** Removes one live data file by path (or its DataFile); the commit fails if it is not in the table. */
  deleteFile(file: string | DataFile): this {
    this.removeByPath(file);
    return this;
  }

  protected mergesManifests(): boolean {
    return true;
  }

  protected operationFor(): Operation {
    return "delete";
  }
}
