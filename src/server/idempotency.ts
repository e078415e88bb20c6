/**
 * Idempotency-Key handling of the REST catalog (the spec's `idempotency-key` header parameter):
 * a mutating request that carries a key runs at most once per (principal, key) within the key's
 * lifetime. Its finalized response (2xx, or a 4xx that a retry would get again) is stored, and a
 * retry with the same key gets that response back without the operation running again. Server
 * errors are not finalized: the key is released and a retry runs the request anew. A retry that
 * arrives while the first request is still running waits for it briefly, then gets a 503 with
 * Retry-After (which clients resend with the same key).
 *
 * 401, 403, 408 and 429 are not finalized either: they depend on the token, the grants or the
 * load of the moment, not on the request, and a retry after a token renewal or a grant must run.
 */
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { MiddlewareHandler } from "hono";
import { type ServerContext, type ServerEnv, jsonResponse } from "./context.ts";
import { RestError, errorBody } from "./errors.ts";
import type { IdempotencyStore, StoredResponse } from "./idempotency-store.ts";
import type { Logger } from "./logger.ts";

/** Options of Idempotency-Key support; the server advertises it in GET /v1/config only when given. */
export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long a key is honoured from its first use, advertised as `idempotency-key-lifetime` (default 30 min). */
  lifetimeSeconds?: number;
  /** How long a retry waits for a running request with its key before answering 503 (default 5 s). */
  inFlightWaitMs?: number;
  /** A claim unfinished for this long belongs to a server that died mid-request (default 60 s). */
  abandonedAfterMs?: number;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
}

/** The routes the OpenAPI document declares the idempotency-key parameter on (and floe implements). */
export const IDEMPOTENT_ROUTES: readonly ["POST" | "DELETE", string][] = [
  ["POST", "/namespaces"],
  ["DELETE", "/namespaces/:namespace"],
  ["POST", "/namespaces/:namespace/properties"],
  ["POST", "/namespaces/:namespace/tables"],
  ["POST", "/namespaces/:namespace/register"],
  ["POST", "/namespaces/:namespace/tables/:table"],
  ["DELETE", "/namespaces/:namespace/tables/:table"],
  ["POST", "/tables/rename"],
  ["POST", "/transactions/commit"],
];

export const DEFAULT_IDEMPOTENCY_KEY_LIFETIME_SECONDS = 30 * 60;
const DEFAULT_IN_FLIGHT_WAIT_MS = 5_000;
const DEFAULT_ABANDONED_AFTER_MS = 60_000;
/** Expired keys are deleted at most this often (by whichever request comes along). */
const PURGE_INTERVAL_MS = 60_000;
const POLL_MS = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Statuses that depend on the moment (credentials, grants, load), never replayed. */
const TRANSIENT_4XX = new Set([401, 403, 408, 419, 425, 429]);
/** Response headers replayed with a stored response. */
const REPLAYED_HEADERS = ["content-type", "etag"];

/** Whether a response is final for its key (stored and replayed). */
export const isFinalStatus = (status: number): boolean =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500 && !TRANSIENT_4XX.has(status));

