/**
 * Schema evolution as a table action. The requested changes are recorded and replayed on the
 * schema the commit applies to, so after a conflict they are re-validated against the schema a
 * concurrent writer committed (adding a column that now exists fails instead of clobbering it).
 * A result equal to a schema the table already has reuses that schema's id, as the spec asks.
 */
import { SchemaUpdate } from "../spec/schema-evolution.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { Schema } from "../spec/types.ts";
import type { TableUpdate } from "../spec/updates.ts";
import { type ActionTarget, BaseAction, type CommitContext } from "./action.ts";
import { currentSchema } from "./snapshot-producer.ts";

type SchemaUpdateOptions = ConstructorParameters<typeof SchemaUpdate>[2];
type Change = (update: SchemaUpdate) => unknown;

/** Structural identity of schemas, ignoring the schema id. */
const sameStructure = (a: Schema, b: Schema): boolean =>
  JSON.stringify(a.fields) === JSON.stringify(b.fields) &&
  JSON.stringify(a["identifier-field-ids"] ?? []) === JSON.stringify(b["identifier-field-ids"] ?? []);

/** Fluent builder over spec/schema-evolution's SchemaUpdate: `table.updateSchema().addColumn(null, "c", "string").commit()`. */
export class UpdateSchema extends BaseAction {
  readonly description = "update-schema";
  private readonly changes: Change[] = [];

  constructor(
    target: ActionTarget,
    private readonly options?: SchemaUpdateOptions,
  ) {
    super(target);
  }

  private record(change: Change): this {
    this.changes.push(change);
    return this;
  }

  /** Adds a column (under `parent`, or top-level when null). */
  addColumn(...args: Parameters<SchemaUpdate["addColumn"]>): this {
    return this.record((u) => u.addColumn(...args));
  }
  /** Deletes a column. */
  deleteColumn(...args: Parameters<SchemaUpdate["deleteColumn"]>): this {
    return this.record((u) => u.deleteColumn(...args));
  }
  /** Renames a column. */
  renameColumn(...args: Parameters<SchemaUpdate["renameColumn"]>): this {
    return this.record((u) => u.renameColumn(...args));
  }
  /** Widens a column's primitive type (a promotion the spec allows). */
  updateColumn(...args: Parameters<SchemaUpdate["updateColumn"]>): this {
    return this.record((u) => u.updateColumn(...args));
  }
  /** Changes a column's doc. */
  updateColumnDoc(...args: Parameters<SchemaUpdate["updateColumnDoc"]>): this {
    return this.record((u) => u.updateColumnDoc(...args));
  }
  /** Changes a column's write default. */
  updateColumnDefault(...args: Parameters<SchemaUpdate["updateColumnDefault"]>): this {
    return this.record((u) => u.updateColumnDefault(...args));
  }
  /** Allows changes that break readers of old data (e.g. requiring an optional column). */
  allowIncompatibleChanges(): this {
    return this.record((u) => u.allowIncompatibleChanges());
  }
  /** Moves a column to the first position of its struct. */
  moveFirst(...args: Parameters<SchemaUpdate["moveFirst"]>): this {
    return this.record((u) => u.moveFirst(...args));
  }
  /** Moves a column before another. */
  moveBefore(...args: Parameters<SchemaUpdate["moveBefore"]>): this {
    return this.record((u) => u.moveBefore(...args));
  }
  /** Moves a column after another. */
  moveAfter(...args: Parameters<SchemaUpdate["moveAfter"]>): this {
    return this.record((u) => u.moveAfter(...args));
  }
  /** Makes a required column optional. */
  makeColumnOptional(...args: Parameters<SchemaUpdate["makeColumnOptional"]>): this {
    return this.record((u) => u.makeColumnOptional(...args));
  }
  /** Makes an optional column required. */
  requireColumn(...args: Parameters<SchemaUpdate["requireColumn"]>): this {
    return this.record((u) => u.requireColumn(...args));
  }
  /** Replaces the identifier (row key) fields. */
  setIdentifierFields(...args: Parameters<SchemaUpdate["setIdentifierFields"]>): this {
    return this.record((u) => u.setIdentifierFields(...args));
  }

  async prepare(base: TableMetadata, _ctx: CommitContext): Promise<TableUpdate[]> {
    const current = currentSchema(base);
    const update = new SchemaUpdate(current, base["last-column-id"], {
      formatVersion: base["format-version"],
      ...this.options,
    });
    for (const change of this.changes) change(update);
    const { schema, lastColumnId } = update.apply();
    if (sameStructure(schema, current)) return [];
    const existing = base.schemas.find((candidate) => sameStructure(candidate, schema));
    if (existing) return [{ action: "set-current-schema", "schema-id": existing["schema-id"] }];
    const schemaId = Math.max(...base.schemas.map((candidate) => candidate["schema-id"])) + 1;
    return [
      { action: "add-schema", schema: { ...schema, "schema-id": schemaId }, "last-column-id": lastColumnId },
      { action: "set-current-schema", "schema-id": -1 },
    ];
  }
}
