/**
 * One call that gives a server its Authorizer and AuditSink from the catalog database: auth on by
 * default; `noAuth` (loopback hosts only) lets every request through anonymously but still audits.
 */
import type { SqlDialect } from "../../catalog/sql-dialect.ts";
import { type AuditSink, type Authorizer, allowAllAuthorizer } from "../auth-hooks.ts";
import { checkNoAuthAllowed } from "./loopback.ts";
import { PrincipalStore } from "./principal-store.ts";
import { resolveSigningSecret } from "./signing-secret.ts";
import { SqlAuditSink } from "./sql-audit-sink.ts";
import { SqlAuthorizer } from "./sql-authorizer.ts";

/** Options of createServerAuth. */
export interface ServerAuthOptions {
  /** The catalog database (see openAuthDatabase). */
  dialect: SqlDialect;
  /** The host the server listens on; decides whether noAuth is allowed. */
  host: string;
  /** Run without authentication (loopback hosts only; bad-input otherwise). */
  noAuth?: boolean;
  /** Token signing secret; default FLOE_AUTH_SECRET, else one generated and kept in the database. */
  secret?: string;
  /** Access token lifetime in seconds (default 3600). */
  tokenTtlSeconds?: number;
  /** Called when writing an audit row fails (the request itself is not failed). */
  onAuditError?: (error: unknown) => void;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
}

/** A server's auth: what the router needs. */
export interface ServerAuth {
  authorizer: Authorizer;
  auditSink: AuditSink;
}

/** Builds the Authorizer and AuditSink; see the module comment. */
export async function createServerAuth(options: ServerAuthOptions): Promise<ServerAuth> {
  const auditSink = await SqlAuditSink.open(options.dialect, options.onAuditError);
  if (options.noAuth) {
    checkNoAuthAllowed(options.host);
    return { authorizer: allowAllAuthorizer, auditSink };
  }
  const authorizer = new SqlAuthorizer({
    store: await PrincipalStore.open(options.dialect),
    signingKey: await resolveSigningSecret(options.dialect, options.secret),
    tokenTtlSeconds: options.tokenTtlSeconds,
    now: options.now,
  });
  return { authorizer, auditSink };
}
