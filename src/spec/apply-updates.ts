/**
 * Applies a commit's updates (REST `TableUpdate`) to table metadata, with the semantics of the
 * reference implementation's TableMetadata.Builder: identical schemas, specs and sort orders are
 * reused instead of duplicated, -1 means "the one added in this change", snapshots must advance the
 * sequence number, the main branch drives current-snapshot-id and the snapshot log, and the
 * metadata log is trimmed to write.metadata.previous-versions-max. The function is pure: the base
 * is never modified, and the result is checked to be readable before it is returned.
 */
import { validation } from "../core/errors.ts";
import { newUuid } from "../core/ids.ts";
import { stringifyJson } from "../core/json.ts";
import { partitionSpecToJson, snapshotRefToJson, sortOrderToJson, typeToJson } from "./metadata-writer.ts";
import {
  checkPartitionSpecCompatibility,
  checkSchemaCompatibility,
  checkSortOrderCompatibility,
  checkTableInvariants,
  validateSchema,
} from "./metadata-validation.ts";
import { validateRefRetention } from "./metadata-parser.ts";
import { PARTITION_DATA_ID_START, type PartitionField, type PartitionSpec } from "./partition-spec.ts";
import { highestFieldId } from "./schema.ts";
import { MAIN_BRANCH, type Snapshot, type SnapshotRef } from "./snapshot.ts";
import type { SortOrder } from "./sort-order.ts";
import type { FormatVersion, TableMetadata } from "./table-metadata.ts";
import {
  FORMAT_VERSION,
  METADATA_PREVIOUS_VERSIONS_MAX,
  METADATA_PREVIOUS_VERSIONS_MAX_DEFAULT,
  RESERVED_PROPERTIES,
  propertyInt,
} from "./table-properties.ts";
import type { Schema } from "./types.ts";
import type { TableUpdate } from "./updates.ts";

/** Clock and metadata-log input of applyUpdates. */
export interface ApplyUpdatesOptions {
  /** The commit time (last-updated-ms, snapshot-log entries of rollbacks); default Date.now(). */
  nowMs?: number;
  /** The metadata file `base` was read from; appended to the metadata log. */
  previousMetadataLocation?: string;
}

/** Canonical JSON text, to compare schemas, specs, orders and refs by content. */
const canonical = (value: Parameters<typeof stringifyJson>[0]): string => stringifyJson(value);

const sameSchema = (a: Schema, b: Schema): boolean =>
  canonical(typeToJson({ type: "struct", fields: a.fields })) ===
    canonical(typeToJson({ type: "struct", fields: b.fields })) &&
  canonical([...(a["identifier-field-ids"] ?? [])].sort((x, y) => x - y)) ===
    canonical([...(b["identifier-field-ids"] ?? [])].sort((x, y) => x - y));

const sameFields = (a: PartitionSpec | SortOrder, b: PartitionSpec | SortOrder, toJson: (x: never) => unknown) =>
  canonical((toJson(a as never) as { fields: unknown }).fields) ===
  canonical((toJson(b as never) as { fields: unknown }).fields);

const nextId = (ids: number[], floor: number): number => Math.max(floor - 1, ...ids) + 1;

/** Working state of one applyUpdates call; every collection is a copy owned by this builder. */
class MetadataBuilder {
  readonly m: TableMetadata;
  changed = false;
  private lastAddedSchemaId: number | undefined;
  private lastAddedSpecId: number | undefined;
  private lastAddedOrderId: number | undefined;
  private readonly addedSnapshots = new Set<bigint>();
  /** Snapshots set as main in this change, in order (for Java's "intermediate snapshot" log rule). */
  private readonly mainHistory: bigint[] = [];

