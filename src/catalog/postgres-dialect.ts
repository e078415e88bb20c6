/**
 * PostgreSQL for the SQL catalog, through a pg connection pool. Several floe processes (servers,
 * writers) can share one database: the catalog's commit is a single conditional UPDATE, and
 * PostgreSQL's row locks make concurrent ones serialize correctly.
 */
import { createRequire } from "node:module";
import type pg from "pg";
import { ioError } from "../core/errors.ts";
import { type SqlDialect, type SqlExecutor, type SqlRow, type SqlValue, driverErrorCode } from "./sql-dialect.ts";

/** Options for connecting the catalog to PostgreSQL. */
export interface PostgresDialectOptions {
  /** postgres:// or postgresql:// connection string. */
  connectionString: string;
  /** Most connections the pool opens (default 10). */
  maxConnections?: number;
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (the catalog's SQL has no `?` inside literals). */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** The connection string without credentials, for error messages. */
function describe(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "(unparseable connection string)";
  }
}

/** Creates a pool; connections open lazily, on the first statement. */
export function openPostgresDialect(options: PostgresDialectOptions): SqlDialect {
  // The driver loads when a PostgreSQL catalog is opened, not when this module is imported.
  const { Pool } = createRequire(import.meta.url)("pg") as typeof pg;
  const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on("error", () => undefined);
  return new PostgresDialect(pool, describe(options.connectionString));
}

class PostgresDialect implements SqlDialect {
  readonly kind = "postgres" as const;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly where: string,
  ) {}

  private fail(sql: string, error: unknown): never {
    throw ioError(`PostgreSQL catalog ${this.where}: ${(error as Error).message} (in: ${sql.slice(0, 80)})`, error);
  }

  private executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
    return {
      query: async (sql, params = []) => {
        try {
          return (await client.query(toPostgresPlaceholders(sql), params)).rows as SqlRow[];
        } catch (error) {
          this.fail(sql, error);
        }
      },
      execute: async (sql, params = []) => {
        try {
          return (await client.query(toPostgresPlaceholders(sql), params)).rowCount ?? 0;
        } catch (error) {
          this.fail(sql, error);
        }
      },
    };
  }

  query(sql: string, params?: SqlValue[]): Promise<SqlRow[]> {
    return this.executor(this.pool).query(sql, params);
  }

  execute(sql: string, params?: SqlValue[]): Promise<number> {
    return this.executor(this.pool).execute(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.fail("connect", error);
    }
    const tx = this.executor(client);
    try {
      await tx.execute("BEGIN");
      const result = await work(tx);
      await tx.execute("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async tableExists(table: string): Promise<boolean> {
    const rows = await this.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
      [table],
    );
    return rows.length > 0;
  }

  async columns(table: string): Promise<string[]> {
    const rows = await this.query(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?",
      [table],
    );
    return rows.map((row) => String(row.column_name).toLowerCase());
  }

  isUniqueViolation(error: unknown): boolean {
    return driverErrorCode(error) === "23505";
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
