/**
 * One SQL relation over the data files of a scan: each file read by field id into the projection
 * schema (see field-mapping.ts), deletes applied as anti-joins (apply-deletes.ts) and each file's
 * residual filter as a WHERE. Files that read the same way (same read plan, same residual, same
 * equality deletes) share one read_parquet call; the groups are glued with UNION ALL, every branch
 * producing exactly the projection's columns and DuckDB types. Rows stay inside DuckDB.
 */
import { badInput, unsupported } from "../../core/errors.ts";
import { bind } from "../../expr/bind.ts";
import type { BoundExpression } from "../../expr/bound.ts";
import { type Expression, asLogical, isPredicate } from "../../expr/expressions.ts";
import type { DataFile } from "../../manifest/types.ts";
import type { PartitionSpec } from "../../spec/partition-spec.ts";
import { sourceIdsOf } from "../../spec/partitioning.ts";
import type { NestedField, Schema } from "../../spec/types.ts";
import type { Engine } from "../duckdb.ts";
import { duckdbType } from "../sql/types.ts";
import {
  type DeleteTarget,
  FILE_COLUMN,
  POS_COLUMN,
  antiJoinsSql,
  checkDeleteFile,
  equalityDeleteKey,
  equalityFieldRoots,
  hasPositionDeletes,
} from "./apply-deletes.ts";
import { expressionToSql } from "./expr-to-sql.ts";
import { type FileReadPlan, fileReadPlan, needsPhysicalSchema, schemaMapSql } from "./field-mapping.ts";
import { localPathOf } from "./file-cache.ts";
import { type PhysicalNode, physicalSchemas } from "./physical-schema.ts";
import { quoteIdent, stringList } from "./sql-text.ts";

/** A data file to read: the shape of the scan planner's FileScanTask (residual optional here). */
export interface ReadTask {
  file: DataFile;
  /** The spec the file was written with (identity partition values fill columns the file lacks). */
  spec: PartitionSpec;
  /** Delete files the planner matched to this file. */
  deletes: DataFile[];
  /** The filter the file's rows must still pass; none means all rows. */
  residual?: Expression;
}

/** Which columns to produce and how to reach the files. */
export interface ScanRelationOptions {
  /** Top-level column names to produce, in this order (default: every column of the schema). */
  columns?: string[];
  /** Readable local path of a location (default: the path of local locations; others fail). */
  localPathFor?: (location: string) => string;
  caseSensitive?: boolean;
}

const DATA_ALIAS = "__floe_t";

function defaultLocalPath(location: string): string {
  const local = localPathOf(location);
  if (local === undefined)
    throw unsupported(`file ${location} is not local; read remote tables through tableScanSql, which caches them`);
  return local;
}

/** The projection's output fields: the named top-level columns, or all of them. */
function outputFields(schema: Schema, columns: string[] | undefined, caseSensitive: boolean): NestedField[] {
  if (columns === undefined) return schema.fields;
  if (columns.length === 0) throw badInput("a scan must produce at least one column");
  return columns.map((name) => {
    const wanted = caseSensitive ? name : name.toLowerCase();
    const field = schema.fields.find((f) => (caseSensitive ? f.name : f.name.toLowerCase()) === wanted);
    if (!field)
      throw badInput(
        `no column named ${name} in schema ${schema["schema-id"]} (columns: ${schema.fields.map((f) => f.name).join(", ")})`,
      );
    return field;
  });
}

/** A relation with the output columns and no rows. */
function emptyRelation(fields: NestedField[]): string {
  return `SELECT ${fields.map((f) => `CAST(NULL AS ${duckdbType(f.type)}) AS ${quoteIdent(f.name)}`).join(", ")} WHERE FALSE`;
}

/** Identity-partition values of a file by source field id. */
function partitionConstants(task: ReadTask): Map<number, unknown> {
  const constants = new Map<number, unknown>();
  task.spec.fields.forEach((field, i) => {
    if (field.transform === "identity" && i < task.file.partition.length)
      constants.set(sourceIdsOf(field)[0], task.file.partition[i]);
  });
  return constants;
}

/** Top-level field ids a filter references. */
function filterRoots(schema: Schema, expr: Expression | undefined, caseSensitive: boolean): number[] {
  if (!expr) return [];
  const roots: number[] = [];
  const visit = (e: BoundExpression): void => {
    if (isPredicate(e)) {
      roots.push(schema.fields[e.ref.path[0]].id);
      return;
    }
    const node = asLogical(e);
    if (node.op === "and" || node.op === "or") {
      visit(node.left);
      visit(node.right);
    } else if (node.op === "not") visit(node.child);
  };
  visit(bind(schema, expr, caseSensitive));
  return roots;
}

