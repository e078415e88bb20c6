/**
 * How one data file's columns become the projection schema's columns (spec "Column Projection"):
 * by field id, never by name. Top-level fields go into read_parquet's `schema` parameter, which
 * maps field ids to names and types inside the reader (renames, drops and promotions for free, and
 * filters still push down into the scan); a field the file lacks takes the identity-partition value
 * of the file, else the field's initial-default, else null. Structs are the one case DuckDB casts
 * by name, so when a file's nested names differ from the projection (a nested rename, add or drop
 * with a reused name) the struct is read with the file's names and rebuilt field by field.
 */
import { ioError } from "../../core/errors.ts";
import { type IcebergType, type NestedField, isList, isMap, isPrimitive, isStruct } from "../../spec/types.ts";
import { duckdbType } from "../sql/types.ts";
import type { PhysicalNode } from "./physical-schema.ts";
import { initialDefaultSql, initialDefaultValue, valueToSql } from "./sql-literals.ts";
import { quoteIdent, quoteString } from "./sql-text.ts";

/** One entry of read_parquet's schema map: the file column with this field id, read as `alias` of `duckType`. */
export interface ReadColumn {
  fieldId: number;
  alias: string;
  duckType: string;
  /** VARCHAR SQL expression of the value for files without the column (DuckDB casts it to duckType). */
  defaultSql: string;
}

/** The read of one file: what read_parquet produces and how each projection column is computed from it. */
export interface FileReadPlan {
  columns: ReadColumn[];
  /** The projection's top-level columns, in order: SQL over the read columns, and the output name. */
  select: { name: string; sql: string }[];
}

/** What is known about one data file when planning its read. */
export interface FileFacts {
  /** The file's Parquet schema when it was read (needed only for struct columns). */
  physical?: PhysicalNode;
  /** Identity-partition values of the file by source field id (spec rule: used when the file lacks the column). */
  partitionConstants: Map<number, unknown>;
}

/** The alias a top-level field is read as (names from metadata never reach read_parquet). */
export const readAlias = (fieldId: number): string => `c${fieldId}`;

function childNodes(node: PhysicalNode, what: string): PhysicalNode[] {
  if (node.children.length === 0) throw ioError(`Parquet column ${node.name} is not a ${what} group`);
  return node.children;
}

/** The element node of a Parquet list (three-level layout, or the legacy two-level one). */
function listElement(node: PhysicalNode): PhysicalNode {
  const repeated = childNodes(node, "list")[0];
  return repeated.children.length === 1 && repeated.fieldId === undefined ? repeated.children[0] : repeated;
}

/** The key and value nodes of a Parquet map. */
function mapEntries(node: PhysicalNode): [PhysicalNode, PhysicalNode] {
  const kv = childNodes(childNodes(node, "map")[0], "map");
  if (kv.length !== 2) throw ioError(`Parquet map column ${node.name} does not have a key and a value`);
  return [kv[0], kv[1]];
}

const childById = (node: PhysicalNode, id: number): PhysicalNode | undefined =>
  node.children.find((child) => child.fieldId === id);

/** Whether reading `node` straight as the projection type (a by-name cast) would be wrong. */
function needsRebuild(type: IcebergType, node: PhysicalNode): boolean {
  if (isPrimitive(type)) return false;
  if (isStruct(type)) {
    return type.fields.some((field) => {
      const child = childById(node, field.id);
      return !child || child.name !== field.name || needsRebuild(field.type, child);
    });
  }
  if (isList(type)) return needsRebuild(type.element, listElement(node));
  const [key, value] = mapEntries(node);
  return needsRebuild(type.key, key) || needsRebuild(type.value, value);
}

/** The DuckDB type to read `node` as: the projection's shape under the file's names, only the fields both have. */
function readType(type: IcebergType, node: PhysicalNode): string {
  if (isPrimitive(type)) return duckdbType(type);
  if (isStruct(type)) {
    const members: string[] = [];
    for (const field of type.fields) {
      const child = childById(node, field.id);
      if (child) members.push(`${quoteIdent(child.name)} ${readType(field.type, child)}`);
    }
    // A struct cast needs one shared member; when the file has none of the projected ones, any
    // member read as text keeps the struct's own null-ness.
    if (members.length === 0) members.push(`${quoteIdent(childNodes(node, "struct")[0].name)} VARCHAR`);
    return `STRUCT(${members.join(", ")})`;
  }
  if (isList(type)) return `${readType(type.element, listElement(node))}[]`;
  const [key, value] = mapEntries(node);
  return `MAP(${readType(type.key, key)}, ${readType(type.value, value)})`;
}