  constructor(
    private readonly base: TableMetadata,
    private readonly nowMs: number,
  ) {
    this.m = {
      ...base,
      schemas: [...base.schemas],
      "partition-specs": [...base["partition-specs"]],
      "sort-orders": [...base["sort-orders"]],
      properties: { ...base.properties },
      snapshots: [...base.snapshots],
      "snapshot-log": [...base["snapshot-log"]],
      "metadata-log": [...base["metadata-log"]],
      refs: { ...base.refs },
      statistics: [...base.statistics],
      "partition-statistics": [...base["partition-statistics"]],
    };
  }

  private get currentSchema(): Schema {
    return this.m.schemas.find((s) => s["schema-id"] === this.m["current-schema-id"])!;
  }

  apply(update: TableUpdate): void {
    switch (update.action) {
      case "assign-uuid":
        this.assignUuid(update.uuid);
        return;
      case "upgrade-format-version":
        this.upgradeFormatVersion(update["format-version"]);
        return;
      case "add-schema":
        this.addSchema(update.schema, update["last-column-id"]);
        return;
      case "set-current-schema":
        this.setCurrentSchema(update["schema-id"]);
        return;
      case "add-spec":
        this.addSpec(update.spec);
        return;
      case "set-default-spec":
        this.setDefaultSpec(update["spec-id"]);
        return;
      case "add-sort-order":
        this.addSortOrder(update["sort-order"]);
        return;
      case "set-default-sort-order":
        this.setDefaultSortOrder(update["sort-order-id"]);
        return;
      case "add-snapshot":
        this.addSnapshot(update.snapshot);
        return;
      case "set-snapshot-ref": {
        const ref: SnapshotRef = { "snapshot-id": BigInt(update["snapshot-id"]), type: update.type };
        for (const key of ["min-snapshots-to-keep", "max-snapshot-age-ms", "max-ref-age-ms"] as const) {
          const value = update[key];
          if (value !== undefined && value !== null) ref[key] = Number(value);
        }
        this.setRef(update["ref-name"], ref);
        return;
      }
      case "remove-snapshots":
        this.removeSnapshots(update["snapshot-ids"].map((id) => BigInt(id)));
        return;
      case "remove-snapshot-ref":
        this.removeRef(update["ref-name"]);
        return;
      case "set-location":
        this.setLocation(update.location);
        return;
      case "set-properties":
        this.setProperties(update.updates);
        return;
      case "remove-properties":
        this.removeProperties(update.removals);
        return;
      case "set-statistics":
        this.setStatistics(update);
        return;
      case "remove-statistics":
        this.removeStatistics(BigInt(update["snapshot-id"]));
        return;
      case "set-partition-statistics":
        this.setPartitionStatistics(update["partition-statistics"]);
        return;
      case "remove-partition-statistics":
        this.removePartitionStatistics(BigInt(update["snapshot-id"]));
        return;
      case "remove-partition-specs":
        this.removeSpecs(update["spec-ids"]);
        return;
      case "remove-schemas":
        this.removeSchemas(update["schema-ids"]);
        return;
      default: {
        const unknown: { action: string } = update;
        throw validation(`unknown table update action ${unknown.action}`);
      }
    }
  }

  private assignUuid(uuid: string): void {
    if (typeof uuid !== "string" || uuid === "") throw validation("assign-uuid: uuid must be a non-empty string");
    const current = this.m["table-uuid"];
    if (current.toLowerCase() === uuid.toLowerCase()) return;
    if (current !== "") throw validation(`assign-uuid: cannot reassign uuid of the table from ${current} to ${uuid}`);
    this.m["table-uuid"] = uuid;
    this.changed = true;
  }

  private upgradeFormatVersion(version: number): void {
    const current = this.m["format-version"];
    if (!Number.isInteger(version) || version < 1 || version > 3)
      throw validation(`upgrade-format-version: unsupported format version ${version} (supported: 1 to 3)`);
    if (version < current)
      throw validation(`upgrade-format-version: cannot downgrade v${current} table to v${version}`);
    if (version === current) return;
    this.m["format-version"] = version as FormatVersion;
    // v2 requires a uuid that v1 tables may lack; v3 starts row lineage at 0
    if (this.m["table-uuid"] === "") this.m["table-uuid"] = newUuid();
    if (version >= 3 && this.m["next-row-id"] === undefined) this.m["next-row-id"] = 0n;
    this.changed = true;
  }

