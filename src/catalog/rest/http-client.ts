/**
 * The HTTP side of the REST catalog client: JSON in and out through the lossless JSON module (int64
 * values stay exact both ways), the Authorization header from a TokenSource (renewed and the
 * request retried once after a 401), optional SigV4 signing, and error responses as FloeErrors.
 *
 * When the server supports idempotency keys, every mutating request carries a fresh
 * Idempotency-Key, and a request whose answer never arrived (connection failure) or that the
 * server could not take yet (503) is sent again with the same key: the server runs it at most
 * once and replays its stored answer. Without that support nothing mutating is resent, because a
 * lost answer may hide a change that did happen.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { FloeError } from "../../core/errors.ts";
import { type JsonValue, parseJson, stringifyJson } from "../../core/json.ts";
import { newIdempotencyKey } from "./idempotency-key.ts";
import { errorFromResponse } from "./rest-errors.ts";
import type { RequestSigner } from "../../io/sigv4-signer.ts";
import type { TokenSource } from "./oauth2-tokens.ts";

/** One request to the catalog. */
export interface RestRequest {
  method: "GET" | "HEAD" | "POST" | "DELETE";
  /** Path below the base URI, already encoded: "/v1/config". */
  path: string;
  query?: Record<string, string | undefined>;
  body?: JsonValue;
  headers?: Record<string, string>;
  /** Changes the catalog: carries an Idempotency-Key when the server supports them. */
  mutating?: boolean;
  /** A commit route: any 409 is a (retryable) commit conflict, whatever exception type it names. */
  commit?: boolean;
}

/** A successful response. */
export interface RestResponse {
  status: number;
  /** Parsed body; undefined for an empty body (204, HEAD). */
  body: JsonValue | undefined;
}

/** How mutating requests are keyed and resent (present only when the server advertised support). */
export interface IdempotencyPolicy {
  /** The server's `idempotency-key-lifetime`: a key is never resent after it (undefined: unknown). */
  lifetimeMs?: number;
  /** Attempts per request, the first included (default 4). */
  maxAttempts?: number;
  /** Wait before the first resend, doubled for each further one (default 100 ms). */
  baseDelayMs?: number;
}

/** Options of RestHttpClient. */
export interface RestHttpClientOptions {
  baseUri: string;
  tokens: TokenSource;
  signer?: RequestSigner;
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  idempotency?: IdempotencyPolicy;
}

/** The header the REST spec names for idempotency keys. */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

/** The longest Retry-After the client honours before resending (the server's hint, bounded). */
const MAX_RETRY_AFTER_MS = 5_000;

/** What came back: a status and the whole body, or a transport failure (thrown as an io FloeError). */
interface Exchange {
  status: number;
  ok: boolean;
  text: string;
  retryAfterMs: number | undefined;
}

/** Sends catalog requests; see the module comment. */
export class RestHttpClient {
  private readonly baseUri: string;
  readonly tokens: TokenSource;
  private readonly signer: RequestSigner | undefined;
  private readonly fetch: typeof fetch;
  private readonly headers: Record<string, string>;
  private readonly idempotency: IdempotencyPolicy | undefined;

  constructor(options: RestHttpClientOptions) {
    this.baseUri = options.baseUri;
    this.tokens = options.tokens;
    this.signer = options.signer;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.headers = options.headers ?? {};
    this.idempotency = options.idempotency;
  }

  /** Sends the request; a non-2xx answer becomes the matching FloeError. */
  async send(request: RestRequest): Promise<RestResponse> {
    const policy = request.mutating ? this.idempotency : undefined;
    const keyed =
      policy === undefined
        ? request
        : { ...request, headers: { ...request.headers, [IDEMPOTENCY_KEY_HEADER]: newIdempotencyKey() } };
    const started = Date.now();
    const what = `${request.method} ${request.path}`;
    for (let attempt = 1; ; attempt += 1) {
      let exchange: Exchange;
      try {
        exchange = await this.exchange(keyed);
      } catch (error) {
        const delay = policy && this.resendDelay(policy, attempt, started, undefined);
        if (delay === undefined) throw error;
        await sleep(delay);
        continue;
      }
      if (exchange.status === 503 && policy !== undefined) {
        const delay = this.resendDelay(policy, attempt, started, exchange.retryAfterMs);
        if (delay !== undefined) {
          await sleep(delay);
          continue;
        }
      }
      if (!exchange.ok) throw errorFromResponse(exchange.status, exchange.text, what, { commit: request.commit });
      const text = exchange.text;
      return {
        status: exchange.status,
        body: text.trim() === "" ? undefined : parseJson(text, `response to ${what}`),
      };
    }
  }

  /** Sends the request and returns whether it succeeded (2xx) or was not found (404); other statuses throw. */
  async exists(request: RestRequest): Promise<boolean> {
    try {
      await this.send(request);
      return true;
    } catch (error) {
      if (error instanceof FloeError && error.kind === "not-found") return false;
      throw error;
    }
  }

  /**
   * How long to wait before resending a keyed request after attempt `attempt` failed, or undefined
   * when it must not be resent: out of attempts, or the key would outlive the server's lifetime.
   */
  private resendDelay(
    policy: IdempotencyPolicy,
    attempt: number,
    started: number,
    retryAfterMs: number | undefined,
  ): number | undefined {
    if (attempt >= (policy.maxAttempts ?? 4)) return undefined;
    const backoff = (policy.baseDelayMs ?? 100) * 2 ** (attempt - 1);
    const delay = Math.max(backoff, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
    if (policy.lifetimeMs !== undefined && Date.now() + delay - started >= policy.lifetimeMs) return undefined;
    return delay;
  }

  /** One round trip, renewing the token and trying once more after a 401; throws only for transport failures. */
  private async exchange(request: RestRequest): Promise<Exchange> {
    let response = await this.attempt(request);
    if (response.status === 401 && (await this.tokens.renew())) {
      await response.body?.cancel();
      response = await this.attempt(request);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw transportError(request, new URL(this.baseUri + request.path), error);
    }
    const retryAfter = Number(response.headers.get("Retry-After") ?? Number.NaN);
    return {
      status: response.status,
      ok: response.ok,
      text,
      retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
    };
  }

  private async attempt(request: RestRequest): Promise<Response> {
    const url = new URL(this.baseUri + request.path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: "application/json", ...this.headers, ...request.headers };
    const body = request.body === undefined ? undefined : stringifyJson(request.body);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const authorization = await this.tokens.authorization();
    if (authorization !== undefined) headers.Authorization = authorization;
    if (this.signer) await this.signer.sign({ method: request.method, url, headers, body });
    try {
      return await this.fetch(url, { method: request.method, headers, body });
    } catch (error) {
      throw transportError(request, url, error);
    }
  }
}

function transportError(request: RestRequest, url: URL, error: unknown): FloeError {
  return new FloeError(
    "io",
    `REST catalog request ${request.method} ${url.origin}${url.pathname} failed: ${(error as Error).message}`,
    { retryable: true, cause: error },
  );
}
