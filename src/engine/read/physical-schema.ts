/**
 * The physical schema of Parquet data files (names and field ids as written), read from their
 * footers with DuckDB's parquet_schema and cached: Iceberg data files are immutable, so a file's
 * schema never changes once read. Only reads of tables with struct columns need it (DuckDB maps
 * top-level columns by field id itself, but casts nested structs by name).
 */
import { ioError } from "../../core/errors.ts";
import type { Engine } from "../duckdb.ts";
import { stringList } from "./sql-text.ts";

/** One node of a Parquet schema: a column or group, with its children in file order. */
export interface PhysicalNode {
  name: string;
  fieldId?: number;
  children: PhysicalNode[];
}

interface SchemaRow {
  file_name: string;
  name: string;
  field_id: bigint | number | string | null;
  num_children: bigint | number | string | null;
}

const MAX_CACHED = 20_000;
/** Keyed by location and size: a rewritten file at the same location (which Iceberg never does) would differ in size. */
const cache = new Map<string, PhysicalNode>();

const cacheKey = (path: string, size: bigint | number): string => `${size}:${path}`;

/** Rebuilds the tree from parquet_schema rows (depth-first, each group followed by its children). */
function buildTree(rows: SchemaRow[]): PhysicalNode {
  let index = 0;
  const next = (): PhysicalNode => {
    const row = rows[index++];
    const count = row.num_children === null ? 0 : Number(row.num_children);
    const node: PhysicalNode = { name: row.name, children: [] };
    if (row.field_id !== null) node.fieldId = Number(row.field_id);
    for (let i = 0; i < count; i++) node.children.push(next());
    return node;
  };
  return next();
}

/** A file to read the schema of: the path DuckDB opens and the size that identifies its version. */
export interface SchemaSource {
  localPath: string;
  size: bigint | number;
}

/** The physical schema root (the message node) of each file, by local path, reading only uncached footers. */
export async function physicalSchemas(engine: Engine, files: SchemaSource[]): Promise<Map<string, PhysicalNode>> {
  const result = new Map<string, PhysicalNode>();
  const missing: SchemaSource[] = [];
  for (const file of files) {
    const hit = cache.get(cacheKey(file.localPath, file.size));
    if (hit) result.set(file.localPath, hit);
    else missing.push(file);
  }
  if (missing.length === 0) return result;
  let rows: SchemaRow[];
  try {
    rows = await engine.all<SchemaRow>(
      `SELECT file_name, name, field_id, num_children FROM parquet_schema(${stringList(missing.map((f) => f.localPath))})`,
    );
  } catch (error) {
    throw ioError(
      `cannot read the Parquet schema of ${missing.map((f) => f.localPath).join(", ")}: ${(error as Error).message}`,
      error,
    );
  }
  const byFile = new Map<string, SchemaRow[]>();
  for (const row of rows) {
    let list = byFile.get(row.file_name);
    if (!list) {
      list = [];
      byFile.set(row.file_name, list);
    }
    list.push(row);
  }
  for (const file of missing) {
    const fileRows = byFile.get(file.localPath);
    if (!fileRows || fileRows.length === 0) throw ioError(`no Parquet schema found in ${file.localPath}`);
    const tree = buildTree(fileRows);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey(file.localPath, file.size), tree);
    result.set(file.localPath, tree);
  }
  return result;
}