/** SQL turning `expr` (read with readType) into the projection type. */
function rebuild(
  type: IcebergType,
  node: PhysicalNode,
  expr: string,
  constants: Map<number, unknown>,
  depth: number,
): string {
  if (!needsRebuild(type, node)) return expr;
  if (isStruct(type)) {
    const members = type.fields.map((field) => {
      const child = childById(node, field.id);
      const value = child
        ? rebuild(field.type, child, `struct_extract(${expr}, ${quoteString(child.name)})`, constants, depth + 1)
        : constants.has(field.id)
          ? valueToSql(field.type, constants.get(field.id))
          : initialDefaultSql(field);
      return `${quoteString(field.name)}: ${value}`;
    });
    return `CAST(CASE WHEN ${expr} IS NULL THEN NULL ELSE {${members.join(", ")}} END AS ${duckdbType(type)})`;
  }
  const v = `__floe_v${depth}`;
  if (isList(type)) {
    const element = rebuild(type.element, listElement(node), v, constants, depth + 1);
    return `CAST(list_transform(${expr}, lambda ${v}: ${element}) AS ${duckdbType(type)})`;
  }
  if (!isMap(type)) return expr;
  const [keyNode, valueNode] = mapEntries(node);
  const key = rebuild(type.key, keyNode, `struct_extract(${v}, 'key')`, constants, depth + 1);
  const value = rebuild(type.value, valueNode, `struct_extract(${v}, 'value')`, constants, depth + 1);
  return `CAST(map_from_entries(list_transform(map_entries(${expr}), lambda ${v}: {'key': ${key}, 'value': ${value}})) AS ${duckdbType(type)})`;
}

/** Whether any projected column is, or contains, a struct (the only case that needs the file's own schema). */
export const needsPhysicalSchema = (fields: NestedField[]): boolean =>
  fields.some((field) => containsStruct(field.type));

function containsStruct(type: IcebergType): boolean {
  if (isPrimitive(type)) return false;
  if (isStruct(type)) return true;
  if (isList(type)) return containsStruct(type.element);
  return containsStruct(type.key) || containsStruct(type.value);
}

/** The read plan of one file for the projection's top-level fields. */
export function fileReadPlan(fields: NestedField[], facts: FileFacts): FileReadPlan {
  const columns: ReadColumn[] = [];
  const select: FileReadPlan["select"] = [];
  for (const field of fields) {
    const alias = readAlias(field.id);
    const fallback = facts.partitionConstants.has(field.id)
      ? facts.partitionConstants.get(field.id)
      : initialDefaultValue(field);
    // The schema map's entries must share one type, so defaults travel as text DuckDB casts back.
    const defaultSql =
      fallback === null || fallback === undefined
        ? "CAST(NULL AS VARCHAR)"
        : `CAST(${valueToSql(field.type, fallback)} AS VARCHAR)`;
    const node = facts.physical ? childById(facts.physical, field.id) : undefined;
    if (node && needsRebuild(field.type, node)) {
      columns.push({ fieldId: field.id, alias, duckType: readType(field.type, node), defaultSql });
      const sql = rebuild(field.type, node, quoteIdent(alias), facts.partitionConstants, 0);
      select.push({ name: field.name, sql });
    } else {
      columns.push({ fieldId: field.id, alias, duckType: duckdbType(field.type), defaultSql });
      select.push({ name: field.name, sql: quoteIdent(alias) });
    }
  }
  return { columns, select };
}

/** read_parquet's `schema` argument for these columns. */
export const schemaMapSql = (columns: ReadColumn[]): string =>
  `MAP {${columns
    .map(
      (c) =>
        `${c.fieldId}: {name: ${quoteString(c.alias)}, type: ${quoteString(c.duckType)}, default_value: ${c.defaultSql}}`,
    )
    .join(", ")}}`;
