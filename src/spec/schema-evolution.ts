/**
 * A pure builder for schema changes (spec "Schema Evolution"), shaped like the reference
 * implementation's UpdateSchema: record adds, deletes, renames, promotions, nullability and
 * doc changes and moves against a base schema, then `apply()` produces the new schema.
 *
 * Changes are tracked by field id, so a rename and a move of the same column compose, and names
 * given to later calls are the base schema's names (added columns are found by their new names).
 * Column defaults are given as in-memory values (types.ts) and stored in the schema in their JSON
 * single-value form, as metadata JSON holds them.
 */
import { validation } from "../core/errors.ts";
import { normalizePrimitive, toJsonValue } from "./conversions.ts";
import { findFieldById, findFieldByName, highestFieldId, indexById } from "./schema.ts";
import { isPromotionAllowed } from "./type-promotion.ts";
import {
  type IcebergType,
  type NestedField,
  type PrimitiveType,
  type Schema,
  isList,
  isMap,
  isPrimitive,
  isStruct,
} from "./types.ts";

const shortNameCache = new WeakMap<Schema, Map<string, number>>();

/**
 * Short names that skip a list's "element" and a map's "value" when they hold structs
 * ("points.x" for "points.element.x"), which the reference implementation also accepts.
 */
function shortNames(schema: Schema): Map<string, number> {
  let names = shortNameCache.get(schema);
  if (names) return names;
  const out = new Map<string, number>();
  const walk = (type: IcebergType, prefix: string): void => {
    const join = (name: string) => (prefix ? `${prefix}.${name}` : name);
    if (isStruct(type)) {
      for (const f of type.fields) {
        out.set(join(f.name), f.id);
        walk(f.type, join(f.name));
      }
    } else if (isList(type)) {
      out.set(join("element"), type["element-id"]);
      walk(type.element, prefix);
    } else if (isMap(type)) {
      out.set(join("key"), type["key-id"]);
      walk(type.key, join("key"));
      out.set(join("value"), type["value-id"]);
      walk(type.value, prefix);
    }
  };
  walk(schema, "");
  names = out;
  shortNameCache.set(schema, names);
  return names;
}

/** A field by full dotted name, or else by short name (see shortNames). */
function findByName(schema: Schema, name: string, caseSensitive: boolean): NestedField | undefined {
  const exact = findFieldByName(schema, name, caseSensitive);
  if (exact) return exact;
  const names = shortNames(schema);
  let id = names.get(name);
  if (id === undefined && !caseSensitive) {
    const wanted = name.toLowerCase();
    for (const [candidate, candidateId] of names) if (candidate.toLowerCase() === wanted) id = candidateId;
  }
  return id === undefined ? undefined : findFieldById(schema, id);
}

/** Parent id used for top-level columns. */
const ROOT = -1;

type Role = "column" | "element" | "key" | "value";

interface Move {
  kind: "first" | "before" | "after";
  fieldId: number;
  name: string;
  refId?: number;
}

/** Options of a new column. */
export interface AddColumnOptions {
  required?: boolean;
  doc?: string;
  /** Value for rows written before the column existed (in-memory form); required columns need one. */
  initialDefault?: unknown;
  /** Value writers use when they do not supply one; defaults to initialDefault. */
  writeDefault?: unknown;
}

/** Gives every nested field of a new type a fresh id, level by level as the reference implementation does. */
function assignFreshIds(type: IcebergType, nextId: () => number): IcebergType {
  if (isStruct(type)) {
    const ids = type.fields.map(() => nextId());
    return {
      type: "struct",
      fields: type.fields.map((f, i) => ({ ...f, id: ids[i], type: assignFreshIds(f.type, nextId) })),
    };
  }
  if (isList(type)) {
    const elementId = nextId();
    return { ...type, "element-id": elementId, element: assignFreshIds(type.element, nextId) };
  }
  if (isMap(type)) {
    const keyId = nextId();
    const valueId = nextId();
    return {
      ...type,
      "key-id": keyId,
      "value-id": valueId,
      key: assignFreshIds(type.key, nextId),
      value: assignFreshIds(type.value, nextId),
    };
  }
  return normalizePrimitive(type);
}

const typeText = (t: IcebergType): string => (isPrimitive(t) ? t : t.type);