  private addSchema(schema: Schema, lastColumnId: number | undefined): void {
    validateSchema(schema);
    checkSchemaCompatibility(schema, this.m["format-version"]);
    const newLast = Math.max(this.m["last-column-id"], lastColumnId ?? 0, highestFieldId(schema));
    if (newLast !== this.m["last-column-id"]) {
      this.m["last-column-id"] = newLast;
      this.changed = true;
    }
    const existing = this.m.schemas.find((s) => sameSchema(s, schema));
    if (existing) {
      this.lastAddedSchemaId = existing["schema-id"];
      return;
    }
    const id = nextId(
      this.m.schemas.map((s) => s["schema-id"]),
      0,
    );
    const added: Schema = { ...schema, "schema-id": id };
    this.m.schemas.push(added);
    this.lastAddedSchemaId = id;
    this.changed = true;
  }

  private resolveLastAdded(action: string, id: number, lastAdded: number | undefined, what: string): number {
    if (id !== -1) return id;
    if (lastAdded === undefined) throw validation(`${action}: -1 refers to the last added ${what}, but none was added`);
    return lastAdded;
  }

  private setCurrentSchema(schemaId: number): void {
    const id = this.resolveLastAdded("set-current-schema", schemaId, this.lastAddedSchemaId, "schema");
    if (!this.m.schemas.some((s) => s["schema-id"] === id))
      throw validation(`set-current-schema: cannot set current schema to unknown schema ${id}`);
    if (id === this.m["current-schema-id"]) return;
    this.m["current-schema-id"] = id;
    this.changed = true;
  }

  /** Field ids for fields that arrive without one: v1 numbers by position, later versions reuse a matching field's id or take the next free one. */
  private assignPartitionFieldIds(fields: (Omit<PartitionField, "field-id"> & { "field-id"?: number })[]) {
    let last = this.m["last-partition-id"];
    const known = this.m["partition-specs"].flatMap((s) => s.fields);
    return fields.map((field, position): PartitionField => {
      if (field["field-id"] !== undefined && field["field-id"] !== null) return field as PartitionField;
      let id: number;
      if (this.m["format-version"] === 1) id = PARTITION_DATA_ID_START + position;
      else {
        const reused = known.find((k) => k["source-id"] === field["source-id"] && k.transform === field.transform);
        id = reused ? reused["field-id"] : ++last;
      }
      return { ...field, "field-id": id };
    });
  }

  private addSpec(input: PartitionSpec): void {
    const fields = this.assignPartitionFieldIds(input.fields);
    const candidate: PartitionSpec = { "spec-id": -1, fields };
    checkPartitionSpecCompatibility(candidate, this.currentSchema);
    const ids = fields.map((f) => f["field-id"]);
    if (new Set(ids).size !== ids.length)
      throw validation(`add-spec: partition field ids must be unique, got ${ids.join(", ")}`);
    if (this.m["format-version"] === 1 && ids.some((id, i) => id !== PARTITION_DATA_ID_START + i))
      throw validation(`add-spec: v1 specs must use sequential partition field ids from 1000, got ${ids.join(", ")}`);
    const existing = this.m["partition-specs"].find((s) => sameFields(s, candidate, partitionSpecToJson));
    const lastPartitionId = Math.max(this.m["last-partition-id"], ...ids);
    if (lastPartitionId !== this.m["last-partition-id"]) {
      this.m["last-partition-id"] = lastPartitionId;
      this.changed = true;
    }
    if (existing) {
      this.lastAddedSpecId = existing["spec-id"];
      return;
    }
    const id = nextId(
      this.m["partition-specs"].map((s) => s["spec-id"]),
      0,
    );
    this.m["partition-specs"].push({ "spec-id": id, fields });
    this.lastAddedSpecId = id;
    this.changed = true;
  }

