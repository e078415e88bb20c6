/**
 * A pure builder for partition spec changes (spec "Partition Evolution"), with the reference
 * implementation's semantics: partition field ids never change; a field re-added with the same
 * source and transform as one in any historical spec gets that field's id back (v2+, so old
 * manifests and new ones agree on what an id means); removed fields disappear in v2 but are
 * kept as `void` in v1, whose readers assign ids by position.
 */
import { validation } from "../core/errors.ts";
import type { PartitionField, PartitionSpec } from "./partition-spec.ts";
import { defaultPartitionName, resolvePartitionSource, validatePartitionSpec } from "./partitioning.ts";
import { indexById } from "./schema.ts";
import { isTimeTransform, parseTransform } from "./transforms.ts";
import type { Schema } from "./types.ts";

const transformKey = (sourceId: number, transform: string): string => `${sourceId}:${parseTransform(transform)}`;

/** Records additions, removals and renames of partition fields and applies them to a new spec. */
export class PartitionSpecUpdate {
  private readonly base: PartitionSpec;
  private readonly schema: Schema;
  private readonly formatVersion: number;
  private readonly historicalSpecs: PartitionSpec[];
  private lastPartitionId: number;
  private readonly nameToField = new Map<string, PartitionField>();
  private readonly transformToField = new Map<string, PartitionField>();
  private readonly adds: PartitionField[] = [];
  private readonly addedTimeFields = new Map<number, PartitionField>();
  private readonly transformToAdded = new Map<string, PartitionField>();
  private readonly nameToAdded = new Map<string, PartitionField>();
  private readonly deletes = new Set<number>();
  private readonly renames = new Map<string, string>();

  constructor(
    base: PartitionSpec,
    schema: Schema,
    lastPartitionId: number,
    options: { formatVersion?: number; historicalSpecs?: PartitionSpec[] } = {},
  ) {
    this.base = base;
    this.schema = schema;
    this.lastPartitionId = lastPartitionId;
    this.formatVersion = options.formatVersion ?? 2;
    this.historicalSpecs = options.historicalSpecs ?? [];
    for (const field of base.fields) {
      if (parseTransform(field.transform).name === "unknown")
        throw validation(
          `cannot update partition spec ${base["spec-id"]}: field ${field.name} has unknown transform ${field.transform}`,
        );
      this.nameToField.set(field.name, field);
      this.transformToField.set(transformKey(field["source-id"], field.transform), field);
    }
  }

  /** Adds a partition field on `source` (dotted column name) with `transform` (default identity). */
  addField(source: string, transform = "identity", name?: string): this {
    const what = `cannot add partition field ${name ?? `${transform}(${source})`}`;
    if (name !== undefined && this.nameToAdded.has(name)) throw validation(`${what}: name ${name} already added`);
    const column = resolvePartitionSource(this.schema, source, what);
    const t = parseTransform(transform);
    if (t.name === "unknown") throw validation(`${what}: unknown transform ${transform}`);
    if (!t.canTransform(column.type)) throw validation(`${what}: ${t} cannot apply to ${String(column.type)}`);
    const key = `${column.id}:${t}`;

    const existing = this.transformToField.get(key);
    if (existing && this.deletes.has(existing["field-id"])) {
      // Removing and re-adding the same field in one change is a no-op (plus a rename if asked).
      this.deletes.delete(existing["field-id"]);
      return name === undefined || name === existing.name ? this : this.renameField(existing.name, name);
    }
    if (existing) throw validation(`${what}: duplicate of existing field ${existing.name}`);
    const added = this.transformToAdded.get(key);
    if (added) throw validation(`${what}: duplicate of added field ${added.name}`);

    const field = this.recycleOrCreate(column.id, t.toString(), name, indexById(this.schema).get(column.id)!.name);
    if (isTimeTransform(t)) {
      const other = this.addedTimeFields.get(column.id);
      if (other) throw validation(`${what}: redundant with added field ${other.name} (${other.transform})`);
      this.addedTimeFields.set(column.id, field);
    }
    this.transformToAdded.set(key, field);

    const sameName = this.nameToField.get(field.name);
    if (sameName && !this.deletes.has(sameName["field-id"])) {
      // A v1 void field keeps its old name; step it aside for the new field.
      if (parseTransform(sameName.transform).name !== "void")
        throw validation(`${what}: partition name ${field.name} already exists`);
      this.renameField(sameName.name, `${sameName.name}_${sameName["field-id"]}`);
    } else if (sameName) {
      this.renames.set(sameName.name, `${sameName.name}_${sameName["field-id"]}`);
    }
    this.nameToAdded.set(field.name, field);
    this.adds.push(field);
    return this;
  }

  /** In v2+, an equal field (source, transform, and name if given) from any historical spec is reused with its id. */
  private recycleOrCreate(
    sourceId: number,
    transform: string,
    name: string | undefined,
    sourceName: string,
  ): PartitionField {
    if (this.formatVersion >= 2) {
      for (const spec of [...this.historicalSpecs, this.base]) {
        for (const field of spec.fields) {
          const same = field["source-id"] === sourceId && parseTransform(field.transform).toString() === transform;
          if (same && (name === undefined || field.name === name)) return { ...field, transform };
        }
      }
    }
    const fieldId = ++this.lastPartitionId;
    return {
      "source-id": sourceId,
      "field-id": fieldId,
      name: name ?? defaultPartitionName(sourceName, parseTransform(transform)),
      transform,
    };
  }

  /** Removes the partition field named `name` (v1: replaced by a void transform). */
  removeField(name: string): this {
    if (this.nameToAdded.has(name)) throw validation(`cannot remove newly added partition field: ${name}`);
    if (this.renames.has(name)) throw validation(`cannot rename and remove partition field: ${name}`);
    const field = this.nameToField.get(name);
    if (!field) throw validation(`cannot find partition field to remove: ${name}`);
    this.deletes.add(field["field-id"]);
    return this;
  }

  /** Renames a partition field of the base spec. */
  renameField(name: string, newName: string): this {
    if (!newName) throw validation(`cannot rename partition field ${name} to an empty name`);
    const occupant = this.nameToField.get(newName);
    if (occupant && occupant.name !== name && parseTransform(occupant.transform).name === "void")
      this.renameField(occupant.name, `${occupant.name}_${occupant["field-id"]}`);
    if (this.nameToAdded.has(name)) throw validation(`cannot rename newly added partition field: ${name}`);
    const field = this.nameToField.get(name);
    if (!field) throw validation(`cannot find partition field to rename: ${name}`);
    if (this.deletes.has(field["field-id"])) throw validation(`cannot remove and rename partition field: ${name}`);
    this.renames.set(name, newName);
    return this;
  }

  /** The new spec (spec-id = base + 1; the caller may renumber) and the new last partition id; validated. */
  apply(): { spec: PartitionSpec; lastPartitionId: number } {
    const fields: PartitionField[] = [];
    for (const field of this.base.fields) {
      const name = this.renames.get(field.name) ?? field.name;
      if (!this.deletes.has(field["field-id"])) fields.push({ ...field, name });
      else if (this.formatVersion < 2) fields.push({ ...field, name, transform: "void" });
    }
    fields.push(...this.adds);
    const spec: PartitionSpec = { "spec-id": this.base["spec-id"] + 1, fields };
    validatePartitionSpec(spec, this.schema);
    return { spec, lastPartitionId: this.lastPartitionId };
  }
}