/** Records schema changes against a base schema and applies them into a new, validated schema. */
export class SchemaUpdate {
  private readonly base: Schema;
  private readonly caseSensitive: boolean;
  private readonly formatVersion: number;
  private lastColumnId: number;
  private allowIncompatible = false;
  private readonly deletes = new Set<number>();
  /** New attributes of changed existing fields, and the added fields themselves, by id. */
  private readonly updates = new Map<number, NestedField>();
  private readonly adds = new Map<number, number[]>();
  private readonly addedParent = new Map<number, number>();
  private readonly addedNameToId = new Map<string, number>();
  private readonly moves = new Map<number, Move[]>();
  private identifierNames?: string[];

  constructor(base: Schema, lastColumnId: number, options: { caseSensitive?: boolean; formatVersion?: number } = {}) {
    this.base = base;
    this.lastColumnId = Math.max(lastColumnId, highestFieldId(base));
    this.caseSensitive = options.caseSensitive ?? true;
    this.formatVersion = options.formatVersion ?? 2;
  }

  private norm(name: string): string {
    return this.caseSensitive ? name : name.toLowerCase();
  }

  private fullName(id: number): string {
    return indexById(this.base).get(id)?.name ?? "";
  }

  /** Parent struct id of a base or added field (ROOT for top level; the list/map id for element/key/value). */
  private parentOf(id: number): number {
    const added = this.addedParent.get(id);
    if (added !== undefined) return added;
    const parents = indexById(this.base).get(id)?.parents ?? [];
    return parents.length ? parents[parents.length - 1] : ROOT;
  }

  private roleOf(id: number): Role {
    if (this.addedParent.has(id)) return "column";
    const parentId = this.parentOf(id);
    const parent = parentId === ROOT ? undefined : findFieldById(this.base, parentId);
    if (parent && isList(parent.type)) return "element";
    if (parent && isMap(parent.type)) return parent.type["key-id"] === id ? "key" : "value";
    return "column";
  }

  /** A base or added column by (dotted) name, with its current attributes. */
  private locate(name: string): { id: number; field: NestedField; added: boolean } | undefined {
    const base = findByName(this.base, name, this.caseSensitive);
    if (base) return { id: base.id, field: this.updates.get(base.id) ?? base, added: false };
    const addedId = this.addedNameToId.get(this.norm(name));
    if (addedId !== undefined) return { id: addedId, field: this.updates.get(addedId)!, added: true };
    return undefined;
  }

  /** Like locate, but the column must exist, must not be deleted, and must be a struct member or element/value. */
  private forUpdate(name: string, action: string): { id: number; field: NestedField; added: boolean; role: Role } {
    const found = this.locate(name);
    if (!found) throw validation(`cannot ${action} missing column: ${name}`);
    if (this.isDeleted(found.id)) throw validation(`cannot ${action} a column that will be deleted: ${name}`);
    return { ...found, role: this.roleOf(found.id) };
  }

  private isDeleted(id: number): boolean {
    if (this.deletes.has(id)) return true;
    return (indexById(this.base).get(id)?.parents ?? []).some((p) => this.deletes.has(p));
  }

  /** Allows changes that can break readers or writers (requiring a column, required adds without default). */
  allowIncompatibleChanges(): this {
    this.allowIncompatible = true;
    return this;
  }