  private setDefaultSpec(specId: number): void {
    const id = this.resolveLastAdded("set-default-spec", specId, this.lastAddedSpecId, "partition spec");
    const spec = this.m["partition-specs"].find((s) => s["spec-id"] === id);
    if (!spec) throw validation(`set-default-spec: cannot set default spec to unknown spec ${id}`);
    if (id === this.m["default-spec-id"]) return;
    checkPartitionSpecCompatibility(spec, this.currentSchema);
    this.m["default-spec-id"] = id;
    this.changed = true;
  }

  private addSortOrder(input: SortOrder): void {
    const candidate: SortOrder = { "order-id": -1, fields: input.fields };
    checkSortOrderCompatibility(candidate, this.currentSchema);
    const existing = this.m["sort-orders"].find((o) => sameFields(o, candidate, sortOrderToJson));
    if (existing) {
      this.lastAddedOrderId = existing["order-id"];
      return;
    }
    // order id 0 is reserved for the unsorted order; sorted orders count from 1
    const id =
      input.fields.length === 0
        ? 0
        : nextId(
            this.m["sort-orders"].map((o) => o["order-id"]),
            1,
          );
    this.m["sort-orders"].push({ "order-id": id, fields: input.fields });
    this.lastAddedOrderId = id;
    this.changed = true;
  }

  private setDefaultSortOrder(orderId: number): void {
    const id = this.resolveLastAdded("set-default-sort-order", orderId, this.lastAddedOrderId, "sort order");
    const order = this.m["sort-orders"].find((o) => o["order-id"] === id);
    if (!order) throw validation(`set-default-sort-order: cannot set default sort order to unknown order ${id}`);
    if (id === this.m["default-sort-order-id"]) return;
    checkSortOrderCompatibility(order, this.currentSchema);
    this.m["default-sort-order-id"] = id;
    this.changed = true;
  }

  private addSnapshot(snapshot: Snapshot): void {
    const id = snapshot["snapshot-id"];
    if (this.m.snapshots.some((s) => s["snapshot-id"] === id))
      throw validation(`add-snapshot: snapshot ${id} already exists`);
    const version = this.m["format-version"];
    const sequenceNumber = snapshot["sequence-number"];
    // Like Java, a parentless snapshot (an import or a staged create) may carry an older number.
    const parentless = snapshot["parent-snapshot-id"] === undefined || snapshot["parent-snapshot-id"] === null;
    if (version > 1 && !parentless && !(sequenceNumber > this.m["last-sequence-number"]))
      throw validation(
        `add-snapshot: sequence number ${sequenceNumber} of snapshot ${id} is not greater than last-sequence-number ${this.m["last-sequence-number"]}`,
      );
    if (version >= 3) {
      const firstRowId = snapshot["first-row-id"];
      const nextRowId = this.m["next-row-id"] ?? 0n;
      if (firstRowId === undefined || firstRowId === null)
        throw validation(`add-snapshot: snapshot ${id} has no first-row-id (required in v3)`);
      if (snapshot["added-rows"] === undefined || snapshot["added-rows"] === null)
        throw validation(`add-snapshot: snapshot ${id} has no added-rows (required in v3)`);
      if (firstRowId < nextRowId)
        throw validation(
          `add-snapshot: first-row-id ${firstRowId} of snapshot ${id} is behind next-row-id ${nextRowId}`,
        );
      this.m["next-row-id"] = nextRowId + snapshot["added-rows"];
    }
    this.m.snapshots.push(snapshot);
    if (version > 1 && sequenceNumber > this.m["last-sequence-number"]) this.m["last-sequence-number"] = sequenceNumber;
    this.addedSnapshots.add(id);
    this.changed = true;
  }

