/**
 * The little the SQL catalog needs from a database, so one catalog implementation runs on SQLite
 * and PostgreSQL. Statements use `?` placeholders (dialects rewrite them as needed) and only
 * string/null parameters, which is all the JDBC catalog schema holds.
 */

/** A parameter value: the catalog tables hold only strings. */
export type SqlValue = string | null;

/** One result row, by column name. */
export type SqlRow = Record<string, unknown>;

/** Runs statements on one connection (or the pool). */
export interface SqlExecutor {
  /** Runs a SELECT and returns its rows. */
  query(sql: string, params?: SqlValue[]): Promise<SqlRow[]>;
  /** Runs an INSERT/UPDATE/DELETE/DDL statement and returns the number of rows it changed. */
  execute(sql: string, params?: SqlValue[]): Promise<number>;
}

/** A database the SQL catalog can use. */
export interface SqlDialect extends SqlExecutor {
  readonly kind: "sqlite" | "postgres";
  /** Runs `work` in one write transaction, committing when it resolves and rolling back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Whether the table exists in the database (schema-aware for PostgreSQL). */
  tableExists(table: string): Promise<boolean>;
  /** Column names of a table, lower-cased. */
  columns(table: string): Promise<string[]>;
  /** True when `error` (or its cause) is a primary-key / unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  close(): Promise<void>;
}

/** Reads a driver error's code from the error or its FloeError cause. */
export function driverErrorCode(error: unknown): string | undefined {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
