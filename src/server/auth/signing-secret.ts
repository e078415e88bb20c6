/**
 * The secret that signs access tokens. Every server sharing a catalog database must use the same
 * one, so a token issued by one server is accepted by the others: it comes from configuration
 * (FLOE_AUTH_SECRET) or, when none is configured, is generated once and kept in the database.
 */
import { randomBytes } from "node:crypto";
import { badInput } from "../../core/errors.ts";
import type { SqlDialect } from "../../catalog/sql-dialect.ts";
import { AUTH_SETTINGS_TABLE, ensureAuthSchema } from "./auth-schema.ts";

/** The environment variable holding a configured signing secret. */
export const AUTH_SECRET_ENV = "FLOE_AUTH_SECRET";

const SETTING_KEY = "token-signing-secret";
/** HS256 wants a key of at least 256 bits. */
const MIN_SECRET_BYTES = 32;

async function storedSecret(dialect: SqlDialect): Promise<string | undefined> {
  const rows = await dialect.query(`SELECT setting_value FROM ${AUTH_SETTINGS_TABLE} WHERE setting_key = ?`, [
    SETTING_KEY,
  ]);
  return rows[0] === undefined ? undefined : String(rows[0].setting_value);
}

/**
 * The signing key: `configured` (or FLOE_AUTH_SECRET) when set, otherwise the database's stored
 * secret, generated and stored on first use. Concurrent first starts agree on one stored secret.
 */
export async function resolveSigningSecret(
  dialect: SqlDialect,
  configured: string | undefined = process.env[AUTH_SECRET_ENV],
): Promise<Uint8Array> {
  if (configured !== undefined && configured !== "") {
    const bytes = new TextEncoder().encode(configured);
    if (bytes.length < MIN_SECRET_BYTES)
      throw badInput(`${AUTH_SECRET_ENV} must be at least ${MIN_SECRET_BYTES} bytes long, got ${bytes.length}`);
    return bytes;
  }
  await ensureAuthSchema(dialect);
  let secret = await storedSecret(dialect);
  if (secret === undefined) {
    try {
      await dialect.execute(`INSERT INTO ${AUTH_SETTINGS_TABLE} (setting_key, setting_value) VALUES (?, ?)`, [
        SETTING_KEY,
        randomBytes(MIN_SECRET_BYTES).toString("base64url"),
      ]);
    } catch (error) {
      if (!dialect.isUniqueViolation(error)) throw error;
    }
    secret = await storedSecret(dialect);
  }
  if (secret === undefined) throw badInput(`could not store the token signing secret in ${AUTH_SETTINGS_TABLE}`);
  return Buffer.from(secret, "base64url");
}