interface Group {
  plan: FileReadPlan;
  residualSql: string | undefined;
  positionDeletes: boolean;
  targets: DeleteTarget[];
}

function groupSql(schema: Schema, output: NestedField[], group: Group, localPathFor: (l: string) => string): string {
  const files = group.targets.map((t) => t.localPath);
  const hidden = group.positionDeletes;
  const select = group.plan.select.map((s) => `${s.sql} AS ${quoteIdent(s.name)}`);
  if (hidden) select.push(quoteIdent(FILE_COLUMN), `file_row_number AS ${quoteIdent(POS_COLUMN)}`);
  // Iceberg paths look like Hive partition folders; the values come from metadata, never from paths.
  const options = `, hive_partitioning = false${hidden ? `, filename = '${FILE_COLUMN}', file_row_number = true` : ""}`;
  const read = `SELECT ${select.join(", ")} FROM read_parquet(${stringList(files)}, schema = ${schemaMapSql(group.plan.columns)}${options})`;
  const deletes = antiJoinsSql(schema, DATA_ALIAS, group.targets, localPathFor);
  const where = group.residualSql ? `\nWHERE ${group.residualSql}` : "";
  const columns = output.map((f) => `${quoteIdent(DATA_ALIAS)}.${quoteIdent(f.name)}`).join(", ");
  return `SELECT ${columns} FROM (${read}) AS ${quoteIdent(DATA_ALIAS)}${deletes ? `\n${deletes}` : ""}${where}`;
}

/**
 * SQL of one relation over `tasks` with the columns of `schema` (the scan's projection schema;
 * `options.columns` narrows it), mapping every file's columns by field id, filling missing ones,
 * applying deletes and residuals. Reads Parquet footers only for tables with struct columns.
 */
export async function scanRelationSql(
  engine: Engine,
  tasks: ReadTask[],
  schema: Schema,
  options: ScanRelationOptions = {},
): Promise<string> {
  const caseSensitive = options.caseSensitive ?? true;
  const output = outputFields(schema, options.columns, caseSensitive);
  if (tasks.length === 0) return emptyRelation(output);
  const localPathFor = options.localPathFor ?? defaultLocalPath;

  // Columns the reads need: the output, plus what residuals and equality deletes look at.
  const neededIds = new Set(output.map((f) => f.id));
  for (const task of tasks) {
    if (task.file.fileFormat !== "PARQUET")
      throw unsupported(
        `data file ${task.file.filePath}: ${task.file.fileFormat} data files are not supported (only Parquet)`,
      );
    for (const file of task.deletes) checkDeleteFile(file);
    for (const id of filterRoots(schema, task.residual, caseSensitive)) neededIds.add(id);
    for (const id of equalityFieldRoots(schema, task.deletes)) neededIds.add(id);
  }
  const needed = schema.fields.filter((f) => neededIds.has(f.id));

  const physical = needsPhysicalSchema(needed)
    ? await physicalSchemas(
        engine,
        tasks.map((t) => ({ localPath: localPathFor(t.file.filePath), size: t.file.fileSizeInBytes })),
      )
    : new Map<string, PhysicalNode>();

  const groups = new Map<string, Group>();
  for (const task of tasks) {
    const localPath = localPathFor(task.file.filePath);
    const plan = fileReadPlan(needed, {
      physical: physical.get(localPath),
      partitionConstants: partitionConstants(task),
    });
    const residual = task.residual;
    const residualSql =
      residual === undefined || (residual as { op: string }).op === "true"
        ? undefined
        : expressionToSql(schema, residual, { qualifier: DATA_ALIAS, caseSensitive, whereClause: true });
    const positionDeletes = hasPositionDeletes(task.deletes);
    const key = JSON.stringify([plan, residualSql ?? null, equalityDeleteKey(task.deletes), positionDeletes]);
    let group = groups.get(key);
    if (!group) {
      group = { plan, residualSql, positionDeletes, targets: [] };
      groups.set(key, group);
    }
    group.targets.push({ location: task.file.filePath, localPath, deletes: task.deletes });
  }
  return [...groups.values()].map((group) => groupSql(schema, output, group, localPathFor)).join("\nUNION ALL\n");
}
