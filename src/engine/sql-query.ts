/**
 * SQL over Iceberg tables. A SELECT names catalog tables as `namespace.table` (or
 * `ns1.ns2.table`), and may travel in time per table with DuckDB's AT clause:
 *
 *   SELECT * FROM clicks.events AT (VERSION => 4923785113442)        -- a snapshot id
 *   SELECT * FROM clicks.events AT (VERSION => 'audit')              -- a branch or tag
 *   SELECT * FROM clicks.events e AT (TIMESTAMP => '2025-01-31 12:00:00')  -- UTC unless an offset is given
 *
 * (an alias goes before AT), or read any table on disk without a catalog:
 *
 *   SELECT * FROM iceberg_scan('/data/events')                        -- newest metadata of a table directory
 *   SELECT * FROM iceberg_scan('/data/events/metadata/00003-....metadata.json', snapshot_id => 42)
 *   SELECT * FROM iceberg_scan('/copies/events', allow_moved_paths => true)
 *
 * Each reference is planned in TypeScript (pruning, deletes) and replaced in the text by its scan
 * relation; everything else in the query is DuckDB's. References to names that are not catalog
 * tables in a namespace the catalog does not know are left alone, so DuckDB's own schemas
 * (information_schema, ...) keep working.
 */
import { badInput, isFloeError, notFound } from "../core/errors.ts";
import type { Catalog, LoadedTable, TableIdentifier } from "../catalog/catalog.ts";
import { formatTableIdentifier } from "../catalog/identifiers.ts";
import type { FileIO } from "../io/file-io.ts";
import { createFileIO } from "../io/resolve-file-io.ts";
import type { SnapshotSelector } from "../scan/snapshot-selection.ts";
import type { Engine, EngineRow } from "./duckdb.ts";
import { openIcebergPath } from "./query/iceberg-path.ts";
import { queryToRows } from "./query/results.ts";
import {
  type AtClause,
  type IcebergScanReference,
  type TableNameReference,
  findTableReferences,
} from "./query/table-references.ts";
import type { FileCache } from "./read/file-cache.ts";
import { quoteIdent } from "./read/sql-text.ts";
import { tableScanSql } from "./read/table-query.ts";

export { type ExportFormat, type ExportOptions, exportQuery, queryToRows } from "./query/results.ts";

/** Which snapshot unqualified references read, and how files are reached. */
export interface SqlQueryOptions extends SnapshotSelector {
  /** FileIO for iceberg_scan paths (default: one routing by scheme: local, s3, memory). */
  io?: FileIO;
  /** Where remote files are cached (default: the process-wide cache). */
  fileCache?: FileCache;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The snapshot an AT clause selects. */
function selectorOfAt(at: AtClause, table: string): SnapshotSelector {
  if (at.unit === "VERSION") {
    if (typeof at.value === "string") return { ref: at.value };
    return { snapshotId: BigInt(at.value) };
  }
  if (at.unit === "TIMESTAMP") {
    if (typeof at.value !== "string") return { asOfTimestampMs: Number(at.value) };
    let text = at.value.trim().replace(" ", "T");
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += "T00:00:00";
    if (!/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text)) text += "Z";
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw badInput(`${table} AT (TIMESTAMP => '${at.value}'): not a timestamp`);
    return { asOfTimestampMs: ms };
  }
  throw badInput(`${table} AT (${at.unit} => ...): use VERSION (a snapshot id, branch or tag) or TIMESTAMP`);
}

async function loadIfCatalogTable(catalog: Catalog, ref: TableNameReference): Promise<LoadedTable | undefined> {
  const identifier: TableIdentifier = { namespace: ref.namespace, name: ref.name };
  try {
    return await catalog.loadTable(identifier);
  } catch (error) {
    if (!isFloeError(error, "not-found")) throw error;
    if (ref.at || (await catalog.namespaceExists(ref.namespace).catch(() => false)))
      throw notFound(`table ${formatTableIdentifier(identifier)} does not exist`, error);
    return undefined;
  }
}

async function icebergScanSql(engine: Engine, ref: IcebergScanReference, options: SqlQueryOptions): Promise<string> {
  const location = ref.args[0];
  if (typeof location !== "string" || ref.args.length !== 1)
    throw badInput("iceberg_scan takes one path argument: iceberg_scan('<table directory or metadata file>', ...)");
  for (const name of Object.keys(ref.named))
    if (name !== "snapshot_id" && name !== "allow_moved_paths")
      throw badInput(`iceberg_scan: unknown argument ${name} (supported: snapshot_id, allow_moved_paths)`);
  const snapshot = ref.named.snapshot_id;
  if (snapshot !== undefined && typeof snapshot !== "bigint" && typeof snapshot !== "number")
    throw badInput(`iceberg_scan: snapshot_id must be an integer, got ${String(snapshot)}`);
  const opened = await openIcebergPath(options.io ?? createFileIO(), location, {
    allowMovedPaths: ref.named.allow_moved_paths === true,
  });
  const { sql } = await tableScanSql(engine, opened.io, opened.metadata, {
    snapshotId: snapshot === undefined ? undefined : BigInt(snapshot),
    fileCache: options.fileCache,
    relocate: opened.relocate,
  });
  return `(${sql})`;
}

/** The SQL with every Iceberg table reference replaced by its scan relation, ready for DuckDB. */
export async function planSql(
  engine: Engine,
  catalog: Catalog,
  sql: string,
  options: SqlQueryOptions = {},
): Promise<string> {
  const references = await findTableReferences(engine, sql);
  const defaults: SnapshotSelector = {
    snapshotId: options.snapshotId,
    ref: options.ref,
    asOfTimestampMs: options.asOfTimestampMs,
  };
  const relations = new Map<string, string>();
  const edits: Edit[] = [];
  for (const ref of references) {
    if (ref.kind === "iceberg_scan") {
      edits.push({ ...ref.span, text: await icebergScanSql(engine, ref, options) });
      continue;
    }
    const loaded = await loadIfCatalogTable(catalog, ref);
    if (!loaded) continue;
    const name = formatTableIdentifier(loaded.identifier);
    const selector = ref.at ? selectorOfAt(ref.at, name) : defaults;
    const key = JSON.stringify([
      ref.namespace,
      ref.name,
      String(selector.snapshotId),
      selector.ref,
      selector.asOfTimestampMs,
    ]);
    let relation = relations.get(key);
    if (relation === undefined) {
      const scan = await tableScanSql(engine, loaded.io, loaded.metadata, {
        ...selector,
        fileCache: options.fileCache,
      });
      relation = `(${scan.sql})`;
      relations.set(key, relation);
    }
    // Without an alias the relation takes the table's name, so `events.col` still resolves.
    edits.push({ ...ref.nameSpan, text: ref.alias ? relation : `${relation} AS ${quoteIdent(ref.name)}` });
    if (ref.atSpan) edits.push({ ...ref.atSpan, text: "" });
  }
  let out = sql;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Runs a SELECT over catalog tables (see planSql) and returns its rows. */
export async function runSql(
  engine: Engine,
  catalog: Catalog,
  sql: string,
  options: SqlQueryOptions = {},
): Promise<EngineRow[]> {
  return queryToRows(engine, await planSql(engine, catalog, sql, options));
}
