/**
 * GET /v1/config: catalog defaults and overrides, the endpoints this server implements, and the
 * Idempotency-Key lifetime when keys are kept.
 */
import type { Hono } from "hono";
import { type RouteDeps, type ServerEnv, requireAuthenticated, jsonResponse, operation } from "../context.ts";

/** Every route this server implements, in the spec's "<verb> <path>" form (the `endpoints` config field). */
export const SUPPORTED_ENDPOINTS = [
  "GET /v1/{prefix}/namespaces",
  "POST /v1/{prefix}/namespaces",
  "GET /v1/{prefix}/namespaces/{namespace}",
  "HEAD /v1/{prefix}/namespaces/{namespace}",
  "DELETE /v1/{prefix}/namespaces/{namespace}",
  "POST /v1/{prefix}/namespaces/{namespace}/properties",
  "GET /v1/{prefix}/namespaces/{namespace}/tables",
  "POST /v1/{prefix}/namespaces/{namespace}/tables",
  "GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "DELETE /v1/{prefix}/namespaces/{namespace}/tables/{table}",
  "POST /v1/{prefix}/namespaces/{namespace}/register",
  "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/metrics",
  "POST /v1/{prefix}/tables/rename",
  "POST /v1/{prefix}/transactions/commit",
];

/** Registers GET /v1/config on the root app. */
export function registerConfigRoute(app: Hono<ServerEnv>, deps: RouteDeps): void {
  app.get("/v1/config", async (c) => {
    operation(c, "getConfig");
    await requireAuthenticated(c, deps);
    const overrides: Record<string, string> = { ...deps.configOverrides };
    if (deps.prefix !== undefined) overrides.prefix = deps.prefix;
    return jsonResponse(c, {
      defaults: { ...deps.configDefaults },
      overrides,
      endpoints: SUPPORTED_ENDPOINTS,
      // Present only when retried mutations are really deduplicated: clients rely on it.
      ...(deps.idempotencyKeyLifetime === undefined ? {} : { "idempotency-key-lifetime": deps.idempotencyKeyLifetime }),
    });
  });
}
