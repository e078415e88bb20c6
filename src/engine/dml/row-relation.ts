/**
 * The rows of a set of planned data files with their identity: every column of the schema (read
 * by field id, as the read path does) plus the data file's location and the row's position in it
 * (read_parquet's file_row_number), after the deletes the planner matched to each file. Those two
 * columns are what a position delete names, and what a copy-on-write rewrite leaves out.
 */
import { unsupported } from "../../core/errors.ts";
import type { FileScanTask } from "../../scan/plan.ts";
import { sourceIdsOf } from "../../spec/partitioning.ts";
import type { Schema } from "../../spec/types.ts";
import type { Engine } from "../duckdb.ts";
import {
  type DeleteTarget,
  FILE_COLUMN,
  POS_COLUMN,
  antiJoinsSql,
  checkDeleteFile,
  equalityDeleteKey,
} from "../read/apply-deletes.ts";
import { type FileReadPlan, fileReadPlan, needsPhysicalSchema, schemaMapSql } from "../read/field-mapping.ts";
import { type PhysicalNode, physicalSchemas } from "../read/physical-schema.ts";
import { quoteIdent, quoteString, stringList } from "../read/sql-text.ts";
import { duckdbType } from "../sql/types.ts";

/** Column of a row relation: the location of the data file the row is in (as the manifests name it). */
export const ROW_FILE = "__floe_row_file";
/** Column of a row relation: the row's position in its data file (0-based). */
export const ROW_POS = "__floe_row_pos";

const DATA_ALIAS = "__floe_t";

/** Identity-partition values of a task's file by source field id (used when the file lacks the column). */
function partitionConstants(task: FileScanTask): Map<number, unknown> {
  const constants = new Map<number, unknown>();
  task.spec.fields.forEach((field, i) => {
    if (field.transform === "identity" && i < task.file.partition.length)
      constants.set(sourceIdsOf(field)[0], task.file.partition[i]);
  });
  return constants;
}

interface Group {
  plan: FileReadPlan;
  targets: DeleteTarget[];
}

/**
 * SQL of the rows of `tasks` (deletes applied, no residual) with every column of `schema` plus
 * ROW_FILE and ROW_POS. `localPathFor` maps stored locations to readable local paths.
 */
export async function rowRelationSql(
  engine: Engine,
  tasks: FileScanTask[],
  schema: Schema,
  localPathFor: (location: string) => string,
): Promise<string> {
  const columns = schema.fields.map((f) => quoteIdent(f.name));
  if (tasks.length === 0) {
    const nulls = schema.fields.map((f) => `CAST(NULL AS ${duckdbType(f.type)}) AS ${quoteIdent(f.name)}`);
    return `SELECT ${[...nulls, `CAST(NULL AS VARCHAR) AS ${ROW_FILE}`, `CAST(NULL AS BIGINT) AS ${ROW_POS}`].join(", ")} WHERE FALSE`;
  }
  for (const task of tasks) {
    if (task.file.fileFormat !== "PARQUET")
      throw unsupported(`data file ${task.file.filePath}: ${task.file.fileFormat} data files are not supported`);
    for (const file of task.deletes) checkDeleteFile(file);
  }
  const physical = needsPhysicalSchema(schema.fields)
    ? await physicalSchemas(
        engine,
        tasks.map((t) => ({ localPath: localPathFor(t.file.filePath), size: t.file.fileSizeInBytes })),
      )
    : new Map<string, PhysicalNode>();

  const groups = new Map<string, Group>();
  for (const task of tasks) {
    const localPath = localPathFor(task.file.filePath);
    const plan = fileReadPlan(schema.fields, {
      physical: physical.get(localPath),
      partitionConstants: partitionConstants(task),
    });
    const key = JSON.stringify([plan, equalityDeleteKey(task.deletes)]);
    let group = groups.get(key);
    if (!group) {
      group = { plan, targets: [] };
      groups.set(key, group);
    }
    group.targets.push({ location: task.file.filePath, localPath, deletes: task.deletes });
  }

  const d = quoteIdent(DATA_ALIAS);
  return [...groups.values()]
    .map((group) => {
      const select = group.plan.select.map((s) => `${s.sql} AS ${quoteIdent(s.name)}`);
      select.push(quoteIdent(FILE_COLUMN), `file_row_number AS ${quoteIdent(POS_COLUMN)}`);
      const files = group.targets.map((t) => t.localPath);
      const read =
        `SELECT ${select.join(", ")} FROM read_parquet(${stringList(files)}, schema = ${schemaMapSql(group.plan.columns)}, ` +
        `hive_partitioning = false, filename = '${FILE_COLUMN}', file_row_number = true)`;
      const locations = group.targets.map((t) => `(${quoteString(t.localPath)}, ${quoteString(t.location)})`);
      const deletes = antiJoinsSql(schema, DATA_ALIAS, group.targets, localPathFor);
      const out = [
        ...columns.map((c) => `${d}.${c}`),
        `__floe_files.loc AS ${ROW_FILE}`,
        `${d}.${quoteIdent(POS_COLUMN)} AS ${ROW_POS}`,
      ];
      return (
        `SELECT ${out.join(", ")} FROM (${read}) AS ${d}` +
        `\nJOIN (VALUES ${locations.join(", ")}) AS __floe_files(local, loc) ON ${d}.${quoteIdent(FILE_COLUMN)} = __floe_files.local` +
        (deletes ? `\n${deletes}` : "")
      );
    })
    .join("\nUNION ALL\n");
}