/** "PT30M", "PT1H", "PT1H0M30S", "PT45S": the ISO-8601 duration GET /v1/config advertises. */
export function formatIsoDuration(seconds: number): string {
  const whole = Math.max(1, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  return `PT${h > 0 ? `${h}H` : ""}${m > 0 ? `${m}M` : ""}${s > 0 ? `${s}S` : ""}`;
}

/** The idempotency-key-lifetime value GET /v1/config advertises for these options. */
export const advertisedLifetime = (options: IdempotencyOptions): string =>
  formatIsoDuration(options.lifetimeSeconds ?? DEFAULT_IDEMPOTENCY_KEY_LIFETIME_SECONDS);

/** What a request is, for telling a retry from a different request reusing the key. */
async function requestHash(c: ServerContext): Promise<string> {
  const url = new URL(c.req.url);
  return createHash("sha256")
    .update(`${c.req.method}\n${url.pathname}${url.search}\n`)
    .update(await c.req.text())
    .digest("hex");
}

/** The key of a request; undefined when it has none, a 400 when it is not a UUID. */
function readKey(c: ServerContext): string | undefined {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return undefined;
  if (key.length !== 36 || !UUID.test(key))
    throw new RestError(
      400,
      "BadRequestException",
      `Idempotency-Key must be a UUID of 36 characters (e.g. 0190b6a4-7c3e-7a1b-9f2d-3c4b5a6d7e8f), got ${JSON.stringify(key.slice(0, 64))}`,
      "bad-input",
    );
  return key.toLowerCase();
}

const replay = (c: ServerContext, stored: StoredResponse) =>
  stored.body === ""
    ? c.body(null, stored.status as 200, stored.headers)
    : c.body(stored.body, stored.status as 200, stored.headers);

/** The middleware for the routes in IDEMPOTENT_ROUTES; see the module comment. */
export function idempotencyMiddleware(options: IdempotencyOptions, logger: Logger): MiddlewareHandler<ServerEnv> {
  const now = options.now ?? Date.now;
  const lifetimeMs = (options.lifetimeSeconds ?? DEFAULT_IDEMPOTENCY_KEY_LIFETIME_SECONDS) * 1000;
  const abandonedAfterMs = options.abandonedAfterMs ?? DEFAULT_ABANDONED_AFTER_MS;
  const inFlightWaitMs = options.inFlightWaitMs ?? DEFAULT_IN_FLIGHT_WAIT_MS;
  const { store } = options;
  let lastPurge = Number.NEGATIVE_INFINITY;

  const purgeNowAndThen = async (requestId: string) => {
    const at = now();
    if (at - lastPurge < PURGE_INTERVAL_MS) return;
    lastPurge = at;
    try {
      await store.purgeExpired(at);
    } catch (error) {
      logger.warn({ requestId, err: (error as Error)?.message }, "purging expired idempotency keys failed");
    }
  };

  return async (c, next) => {
    const key = readKey(c as ServerContext);
    if (key === undefined) return next();
    const state = c.get("state");
    const principal = state.principal?.name ?? "";
    const hash = await requestHash(c as ServerContext);
    await purgeNowAndThen(state.requestId);
    // Real time, not the injectable clock: a frozen test clock must not make the wait endless.
    const deadline = performance.now() + inFlightWaitMs;
    for (;;) {
      const claim = await store.claim({ principal, key, requestHash: hash, now: now(), lifetimeMs, abandonedAfterMs });
      if (claim.outcome !== "claimed" && claim.requestHash !== hash)
        throw new RestError(
          400,
          "BadRequestException",
          `Idempotency-Key ${key} was already used for a different request; use a new key for a new operation`,
          "bad-input",
        );
      if (claim.outcome === "finished") {
        state.idempotentReplay = true;
        return replay(c as ServerContext, claim.response);
      }
      if (claim.outcome === "claimed") {
        try {
          await next();
        } catch (error) {
          // Routes' errors become responses before this point; anything else leaves no answer to keep.
          await store.release(principal, key, claim.claimId).catch(() => {});
          throw error;
        }
        const status = c.res.status;
        try {
          if (isFinalStatus(status)) {
            const headers: Record<string, string> = {};
            for (const name of REPLAYED_HEADERS) {
              const value = c.res.headers.get(name);
              if (value !== null) headers[name] = value;
            }
            await store.finish(principal, key, claim.claimId, { status, headers, body: await c.res.clone().text() });
          } else {
            await store.release(principal, key, claim.claimId);
          }
        } catch (error) {
          // The operation's outcome stands; an unfinished claim is taken over once it looks abandoned.
          logger.warn({ requestId: state.requestId, err: (error as Error)?.message }, "storing idempotency key failed");
        }
        return;
      }
      if (performance.now() >= deadline) {
        // Answered here rather than thrown: nothing failed, and the error path would log it as one.
        const message = `a request with Idempotency-Key ${key} is still running; retry with the same key`;
        state.error = { kind: "io", message, status: 503 };
        return jsonResponse(
          c as ServerContext,
          errorBody({ message, type: "ServiceUnavailableException", code: 503 }),
          503,
          {
            "Retry-After": "1",
          },
        );
      }
      await sleep(POLL_MS);
    }
  };
}
