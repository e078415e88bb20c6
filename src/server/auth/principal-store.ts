/**
 * Principals and their grants in the catalog database (floe_principals, floe_grants). A principal
 * is a name plus client credentials; the secret is returned once, at creation, and stored only as
 * an scrypt hash.
 */
import { alreadyExists, badInput, notFound } from "../../core/errors.ts";
import type { SqlDialect } from "../../catalog/sql-dialect.ts";
import type { Privilege } from "../auth-hooks.ts";
import { GRANTS_TABLE, PRINCIPALS_TABLE, ensureAuthSchema } from "./auth-schema.ts";
import { type Grant, formatObjectPath, parsePrivilege } from "./privileges.ts";
import { hashSecret, newClientId, newClientSecret, verifySecret } from "./secrets.ts";

/** A stored principal (never with its secret). */
export interface PrincipalRecord {
  name: string;
  clientId: string;
  createdAt: string;
}

/** What creating a principal returns: the only time the secret is available in clear. */
export interface CreatedPrincipal extends PrincipalRecord {
  clientSecret: string;
}

/** A grant row as listed. */
export interface GrantRecord {
  principal: string;
  privilege: Privilege;
  /** "catalog", a namespace "a.b" or a table "a.b.t". */
  object: string;
  grantedAt: string;
}

function validatePrincipalName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,254}$/.test(name))
    throw badInput(
      `principal name "${name}" must be 1-255 characters: letters, digits, "_", ".", "@" or "-", starting with a letter or digit`,
    );
}

const objectToPath = (object: string): string[] => (object === "" ? [] : object.split("."));

/** Reads and writes principals and grants; see the module comment. */
export class PrincipalStore {
  private constructor(private readonly dialect: SqlDialect) {}

  /** Opens the store on a catalog database, creating the auth tables when missing. */
  static async open(dialect: SqlDialect): Promise<PrincipalStore> {
    await ensureAuthSchema(dialect);
    return new PrincipalStore(dialect);
  }

  /** Creates a principal with fresh client credentials; already-exists when the name is taken. */
  async create(name: string, now = new Date()): Promise<CreatedPrincipal> {
    validatePrincipalName(name);
    const clientId = newClientId();
    const clientSecret = newClientSecret();
    const createdAt = now.toISOString();
    try {
      await this.dialect.execute(
        `INSERT INTO ${PRINCIPALS_TABLE} (name, client_id, secret_hash, created_at) VALUES (?, ?, ?, ?)`,
        [name, clientId, await hashSecret(clientSecret), createdAt],
      );
    } catch (error) {
      if (this.dialect.isUniqueViolation(error)) throw alreadyExists(`principal ${name} already exists`);
      throw error;
    }
    return { name, clientId, clientSecret, createdAt };
  }

  /** Every principal, by name. */
  async list(): Promise<PrincipalRecord[]> {
    const rows = await this.dialect.query(`SELECT name, client_id, created_at FROM ${PRINCIPALS_TABLE} ORDER BY name`);
    return rows.map((row) => ({
      name: String(row.name),
      clientId: String(row.client_id),
      createdAt: String(row.created_at),
    }));
  }

  /** The principal with `clientId`, or undefined. */
  async byClientId(clientId: string): Promise<PrincipalRecord | undefined> {
    const rows = await this.dialect.query(
      `SELECT name, client_id, created_at FROM ${PRINCIPALS_TABLE} WHERE client_id = ?`,
      [clientId],
    );
    const row = rows[0];
    return row && { name: String(row.name), clientId: String(row.client_id), createdAt: String(row.created_at) };
  }

  /** The principal whose client credentials these are, or undefined (unknown id or wrong secret). */
  async verifyCredentials(clientId: string, clientSecret: string): Promise<PrincipalRecord | undefined> {
    const rows = await this.dialect.query(
      `SELECT name, client_id, secret_hash, created_at FROM ${PRINCIPALS_TABLE} WHERE client_id = ?`,
      [clientId],
    );
    const row = rows[0];
    if (!row || !(await verifySecret(clientSecret, String(row.secret_hash)))) return undefined;
    return { name: String(row.name), clientId: String(row.client_id), createdAt: String(row.created_at) };
  }

  /** Deletes a principal and its grants; not-found when absent. */
  async delete(name: string): Promise<void> {
    await this.dialect.transaction(async (tx) => {
      const deleted = await tx.execute(`DELETE FROM ${PRINCIPALS_TABLE} WHERE name = ?`, [name]);
      if (deleted === 0) throw notFound(`principal ${name} does not exist`);
      await tx.execute(`DELETE FROM ${GRANTS_TABLE} WHERE principal_name = ?`, [name]);
    });
  }

  /** Grants `privilege` on the object path; granting what is already held changes nothing. */
  async grant(name: string, privilege: Privilege, path: string[], now = new Date()): Promise<void> {
    const object = path.join(".");
    await this.dialect.transaction(async (tx) => {
      const found = await tx.query(`SELECT 1 AS found FROM ${PRINCIPALS_TABLE} WHERE name = ?`, [name]);
      if (found.length === 0) throw notFound(`principal ${name} does not exist`);
      const held = await tx.query(
        `SELECT 1 AS found FROM ${GRANTS_TABLE} WHERE principal_name = ? AND object_path = ? AND privilege = ?`,
        [name, object, privilege],
      );
      if (held.length > 0) return;
      await tx.execute(
        `INSERT INTO ${GRANTS_TABLE} (principal_name, object_path, privilege, granted_at) VALUES (?, ?, ?, ?)`,
        [name, object, privilege, now.toISOString()],
      );
    });
  }

  /** Removes exactly that grant; not-found when the principal does not hold it. */
  async revoke(name: string, privilege: Privilege, path: string[]): Promise<void> {
    const removed = await this.dialect.execute(
      `DELETE FROM ${GRANTS_TABLE} WHERE principal_name = ? AND object_path = ? AND privilege = ?`,
      [name, path.join("."), privilege],
    );
    if (removed === 0)
      throw notFound(`principal ${name} holds no ${privilege} grant on ${formatObjectPath(path)} to revoke`);
  }

  /** The grants of one principal, for authorization. */
  async grantsOf(name: string): Promise<Grant[]> {
    const rows = await this.dialect.query(
      `SELECT object_path, privilege FROM ${GRANTS_TABLE} WHERE principal_name = ?`,
      [name],
    );
    return rows.map((row) => ({
      privilege: parsePrivilege(String(row.privilege)),
      path: objectToPath(String(row.object_path)),
    }));
  }

  /** Every grant (of one principal when named), by principal then object. */
  async listGrants(name?: string): Promise<GrantRecord[]> {
    const rows = await this.dialect.query(
      `SELECT principal_name, object_path, privilege, granted_at FROM ${GRANTS_TABLE}` +
        (name === undefined ? "" : " WHERE principal_name = ?") +
        " ORDER BY principal_name, object_path, privilege",
      name === undefined ? [] : [name],
    );
    return rows.map((row) => ({
      principal: String(row.principal_name),
      privilege: parsePrivilege(String(row.privilege)),
      object: formatObjectPath(objectToPath(String(row.object_path))),
      grantedAt: String(row.granted_at),
    }));
  }
}