  private setRef(name: string, ref: SnapshotRef): void {
    const action = "set-snapshot-ref";
    if (typeof name !== "string" || name === "") throw validation(`${action}: ref-name must be a non-empty string`);
    if (ref.type !== "branch" && ref.type !== "tag")
      throw validation(`${action}: type of ${name} must be branch or tag, got ${String(ref.type)}`);
    if (name === MAIN_BRANCH && ref.type !== "branch") throw validation(`${action}: ${MAIN_BRANCH} must be a branch`);
    validateRefRetention(ref, name);
    const existing = this.m.refs[name];
    if (existing && canonical(snapshotRefToJson(existing)) === canonical(snapshotRefToJson(ref))) return;
    const snapshot = this.m.snapshots.find((s) => s["snapshot-id"] === ref["snapshot-id"]);
    if (!snapshot) throw validation(`${action}: cannot set ${name} to unknown snapshot ${ref["snapshot-id"]}`);
    if (name === MAIN_BRANCH && this.m["current-snapshot-id"] !== ref["snapshot-id"]) {
      this.m["current-snapshot-id"] = ref["snapshot-id"];
      // a snapshot committed now is logged at its own time; a rollback to an older one at commit time
      const at = this.addedSnapshots.has(ref["snapshot-id"]) ? snapshot["timestamp-ms"] : this.nowMs;
      this.m["snapshot-log"].push({ "timestamp-ms": at, "snapshot-id": ref["snapshot-id"] });
      this.mainHistory.push(ref["snapshot-id"]);
    }
    this.m.refs[name] = ref;
    this.changed = true;
  }

  private removeRef(name: string): void {
    if (this.m.refs[name] === undefined) return;
    delete this.m.refs[name];
    if (name === MAIN_BRANCH) this.m["current-snapshot-id"] = null;
    this.changed = true;
  }

  private removeSnapshots(ids: bigint[]): void {
    const remove = new Set(ids);
    const before = this.m.snapshots.length;
    this.m.snapshots = this.m.snapshots.filter((s) => !remove.has(s["snapshot-id"]));
    if (this.m.snapshots.length === before) return;
    for (const [name, ref] of Object.entries(this.m.refs)) if (remove.has(ref["snapshot-id"])) this.removeRef(name);
    this.m.statistics = this.m.statistics.filter((s) => !remove.has(s["snapshot-id"]));
    this.m["partition-statistics"] = this.m["partition-statistics"].filter((s) => !remove.has(s["snapshot-id"]));
    this.changed = true;
  }

  private setLocation(location: string): void {
    if (typeof location !== "string" || location === "")
      throw validation("set-location: location must be a non-empty string");
    if (location === this.m.location) return;
    this.m.location = location;
    this.changed = true;
  }

  private setProperties(updates: Record<string, string>): void {
    for (const [key, value] of Object.entries(updates)) {
      if (RESERVED_PROPERTIES.has(key))
        throw validation(
          `set-properties: ${key} is a reserved property${key === FORMAT_VERSION ? "; use upgrade-format-version" : ""}`,
        );
      if (typeof value !== "string") throw validation(`set-properties: value of ${key} must be a string`);
      if (this.m.properties[key] === value) continue;
      this.m.properties[key] = value;
      this.changed = true;
    }
  }

  private removeProperties(removals: string[]): void {
    for (const key of removals) {
      if (!(key in this.m.properties)) continue;
      delete this.m.properties[key];
      this.changed = true;
    }
  }

  private setStatistics(update: Extract<TableUpdate, { action: "set-statistics" }>): void {
    const file = update.statistics;
    const id = file["snapshot-id"];
    if (update["snapshot-id"] !== undefined && update["snapshot-id"] !== null && BigInt(update["snapshot-id"]) !== id)
      throw validation(
        `set-statistics: snapshot-id ${update["snapshot-id"]} does not match the statistics file's ${id}`,
      );
    this.m.statistics = [...this.m.statistics.filter((s) => s["snapshot-id"] !== id), file];
    this.changed = true;
  }

  private removeStatistics(id: bigint): void {
    const kept = this.m.statistics.filter((s) => s["snapshot-id"] !== id);
    if (kept.length === this.m.statistics.length) return;
    this.m.statistics = kept;
    this.changed = true;
  }

