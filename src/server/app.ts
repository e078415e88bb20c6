/**
 * The REST catalog as a Hono app: request ids, access logs and audit events around every request,
 * a body size limit, authentication, the catalog routes under /v1 (and /v1/{prefix} when a prefix
 * is configured), health probes, and one error path that turns anything thrown into the spec's
 * ErrorModel JSON: malformed input is a 4xx, an unknown route 404, a wrong method 405, and no
 * response ever carries a stack trace.
 */
import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { FloeError } from "../core/errors.ts";
import { stringifyJson } from "../core/json.ts";
import type { Catalog } from "../catalog/catalog.ts";
import {
  type AuditEvent,
  type AuditSink,
  type Authorizer,
  OAuthRequestError,
  allowAllAuthorizer,
  noAuditSink,
} from "./auth-hooks.ts";
import { type RouteDeps, type ServerContext, type ServerEnv, jsonResponse } from "./context.ts";
import { RestError, errorBody, toErrorModel } from "./errors.ts";
import {
  IDEMPOTENT_ROUTES,
  type IdempotencyOptions,
  advertisedLifetime,
  idempotencyMiddleware,
} from "./idempotency.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { registerConfigRoute } from "./routes/config.ts";
import { registerNamespaceRoutes } from "./routes/namespaces.ts";
import { registerTableRoutes } from "./routes/tables.ts";
import { registerTransactionRoutes } from "./routes/transactions.ts";

/** Default request body limit: table commits carry schemas and snapshots, never data. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Options of the catalog app. */
export interface CatalogAppOptions {
  catalog: Catalog;
  /** Catalog routes are also served under /v1/{prefix}/...; GET /v1/config advertises it. */
  prefix?: string;
  authorizer?: Authorizer;
  audit?: AuditSink;
  logger?: Logger;
  maxBodyBytes?: number;
  /** GET /v1/config `defaults` and `overrides`. */
  configDefaults?: Record<string, string>;
  configOverrides?: Record<string, string>;
  /** Idempotency-Key support (stored responses replayed for retries); off when absent. */
  idempotency?: IdempotencyOptions;
}

/** Paths of the catalog routes (relative to /v1 or /v1/{prefix}) and the methods each accepts. */
const CATALOG_PATHS: Record<string, string[]> = {
  "/namespaces": ["GET", "POST"],
  "/namespaces/:namespace": ["GET", "HEAD", "DELETE"],
  "/namespaces/:namespace/properties": ["POST"],
  "/namespaces/:namespace/tables": ["GET", "POST"],
  "/namespaces/:namespace/register": ["POST"],
  "/namespaces/:namespace/tables/:table": ["GET", "HEAD", "POST", "DELETE"],
  "/namespaces/:namespace/tables/:table/metrics": ["POST"],
  "/tables/rename": ["POST"],
  "/transactions/commit": ["POST"],
};

/** Paths that answer without authentication. */
const PUBLIC_PATHS = new Set(["/healthz", "/readyz", "/v1/oauth/tokens"]);

/** Prefixes that would shadow a fixed route. */
const RESERVED_PREFIXES = new Set(["config", "oauth", "namespaces", "tables", "transactions"]);

/** Throws unless the prefix is one URL path segment that does not collide with a route. */
export function validatePrefix(prefix: string): void {
  if (!/^[A-Za-z0-9._~-]+$/.test(prefix) || prefix === "." || prefix === "..")
    throw new FloeError(
      "bad-input",
      `server prefix "${prefix}" must be one path segment of letters, digits, ".", "_", "~" or "-"`,
    );
  if (RESERVED_PREFIXES.has(prefix))
    throw new FloeError("bad-input", `server prefix "${prefix}" collides with a route name`);
}

const methodNotAllowed = (methods: string[]) => (c: ServerContext) => {
  throw new RestError(
    405,
    "MethodNotAllowedException",
    `method ${c.req.method} is not allowed on ${c.req.path}; allowed: ${methods.join(", ")}`,
    "bad-input",
  );
};

/** The catalog routes, to be mounted at /v1 and /v1/{prefix}. */
function catalogRoutes(deps: RouteDeps, idempotency: IdempotencyOptions | undefined): Hono<ServerEnv> {
  const api = new Hono<ServerEnv>();
  // Registered first, so it wraps the route: a replay answers without the route running.
  if (idempotency !== undefined) {
    const keys = idempotencyMiddleware(idempotency, deps.logger);
    for (const [method, path] of IDEMPOTENT_ROUTES) api.on(method, path, keys);
  }
  registerNamespaceRoutes(api, deps);
  registerTableRoutes(api, deps);
  registerTransactionRoutes(api, deps);
  for (const [path, methods] of Object.entries(CATALOG_PATHS)) api.all(path, methodNotAllowed(methods));
  return api;
}

