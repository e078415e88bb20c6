/**
 * A throwaway PostgreSQL database per test run. Tests that need PostgreSQL fail (never skip) with
 * a clear message when no server answers: a silently skipped suite would hide a broken catalog.
 *
 * The server defaults to the local one with trust auth (user postgres); FLOE_TEST_POSTGRES_URL
 * points the tests at another server (its database is only used to create and drop test ones).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

const ADMIN_URL = process.env.FLOE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A freshly created database and how to get rid of it. */
export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  /** Drops the database, disconnecting anyone still attached. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    const where = new URL(ADMIN_URL);
    throw new Error(
      `PostgreSQL is required for this test but no server answered at ${where.hostname}:${where.port || 5432} ` +
        `as user ${where.username || "(default)"}: ${(error as Error).message}. Start PostgreSQL or set FLOE_TEST_POSTGRES_URL.`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named database for this run. */
export async function createTestDatabase(purpose: string): Promise<TestDatabase> {
  const name = `floe_test_${purpose.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
