/**
 * Partition evolution as a table action. Like schema updates, the requested changes are replayed
 * on the spec and schema the commit applies to; an evolved spec equal to one the table already
 * has becomes the default again instead of being added twice.
 */
import type { PartitionSpec } from "../spec/partition-spec.ts";
import { PartitionSpecUpdate } from "../spec/partition-evolution.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import { type ActionTarget, BaseAction, type CommitContext } from "./action.ts";
import { currentSchema, specById } from "./snapshot-producer.ts";

type SpecUpdateOptions = ConstructorParameters<typeof PartitionSpecUpdate>[3];
type Change = (update: PartitionSpecUpdate) => unknown;

/** Fields equal in source, transform, name and field id. */
const sameFields = (a: PartitionSpec, b: PartitionSpec): boolean =>
  a.fields.length === b.fields.length &&
  a.fields.every(
    (field, i) =>
      field["source-id"] === b.fields[i]["source-id"] &&
      field.transform === b.fields[i].transform &&
      field.name === b.fields[i].name &&
      field["field-id"] === b.fields[i]["field-id"],
  );

/** Fluent builder over spec/partition-evolution's PartitionSpecUpdate: `table.updateSpec().addField("ts", "day").commit()`. */
export class UpdateSpec extends BaseAction {
  readonly description = "update-spec";
  private readonly changes: Change[] = [];

  constructor(
    target: ActionTarget,
    private readonly options?: SpecUpdateOptions,
  ) {
    super(target);
  }

  private record(change: Change): this {
    this.changes.push(change);
    return this;
  }

  /** Adds a partition field. */
  addField(...args: Parameters<PartitionSpecUpdate["addField"]>): this {
    return this.record((u) => u.addField(...args));
  }
  /** Removes a partition field. */
  removeField(...args: Parameters<PartitionSpecUpdate["removeField"]>): this {
    return this.record((u) => u.removeField(...args));
  }
  /** Renames a partition field. */
  renameField(...args: Parameters<PartitionSpecUpdate["renameField"]>): this {
    return this.record((u) => u.renameField(...args));
  }

  async prepare(base: TableMetadata, _ctx: CommitContext): Promise<TableUpdate[]> {
    const current = specById(base, base["default-spec-id"]);
    const update = new PartitionSpecUpdate(current, currentSchema(base), base["last-partition-id"], {
      formatVersion: base["format-version"],
      historicalSpecs: base["partition-specs"],
      ...this.options,
    });
    for (const change of this.changes) change(update);
    const { spec } = update.apply();
    if (sameFields(spec, current)) return [];
    const existing = base["partition-specs"].find((candidate) => sameFields(candidate, spec));
    if (existing) return [{ action: "set-default-spec", "spec-id": existing["spec-id"] }];
    const specId = Math.max(...base["partition-specs"].map((candidate) => candidate["spec-id"])) + 1;
    return [
      { action: "add-spec", spec: { ...spec, "spec-id": specId } },
      { action: "set-default-spec", "spec-id": -1 },
    ];
  }
}
