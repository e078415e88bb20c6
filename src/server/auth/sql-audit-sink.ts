/**
 * The audit log in the catalog database (floe_audit_log): every mutating call and every denial,
 * with principal, operation, objects, time, outcome and request id. Reads that succeed or fail for
 * reasons other than a denial are not kept. Rows never hold credentials: the router passes none,
 * and anything in an error message that looks like a token is redacted before it is stored.
 */
import { randomUUID } from "node:crypto";
import type { SqlDialect } from "../../catalog/sql-dialect.ts";
import type { AuditEvent, AuditSink, AuthorizationTarget, Privilege } from "../auth-hooks.ts";
import { AUDIT_TABLE, ensureAuthSchema } from "./auth-schema.ts";
import { formatObjectPath, targetPath } from "./privileges.ts";

/** Operations that change the catalog even when the router did not name a privilege. */
const MUTATING_OPERATIONS = new Set([
  "createNamespace",
  "updateNamespaceProperties",
  "updateProperties",
  "dropNamespace",
  "createTable",
  "registerTable",
  "commitTable",
  "updateTable",
  "dropTable",
  "renameTable",
  "commitTransaction",
]);

/** Whether an event belongs in the audit log. */
export const isAudited = (event: AuditEvent): boolean =>
  event.outcome === "denied" ||
  event.privilege === "write" ||
  event.privilege === "admin" ||
  MUTATING_OPERATIONS.has(event.operation);

const JWT_LIKE = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER_OR_BASIC = /\b(Bearer|Basic)\s+\S+/gi;

/** Removes anything that looks like a credential from free text. */
export const redactCredentials = (text: string): string =>
  text.replace(JWT_LIKE, "[redacted]").replace(BEARER_OR_BASIC, "$1 [redacted]");

/** One stored audit row, as `floe audit` lists it. */
export interface AuditRecord {
  time: string;
  requestId: string | null;
  principal: string | null;
  operation: string;
  privilege: Privilege | null;
  /** Objects as "catalog", "a.b" or "a.b.t", comma-separated. */
  objects: string;
  outcome: AuditEvent["outcome"];
  status: number;
  error: string | null;
}

/** Query of the audit log. */
export interface AuditQuery {
  /** Only events at or after this ISO-8601 time. */
  since?: string;
  principal?: string;
  /** Most recent `limit` events (default 100). */
  limit?: number;
}

const objectsText = (objects: AuthorizationTarget[]) =>
  objects.map((object) => formatObjectPath(targetPath(object))).join(",");

/** AuditSink writing to floe_audit_log; failures are reported to `onError` and never thrown. */
export class SqlAuditSink implements AuditSink {
  private constructor(
    private readonly dialect: SqlDialect,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Opens the sink, creating the auth tables when missing. */
  static async open(dialect: SqlDialect, onError: (error: unknown) => void = () => {}): Promise<SqlAuditSink> {
    await ensureAuthSchema(dialect);
    return new SqlAuditSink(dialect, onError);
  }

  async record(event: AuditEvent): Promise<void> {
    if (!isAudited(event)) return;
    try {
      await this.dialect.execute(
        `INSERT INTO ${AUDIT_TABLE} (event_id, event_time, request_id, principal, operation, privilege, objects, ` +
          "outcome, status, error_kind, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
          randomUUID(),
          event.time,
          event.requestId,
          event.principal,
          event.operation,
          event.privilege ?? null,
          objectsText(event.objects).slice(0, 4000),
          event.outcome,
          String(event.status),
          event.error?.kind ?? null,
          event.error === undefined ? null : redactCredentials(event.error.message).slice(0, 4000),
        ],
      );
    } catch (error) {
      this.onError(error);
    }
  }
}

/** Reads the audit log, newest last, filtered as `query` says. */
export async function queryAuditLog(dialect: SqlDialect, query: AuditQuery = {}): Promise<AuditRecord[]> {
  await ensureAuthSchema(dialect);
  const where: string[] = [];
  const params: string[] = [];
  if (query.since !== undefined) {
    where.push("event_time >= ?");
    params.push(query.since);
  }
  if (query.principal !== undefined) {
    where.push("principal = ?");
    params.push(query.principal);
  }
  const limit = query.limit ?? 100;
  const rows = await dialect.query(
    `SELECT event_time, request_id, principal, operation, privilege, objects, outcome, status, error_kind, ` +
      `error_message FROM ${AUDIT_TABLE}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ` +
      `ORDER BY event_time DESC, event_id DESC LIMIT ${Math.max(0, Math.floor(limit))}`,
    params,
  );
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return rows.reverse().map((row) => ({
    time: String(row.event_time),
    requestId: text(row.request_id),
    principal: text(row.principal),
    operation: String(row.operation),
    privilege: text(row.privilege) as Privilege | null,
    objects: String(row.objects),
    outcome: String(row.outcome) as AuditEvent["outcome"],
    status: Number(row.status),
    error: row.error_kind === null ? null : `${String(row.error_kind)}: ${text(row.error_message) ?? ""}`,
  }));
}
