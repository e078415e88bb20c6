/**
 * The factory methods Table and Transaction share: each returns a fluent builder whose commit()
 * goes to this target (straight to the catalog for a Table, into the staged list for a Transaction).
 */
import type { FileIO } from "../io/file-io.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { ActionTarget, TableAction } from "./action.ts";
import { FastAppend, MergeAppend } from "./append.ts";
import { DeleteFiles } from "./delete.ts";
import { ExpireSnapshots } from "./expire-snapshots.ts";
import { ManageSnapshots } from "./manage-snapshots.ts";
import { Overwrite } from "./overwrite.ts";
import { ReplacePartitions } from "./replace-partitions.ts";
import { ReplaceSortOrder } from "./replace-sort-order.ts";
import { RewriteFiles } from "./rewrite-files.ts";
import { RowDelta } from "./row-delta.ts";
import type { Table } from "./table.ts";
import { UpdateProperties } from "./update-properties.ts";
import { UpdateSchema } from "./update-schema.ts";
import { UpdateSpec } from "./update-spec.ts";

/** Base of Table and Transaction: the action builders. */
export abstract class ActionFactory implements ActionTarget {
  abstract readonly metadata: TableMetadata;
  abstract readonly io: FileIO;
  abstract commitAction(action: TableAction): Promise<Table>;

  /** An append that merges small manifests per the commit.manifest.* properties. */
  newAppend(): MergeAppend {
    return new MergeAppend(this);
  }
  /** An append that adds one manifest and never rewrites existing ones. */
  newFastAppend(): FastAppend {
    return new FastAppend(this);
  }
  /** Removes files by filter or path and adds files, in one snapshot. */
  newOverwrite(): Overwrite {
    return new Overwrite(this);
  }
  /** Replaces the partitions the added files belong to (dynamic overwrite). */
  newReplacePartitions(): ReplacePartitions {
    return new ReplacePartitions(this);
  }
  /** Removes whole files by filter or path. */
  newDelete(): DeleteFiles {
    return new DeleteFiles(this);
  }
  /** Row-level changes: adds data and delete files (position/equality deletes) in one snapshot. */
  newRowDelta(): RowDelta {
    return new RowDelta(this);
  }
  /** Replaces a set of files by another in one snapshot (compaction, or copy-on-write DML with asOverwrite()). */
  newRewriteFiles(): RewriteFiles {
    return new RewriteFiles(this);
  }
  /** Evolves the schema. */
  updateSchema(options?: ConstructorParameters<typeof UpdateSchema>[1]): UpdateSchema {
    return new UpdateSchema(this, options);
  }
  /** Evolves the default partition spec. */
  updateSpec(options?: ConstructorParameters<typeof UpdateSpec>[1]): UpdateSpec {
    return new UpdateSpec(this, options);
  }
  /** Replaces the default sort order. */
  replaceSortOrder(): ReplaceSortOrder {
    return new ReplaceSortOrder(this);
  }
  /** Sets and removes table properties. */
  updateProperties(): UpdateProperties {
    return new UpdateProperties(this);
  }
  /** Rollback, branches, tags, cherry-pick. */
  manageSnapshots(): ManageSnapshots {
    return new ManageSnapshots(this);
  }
  /** Removes old snapshots from the metadata. */
  expireSnapshots(): ExpireSnapshots {
    return new ExpireSnapshots(this);
  }
}
