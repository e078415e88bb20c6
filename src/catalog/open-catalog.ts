/**
 * Opens a catalog from a URI, the one place that knows which implementation serves which scheme:
 *
 * - `sqlite:PATH` (also `sqlite:///abs/path`), or bare `sqlite:` for `<warehouse>/catalog.db`
 * - `postgres://…` / `postgresql://…`
 * - `memory:`
 * - `http(s)://…` is the REST catalog client; client properties (credential, token, scope,
 *   warehouse, prefix, ...) may ride along as query parameters. The server decides table
 *   locations, so `warehouse` is not used for it.
 */
import path from "node:path";
import { badInput } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { parseLocation } from "../io/locations.ts";
import { createFileIO } from "../io/resolve-file-io.ts";
import type { Catalog } from "./catalog.ts";
import { MemoryCatalog } from "./memory-catalog.ts";
import { DEFAULT_CATALOG_NAME, SqlCatalog } from "./sql-catalog.ts";
import type { SqlDialect } from "./sql-dialect.ts";
import { openSqliteDialect } from "./sqlite-dialect.ts";

/** Options shared by every kind of catalog. */
export interface OpenCatalogOptions {
  /** Root of default table locations: a local path, file://, s3:// or memory:// location. */
  warehouse: string;
  /** FileIO for metadata and table files (default: local, S3 and memory by scheme). */
  io?: FileIO;
  /** Catalog name; for SQL catalogs the catalog_name scoping every row (default "floe"). */
  name?: string;
}

/** The file name of the default SQLite database inside a local warehouse. */
export const DEFAULT_SQLITE_FILE = "catalog.db";

/** A relative local path made absolute; URLs and absolute paths unchanged. */
function absoluteWarehouse(warehouse: string): string {
  if (!warehouse) throw badInput("a catalog needs a warehouse location");
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(warehouse) || path.isAbsolute(warehouse)
    ? warehouse
    : path.resolve(warehouse);
}

/** The SQLite database path of a `sqlite:` URI. */
export function sqlitePath(uri: string, warehouse: string): string {
  let rest = uri.slice("sqlite:".length);
  // SQLAlchemy spells an absolute path sqlite:////abs and a relative one sqlite:///rel; accept
  // sqlite://<path> generally by dropping the two slashes of an empty authority.
  if (rest.startsWith("//")) rest = rest.slice(2);
  if (rest !== "") return rest === ":memory:" ? rest : path.resolve(rest);
  const parsed = parseLocation(warehouse);
  if (parsed.scheme !== "file")
    throw badInput(`catalog URI "sqlite:" needs a local warehouse for its default database; warehouse is ${warehouse}`);
  return path.join(parsed.path, DEFAULT_SQLITE_FILE);
}

async function openSql(dialect: SqlDialect, options: OpenCatalogOptions, warehouse: string): Promise<Catalog> {
  try {
    return await SqlCatalog.open({
      dialect,
      warehouse,
      io: options.io ?? createFileIO(),
      name: options.name ?? DEFAULT_CATALOG_NAME,
    });
  } catch (error) {
    await dialect.close().catch(() => undefined);
    throw error;
  }
}

/** Opens the catalog `uri` names; see the module comment for the schemes. */
export async function openCatalog(uri: string, options: OpenCatalogOptions): Promise<Catalog> {
  const warehouse = absoluteWarehouse(options.warehouse);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  switch (scheme) {
    case "sqlite":
      return openSql(openSqliteDialect({ path: sqlitePath(uri, warehouse) }), options, warehouse);
    case "postgres":
    case "postgresql": {
      // Loaded on demand, like the REST client: a local run should not pay for drivers it never uses.
      const { openPostgresDialect } = await import("./postgres-dialect.ts");
      return openSql(openPostgresDialect({ connectionString: uri }), options, warehouse);
    }
    case "memory":
      return new MemoryCatalog({ warehouse, io: options.io ?? createFileIO(), name: options.name });
    case "http":
    case "https": {
      const { RestCatalog } = await import("./rest/rest-catalog.ts");
      return RestCatalog.open({ uri, io: options.io, name: options.name });
    }
    default:
      throw badInput(
        `catalog URI "${uri}" has no supported scheme (sqlite:, postgres://, postgresql://, memory:, http(s)://)`,
      );
  }
}