  /**
   * Adds a column at the end of `parent` (null for top level; a list or map parent means its
   * element or value struct). Every nested field of `type` gets a fresh id.
   */
  addColumn(parent: string | null, name: string, type: IcebergType, options: AddColumnOptions = {}): this {
    if (!name) throw validation("cannot add a column with an empty name");
    let parentId = ROOT;
    let fullName = name;
    if (parent === null) {
      if (name.includes("."))
        throw validation(`cannot add column with ambiguous name: ${name}; give its parent instead`);
    } else {
      const parentField = findByName(this.base, parent, this.caseSensitive);
      if (!parentField) throw validation(`cannot find parent struct: ${parent}`);
      let structId = parentField.id;
      let structType = parentField.type;
      if (isList(structType)) {
        structId = structType["element-id"];
        structType = structType.element;
      } else if (isMap(structType)) {
        structId = structType["value-id"];
        structType = structType.value;
      }
      if (!isStruct(structType)) throw validation(`cannot add column ${name} to non-struct column: ${parent}`);
      if (this.isDeleted(structId))
        throw validation(`cannot add column ${name} to a column that will be deleted: ${parent}`);
      parentId = structId;
      fullName = `${this.fullName(structId)}.${name}`;
    }
    const existing = findFieldByName(this.base, fullName, this.caseSensitive);
    if ((existing && !this.deletes.has(existing.id)) || this.addedNameToId.has(this.norm(fullName)))
      throw validation(`cannot add column, name already exists: ${fullName}`);
    const required = options.required ?? false;
    const initial = options.initialDefault ?? undefined;
    if (required && (initial === undefined || initial === null) && !this.allowIncompatible)
      throw validation(`incompatible change: cannot add required column without a default value: ${fullName}`);

    const id = ++this.lastColumnId;
    const freshType = assignFreshIds(type, () => ++this.lastColumnId);
    const field: NestedField = { id, name, required, type: freshType };
    if (options.doc !== undefined) field.doc = options.doc;
    const write = options.writeDefault !== undefined ? options.writeDefault : initial;
    if (initial !== undefined) field["initial-default"] = this.defaultJson(fullName, freshType, initial);
    if (write !== undefined) field["write-default"] = this.defaultJson(fullName, freshType, write);

    this.updates.set(id, field);
    this.adds.set(parentId, [...(this.adds.get(parentId) ?? []), id]);
    this.addedParent.set(id, parentId);
    this.addedNameToId.set(this.norm(fullName), id);
    if (parent !== null) this.addedNameToId.set(this.norm(`${parent}.${name}`), id);
    return this;
  }

  /** Checks a default (v3 only; struct defaults may only be null or {}) and returns its JSON form. */
  private defaultJson(column: string, type: IcebergType, value: unknown): unknown {
    if (value === null) return null;
    if (this.formatVersion < 3)
      throw validation(
        `column ${column}: non-null default values need format version 3 (table is v${this.formatVersion})`,
      );
    if (isStruct(type)) {
      const empty = typeof value === "object" && Object.keys(value as object).length === 0;
      if (!empty)
        throw validation(
          `column ${column}: a struct default may only be null or {} (field defaults live on the fields)`,
        );
      return {};
    }
    if (isPrimitive(type) && ["unknown", "variant"].includes(type))
      throw validation(`column ${column}: ${type} columns must default to null`);
    try {
      return toJsonValue(type, value);
    } catch (error) {
      throw validation(`column ${column}: invalid default ${String(value)} for ${typeText(type)}`, error);
    }
  }

  /** Removes a column (and everything nested in it). */
  deleteColumn(name: string): this {
    const field = findByName(this.base, name, this.caseSensitive);
    if (!field) throw validation(`cannot delete missing column: ${name}`);
    const role = this.roleOf(field.id);
    if (role !== "column")
      throw validation(`cannot delete the ${role} of a ${role === "element" ? "list" : "map"}: ${name}`);
    const nested = [field.id];
    if (isList(field.type)) nested.push(field.type["element-id"]);
    if (isMap(field.type)) nested.push(field.type["value-id"]);
    if (nested.some((id) => this.adds.has(id))) throw validation(`cannot delete a column that has additions: ${name}`);
    const moved = [...this.moves.values()].some((moves) => moves.some((m) => m.fieldId === field.id));
    if (this.updates.has(field.id) || moved) throw validation(`cannot delete a column that has updates: ${name}`);
    this.deletes.add(field.id);
    return this;
  }

  /** Renames a column; its id, and so its data, stays. */
  renameColumn(name: string, newName: string): this {
    if (!newName) throw validation(`cannot rename column ${name} to an empty name`);
    const found = this.forUpdate(name, "rename");
    if (found.role !== "column") throw validation(`cannot rename the ${found.role} of a list or map: ${name}`);
    this.updates.set(found.id, { ...found.field, name: newName });
    if (found.added) {
      const parentId = this.parentOf(found.id);
      for (const [key, id] of [...this.addedNameToId]) if (id === found.id) this.addedNameToId.delete(key);
      const prefix = parentId === ROOT ? "" : `${this.fullName(parentId)}.`;
      this.addedNameToId.set(this.norm(prefix + newName), found.id);
    }
    return this;
  }