  private setPartitionStatistics(file: TableMetadata["partition-statistics"][number]): void {
    const id = file["snapshot-id"];
    this.m["partition-statistics"] = [...this.m["partition-statistics"].filter((s) => s["snapshot-id"] !== id), file];
    this.changed = true;
  }

  private removePartitionStatistics(id: bigint): void {
    const kept = this.m["partition-statistics"].filter((s) => s["snapshot-id"] !== id);
    if (kept.length === this.m["partition-statistics"].length) return;
    this.m["partition-statistics"] = kept;
    this.changed = true;
  }

  private removeSpecs(ids: number[]): void {
    if (ids.includes(this.m["default-spec-id"]))
      throw validation(`remove-partition-specs: cannot remove the default partition spec ${this.m["default-spec-id"]}`);
    const kept = this.m["partition-specs"].filter((s) => !ids.includes(s["spec-id"]));
    if (kept.length === this.m["partition-specs"].length) return;
    this.m["partition-specs"] = kept;
    this.changed = true;
  }

  private removeSchemas(ids: number[]): void {
    if (ids.includes(this.m["current-schema-id"]))
      throw validation(`remove-schemas: cannot remove the current schema ${this.m["current-schema-id"]}`);
    const kept = this.m.schemas.filter((s) => !ids.includes(s["schema-id"]));
    if (kept.length === this.m.schemas.length) return;
    this.m.schemas = kept;
    this.changed = true;
  }

  /**
   * The snapshot log as the reference implementation keeps it: snapshots that were current only
   * in the middle of this change are dropped, and an entry whose snapshot no longer exists drops
   * every entry before it (a gap would make time travel return the wrong snapshot).
   */
  private finalSnapshotLog(): TableMetadata["snapshot-log"] {
    const current = this.m["current-snapshot-id"];
    const intermediate = new Set(this.mainHistory.filter((id) => id !== current && this.addedSnapshots.has(id)));
    const existing = new Set(this.m.snapshots.map((s) => s["snapshot-id"]));
    let log: TableMetadata["snapshot-log"] = [];
    for (const entry of this.m["snapshot-log"]) {
      if (!existing.has(entry["snapshot-id"])) log = [];
      else if (!intermediate.has(entry["snapshot-id"])) log.push(entry);
    }
    return log;
  }

  build(previousMetadataLocation: string | undefined): TableMetadata {
    const m = this.m;
    // never older than a snapshot committed in this change (its log entry carries its own time)
    const addedTimes = m.snapshots
      .filter((s) => this.addedSnapshots.has(s["snapshot-id"]))
      .map((s) => s["timestamp-ms"]);
    m["last-updated-ms"] = Math.max(this.nowMs, ...addedTimes);
    m["snapshot-log"] = this.finalSnapshotLog();
    if (previousMetadataLocation !== undefined) {
      const max = Math.max(
        1,
        propertyInt(m.properties, METADATA_PREVIOUS_VERSIONS_MAX, METADATA_PREVIOUS_VERSIONS_MAX_DEFAULT),
      );
      const log = [
        ...m["metadata-log"],
        { "timestamp-ms": this.base["last-updated-ms"], "metadata-file": previousMetadataLocation },
      ];
      m["metadata-log"] = log.slice(Math.max(0, log.length - max));
    }
    checkTableInvariants(m);
    return m;
  }
}

/**
 * Applies `updates` in order and returns the new metadata (the base itself when nothing changed).
 * Throws validation naming the action and value for an update that cannot apply.
 */
export function applyUpdates(
  base: TableMetadata,
  updates: TableUpdate[],
  options: ApplyUpdatesOptions = {},
): TableMetadata {
  const builder = new MetadataBuilder(base, options.nowMs ?? Date.now());
  for (const update of updates) builder.apply(update);
  if (!builder.changed) return base;
  return builder.build(options.previousMetadataLocation);
}
