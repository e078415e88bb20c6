/**
 * The database auth lives in: the SQL catalog's own database, named by the same catalog URI. Auth
 * opens its own connection (a SQLite file in WAL mode and a PostgreSQL pool both take several).
 */
import { badInput } from "../../core/errors.ts";
import { sqlitePath } from "../../catalog/open-catalog.ts";
import { openPostgresDialect } from "../../catalog/postgres-dialect.ts";
import type { SqlDialect } from "../../catalog/sql-dialect.ts";
import { openSqliteDialect } from "../../catalog/sqlite-dialect.ts";

/** Opens the database of a `sqlite:` or `postgres(ql)://` catalog URI; bad-input for any other catalog. */
export function openAuthDatabase(catalogUri: string, warehouse: string): SqlDialect {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(catalogUri)?.[1]?.toLowerCase();
  if (scheme === "sqlite") return openSqliteDialect({ path: sqlitePath(catalogUri, warehouse) });
  if (scheme === "postgres" || scheme === "postgresql") return openPostgresDialect({ connectionString: catalogUri });
  throw badInput(
    `principals, grants and the audit log live in a SQL catalog database (sqlite: or postgres://); the catalog is ${
      scheme ?? "unknown"
    }:`,
  );
}