  /** Promotes a primitive column (int → long, float → double, wider decimal; v3 date → timestamp). */
  updateColumn(name: string, newType: PrimitiveType): this {
    const found = this.forUpdate(name, "update");
    const current = found.field.type;
    if (!isPrimitive(current))
      throw validation(`cannot change column type of non-primitive column ${name}: ${current.type}`);
    if (!isPrimitive(newType as IcebergType)) throw validation(`cannot change column ${name} to a non-primitive type`);
    if (normalizePrimitive(current) === normalizePrimitive(newType)) return this;
    if (!isPromotionAllowed(current, newType, this.formatVersion))
      throw validation(`cannot change column type of ${name}: ${current} -> ${newType} is not an allowed promotion`);
    this.updates.set(found.id, { ...found.field, type: normalizePrimitive(newType) });
    return this;
  }

  /** Sets a column's doc string. */
  updateColumnDoc(name: string, doc: string): this {
    const found = this.forUpdate(name, "update doc of");
    this.updates.set(found.id, { ...found.field, doc });
    return this;
  }

  /** Changes a column's write default (v3); existing rows keep their initial default. */
  updateColumnDefault(name: string, writeDefault: unknown): this {
    const found = this.forUpdate(name, "update default of");
    const field: NestedField = { ...found.field };
    field["write-default"] = this.defaultJson(name, found.field.type, writeDefault);
    this.updates.set(found.id, field);
    return this;
  }

  /** Makes a column optional (always compatible; map keys stay required). */
  makeColumnOptional(name: string): this {
    return this.setRequired(name, false);
  }

  /** Makes a column required: incompatible (old rows may hold nulls), so needs allowIncompatibleChanges(). */
  requireColumn(name: string): this {
    return this.setRequired(name, true);
  }

  private setRequired(name: string, required: boolean): this {
    const found = this.forUpdate(name, "change nullability of");
    if (found.role === "key") throw validation(`map keys are always required: ${name}`);
    if (found.field.required === required) return this;
    if (required && !this.allowIncompatible)
      throw validation(`cannot change column nullability of ${name}: optional -> required is an incompatible change`);
    this.updates.set(found.id, { ...found.field, required });
    return this;
  }

  private forMove(name: string): number {
    const found = this.forUpdate(name, "move");
    if (found.role !== "column") throw validation(`cannot move the ${found.role} of a list or map: ${name}`);
    return found.id;
  }

  private addMove(move: Move): this {
    const parentId = this.parentOf(move.fieldId);
    if (move.refId !== undefined) {
      if (move.refId === move.fieldId) throw validation(`cannot move ${move.name} ${move.kind} itself`);
      if (this.parentOf(move.refId) !== parentId) throw validation(`cannot move ${move.name} to a different struct`);
    }
    this.moves.set(parentId, [...(this.moves.get(parentId) ?? []), move]);
    return this;
  }

  /** Moves a column to the first position of its struct. */
  moveFirst(name: string): this {
    return this.addMove({ kind: "first", fieldId: this.forMove(name), name });
  }

  /** Moves a column just before another column of the same struct. */
  moveBefore(name: string, before: string): this {
    return this.addMove({ kind: "before", fieldId: this.forMove(name), name, refId: this.forMove(before) });
  }

  /** Moves a column just after another column of the same struct. */
  moveAfter(name: string, after: string): this {
    return this.addMove({ kind: "after", fieldId: this.forMove(name), name, refId: this.forMove(after) });
  }

  /** Replaces the identifier (row key) fields; names are resolved in the new schema at apply(). */
  setIdentifierFields(names: string[]): this {
    this.identifierNames = [...names];
    return this;
  }

  /** The new schema (schema-id = base + 1) and the new last column id; throws if the result is invalid. */
  apply(): { schema: Schema; lastColumnId: number } {
    const fields = this.applyStruct(this.base.fields, ROOT, "schema");
    const schema: Schema = { type: "struct", "schema-id": this.base["schema-id"] + 1, fields };
    const identifierIds = this.resolveIdentifiers(schema);
    if (identifierIds.length > 0 || this.base["identifier-field-ids"] !== undefined)
      schema["identifier-field-ids"] = identifierIds;
    return { schema, lastColumnId: this.lastColumnId };
  }

