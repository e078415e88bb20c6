/**
 * SQLite for the SQL catalog, through better-sqlite3. The database file may be shared by several
 * OS processes: WAL mode lets readers run beside the one writer, a busy timeout makes writers wait
 * for each other instead of failing, and write transactions start with BEGIN IMMEDIATE so they
 * take the write lock up front (a deferred transaction that upgrades later can fail with
 * SQLITE_BUSY without waiting).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ioError } from "../core/errors.ts";
import { type SqlDialect, type SqlExecutor, type SqlRow, type SqlValue, driverErrorCode } from "./sql-dialect.ts";

/** How long a statement waits for another connection's write lock before failing. */
const BUSY_TIMEOUT_MS = 30_000;

/** Options for opening a SQLite catalog database. */
export interface SqliteDialectOptions {
  /** Filesystem path of the database, or ":memory:". Parent directories are created. */
  path: string;
}

/** Opens (creating if needed) a SQLite database for the catalog. */
export function openSqliteDialect(options: SqliteDialectOptions): SqlDialect {
  if (options.path !== ":memory:") mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(options.path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (options.path !== ":memory:") db.pragma("journal_mode = WAL");
  } catch (error) {
    throw ioError(`cannot open SQLite catalog database ${options.path}: ${(error as Error).message}`, error);
  }
  return new SqliteDialect(db, options.path);
}

class SqliteDialect implements SqlDialect {
  readonly kind = "sqlite" as const;
  /** Serializes work on the one connection: statements must not slip into another caller's transaction. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly direct: SqlExecutor;

  constructor(
    private readonly db: Database.Database,
    private readonly location: string,
  ) {
    this.direct = {
      query: async (sql, params = []) => this.run(sql, () => this.db.prepare(sql).all(...params) as SqlRow[]),
      execute: async (sql, params = []) => this.run(sql, () => this.db.prepare(sql).run(...params).changes),
    };
  }

  private run<T>(sql: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw ioError(`SQLite catalog ${this.location}: ${(error as Error).message} (in: ${sql.slice(0, 80)})`, error);
    }
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  query(sql: string, params?: SqlValue[]): Promise<SqlRow[]> {
    return this.exclusive(() => this.direct.query(sql, params));
  }

  execute(sql: string, params?: SqlValue[]): Promise<number> {
    return this.exclusive(() => this.direct.execute(sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.run("BEGIN IMMEDIATE", () => this.db.exec("BEGIN IMMEDIATE"));
      try {
        const result = await work(this.direct);
        this.run("COMMIT", () => this.db.exec("COMMIT"));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  async tableExists(table: string): Promise<boolean> {
    const rows = await this.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [table]);
    return rows.length > 0;
  }

  async columns(table: string): Promise<string[]> {
    // PRAGMA arguments cannot be bound; the table name is one of the catalog's own constants.
    const rows = await this.query(`PRAGMA table_info(${table})`);
    return rows.map((row) => String(row.name).toLowerCase());
  }

  isUniqueViolation(error: unknown): boolean {
    const code = driverErrorCode(error);
    return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
