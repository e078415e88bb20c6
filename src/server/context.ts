/**
 * Per-request state shared by the router's middleware and routes: the request id, the caller, and
 * what the audit event will say (operation, privilege, objects, error). Routes call `authorize`
 * before they touch the catalog, so no route can forget to check and every check is audited.
 */
import type { Context } from "hono";
import type { Catalog } from "../catalog/catalog.ts";
import { stringifyJson } from "../core/json.ts";
import type { AuditSink, AuthorizationTarget, Authorizer, Principal, Privilege } from "./auth-hooks.ts";
import type { ErrorContext } from "./errors.ts";
import type { Logger } from "./logger.ts";

/** What the audit event and the access log of one request carry. */
export interface RequestState {
  requestId: string;
  principal: Principal | null;
  operation?: string;
  privilege?: Privilege;
  objects: AuthorizationTarget[];
  /** How the route interprets its errors (set by the route before it can fail). */
  errorContext: ErrorContext;
  /** Set by the error handler. */
  error?: { kind: string; message: string; status: number };
  /** The response is a stored one, replayed for a retried Idempotency-Key; nothing ran. */
  idempotentReplay?: boolean;
}

/** Hono environment of the catalog app. */
export interface ServerEnv {
  Variables: { state: RequestState };
}

/** The Hono context of a catalog request. */
export type ServerContext = Context<ServerEnv>;

/** Everything routes need. */
export interface RouteDeps {
  catalog: Catalog;
  authorizer: Authorizer;
  audit: AuditSink;
  logger: Logger;
  /** Server-wide defaults/overrides of GET /v1/config (the prefix override is added by the router). */
  configDefaults: Record<string, string>;
  configOverrides: Record<string, string>;
  prefix?: string;
  /** GET /v1/config `idempotency-key-lifetime`; absent when the server keeps no keys. */
  idempotencyKeyLifetime?: string;
}

/** Names the operation (for audit and logs) and how its errors read; call first in every route. */
export function operation(c: ServerContext, name: string, errorContext: ErrorContext = {}): void {
  const state = c.get("state");
  state.operation = name;
  state.errorContext = errorContext;
}

/** Checks that the caller holds `privilege` on every object (throws unauthorized/forbidden). */
export async function authorize(
  c: ServerContext,
  deps: RouteDeps,
  privilege: Privilege,
  ...objects: AuthorizationTarget[]
): Promise<void> {
  const state = c.get("state");
  state.privilege = privilege;
  state.objects = objects;
  for (const object of objects) await deps.authorizer.authorize(state.principal, privilege, object);
}

/**
 * Requires an authenticated caller but no privilege: a client needs the config before it knows
 * what it may touch, and a principal granted one namespace must still be able to connect.
 * Anonymous callers get whatever the authorizer says for a catalog read (allowed without auth).
 */
export async function requireAuthenticated(c: ServerContext, deps: RouteDeps): Promise<void> {
  const state = c.get("state");
  if (!state.principal) await authorize(c, deps, "read", {});
}

/** A JSON response written with the lossless serializer (int64 values stay exact). */
export function jsonResponse(c: ServerContext, body: unknown, status = 200, headers: Record<string, string> = {}) {
  return c.body(stringifyJson(body), status as 200, { "Content-Type": "application/json", ...headers });
}