  private applyStruct(fields: NestedField[], parentId: number, where: string): NestedField[] {
    const out: NestedField[] = [];
    for (const field of fields) {
      if (this.deletes.has(field.id)) continue;
      out.push(this.applyField(field, false));
    }
    for (const id of this.adds.get(parentId) ?? []) out.push(this.applyField(this.updates.get(id)!, true));
    this.applyMoves(out, parentId);
    const seen = new Set<string>();
    for (const field of out) {
      if (seen.has(field.name))
        throw validation(`invalid schema: more than one column named ${field.name} in ${where}`);
      seen.add(field.name);
    }
    return out;
  }

  private applyField(field: NestedField, added: boolean): NestedField {
    const attrs = this.updates.get(field.id) ?? field;
    const type = added || isPrimitive(field.type) ? attrs.type : this.applyNested(field.type, field.id, attrs.name);
    return { ...attrs, type };
  }

  private applyNested(type: IcebergType, ownerId: number, where: string): IcebergType {
    const child = (childType: IcebergType, childId: number, name: string): IcebergType =>
      isPrimitive(childType)
        ? (this.updates.get(childId)?.type ?? childType)
        : this.applyNested(childType, childId, name);
    if (isStruct(type)) return { type: "struct", fields: this.applyStruct(type.fields, ownerId, where) };
    if (isList(type)) {
      const id = type["element-id"];
      return {
        ...type,
        element: child(type.element, id, `${where}.element`),
        "element-required": this.updates.get(id)?.required ?? type["element-required"],
      };
    }
    if (isMap(type)) {
      const valueId = type["value-id"];
      return {
        ...type,
        key: child(type.key, type["key-id"], `${where}.key`),
        value: child(type.value, valueId, `${where}.value`),
        "value-required": this.updates.get(valueId)?.required ?? type["value-required"],
      };
    }
    return type;
  }

  private applyMoves(fields: NestedField[], parentId: number): void {
    for (const move of this.moves.get(parentId) ?? []) {
      const from = fields.findIndex((f) => f.id === move.fieldId);
      if (from < 0) throw validation(`cannot move ${move.name}: the column is deleted`);
      const [moved] = fields.splice(from, 1);
      if (move.kind === "first") {
        fields.unshift(moved);
        continue;
      }
      const ref = fields.findIndex((f) => f.id === move.refId);
      if (ref < 0) throw validation(`cannot move ${move.name}: the column it is placed ${move.kind} is deleted`);
      fields.splice(move.kind === "before" ? ref : ref + 1, 0, moved);
    }
  }

  /** Identifier field ids of the new schema, checked against the spec's rules. */
  private resolveIdentifiers(schema: Schema): number[] {
    let ids: number[];
    if (this.identifierNames) {
      ids = this.identifierNames.map((name) => {
        const field =
          findByName(schema, name, this.caseSensitive) ??
          (() => {
            const old = findByName(this.base, name, this.caseSensitive);
            return old ? findFieldById(schema, old.id) : undefined;
          })();
        if (!field) throw validation(`cannot set identifier field ${name}: column not found`);
        return field.id;
      });
    } else {
      ids = this.base["identifier-field-ids"] ?? [];
      for (const id of ids) {
        if (!findFieldById(schema, id))
          throw validation(
            `cannot delete identifier field ${this.fullName(id) || id}; call setIdentifierFields to change the identifier fields`,
          );
      }
    }
    const index = indexById(schema);
    for (const id of ids) {
      const entry = index.get(id)!;
      const what = `identifier field ${entry.name}`;
      const type = entry.field.type;
      if (!isPrimitive(type)) throw validation(`${what} must be a primitive type, not ${type.type}`);
      if (["float", "double"].includes(normalizePrimitive(type))) throw validation(`${what} must not be ${type}`);
      if (!entry.field.required) throw validation(`${what} must be required`);
      for (const parentId of entry.parents) {
        const parent = index.get(parentId)!.field;
        if (!isStruct(parent.type)) throw validation(`${what} must not be nested in a list or map (${parent.name})`);
        if (!parent.required) throw validation(`${what} must not be nested in an optional struct (${parent.name})`);
      }
    }
    return [...new Set(ids)];
  }
}