/** Builds the app; `fetch` it directly in tests or serve it with startServer. */
export function createCatalogApp(options: CatalogAppOptions): Hono<ServerEnv> {
  if (options.prefix !== undefined) validatePrefix(options.prefix);
  const deps: RouteDeps = {
    catalog: options.catalog,
    authorizer: options.authorizer ?? allowAllAuthorizer,
    audit: options.audit ?? noAuditSink,
    logger: options.logger ?? silentLogger,
    configDefaults: options.configDefaults ?? {},
    configOverrides: options.configOverrides ?? {},
    prefix: options.prefix,
    idempotencyKeyLifetime: options.idempotency === undefined ? undefined : advertisedLifetime(options.idempotency),
  };
  const { logger } = deps;
  const app = new Hono<ServerEnv>();

  const errorResponse = (c: ServerContext, error: unknown) => {
    const state = c.get("state");
    const converted =
      error instanceof HTTPException
        ? toErrorModel(
            new RestError(
              error.status,
              error.status === 413 ? "PayloadTooLargeException" : "BadRequestException",
              error.message || "request rejected",
            ),
          )
        : toErrorModel(error, state?.errorContext);
    const { status, model, kind } = converted;
    if (state) state.error = { kind, message: model.message, status };
    if (status >= 500) {
      logger.error(
        {
          requestId: state?.requestId,
          err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
        },
        "request failed",
      );
    }
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    // The rest of an oversized body is never read: the connection cannot carry another request.
    if (status === 413) headers.Connection = "close";
    return c.body(stringifyJson(errorBody(model)), status as 500, headers);
  };

  app.use("*", async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("X-Request-Id");
    const requestId = incoming !== undefined && /^[A-Za-z0-9._-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    c.set("state", { requestId, principal: null, objects: [], errorContext: {} });
    await next();
    c.header("X-Request-Id", requestId);
    const state = c.get("state");
    const status = c.res.status;
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        principal: state.principal?.name ?? null,
        operation: state.operation,
        ...(state.idempotentReplay ? { idempotentReplay: true } : {}),
      },
      "request",
    );
    const denied = state.error?.kind === "unauthorized" || state.error?.kind === "forbidden";
    if (state.operation !== undefined || denied) {
      const event: AuditEvent = {
        time: new Date().toISOString(),
        requestId,
        principal: state.principal?.name ?? null,
        operation: state.operation ?? "authenticate",
        objects: state.objects,
        outcome: status < 400 ? "allowed" : denied ? "denied" : "failed",
        status,
      };
      if (state.privilege !== undefined) event.privilege = state.privilege;
      if (state.error !== undefined)
        event.error = {
          kind: state.error.kind as NonNullable<AuditEvent["error"]>["kind"],
          message: state.error.message,
        };
      try {
        await deps.audit.record(event);
      } catch (error) {
        logger.warn({ requestId, err: (error as Error)?.message }, "audit sink failed");
      }
    }
  });

  app.use(
    "*",
    bodyLimit({
      maxSize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: (c) =>
        errorResponse(
          c as ServerContext,
          new RestError(
            413,
            "PayloadTooLargeException",
            `request body exceeds ${options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes`,
            "bad-input",
          ),
        ),
    }),
  );

  app.use("*", async (c, next) => {
    if (!PUBLIC_PATHS.has(c.req.path))
      c.get("state").principal = await deps.authorizer.authenticate(c.req.header("Authorization"));
    await next();
  });

  app.get("/healthz", (c) => jsonResponse(c, { status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      await deps.catalog.listNamespaces();
      return jsonResponse(c, { status: "ready" });
    } catch (error) {
      logger.warn({ requestId: c.get("state").requestId, err: (error as Error)?.message }, "catalog not ready");
      throw new RestError(503, "ServiceUnavailableException", "catalog is not reachable", "io");
    }
  });

  const { issueToken } = deps.authorizer;
  if (issueToken !== undefined) {
    app.post("/v1/oauth/tokens", async (c) => {
      const form = new URLSearchParams(await c.req.text());
      try {
        return jsonResponse(c, await issueToken.call(deps.authorizer, form, c.req.header("Authorization")));
      } catch (error) {
        const [status, code] =
          error instanceof OAuthRequestError
            ? [error.status, error.code]
            : error instanceof FloeError && error.kind === "unauthorized"
              ? [401, "invalid_client"]
              : error instanceof FloeError && (error.kind === "bad-input" || error.kind === "validation")
                ? [400, "invalid_request"]
                : [undefined, undefined];
        if (status === undefined) throw error;
        const message = (error as Error).message;
        c.get("state").error = { kind: status === 401 ? "unauthorized" : "bad-input", message, status };
        return jsonResponse(c, { error: code, error_description: message }, status);
      }
    });
  }

  registerConfigRoute(app, deps);
  app.all("/v1/config", methodNotAllowed(["GET", "HEAD"]));
  const api = catalogRoutes(deps, options.idempotency);
  app.route("/v1", api);
  if (options.prefix !== undefined) app.route(`/v1/${options.prefix}`, api);

  app.notFound((c) =>
    errorResponse(
      c as ServerContext,
      new RestError(404, "NotFoundException", `no route for ${c.req.method} ${c.req.path}`),
    ),
  );
  app.onError((error, c) => errorResponse(c as ServerContext, error));
  return app;
}
