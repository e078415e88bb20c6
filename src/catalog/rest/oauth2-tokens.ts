/**
 * Bearer tokens for the REST client: a static token, or one fetched with the OAuth2
 * client-credentials flow and fetched again shortly before it expires (and once after a 401,
 * since a server may revoke a token early). Tokens and secrets never enter error messages.
 */
import { FloeError, badInput, ioError } from "../../core/errors.ts";
import { type JsonValue, parseJson } from "../../core/json.ts";
import { errorFromResponse } from "./rest-errors.ts";

/** Supplies the Authorization header of catalog requests. */
export interface TokenSource {
  /** The current Authorization header value, or undefined for anonymous requests. */
  authorization(): Promise<string | undefined>;
  /** Called after a 401: fetches a fresh token and returns true when retrying could help. */
  renew(): Promise<boolean>;
}

/** No credentials: anonymous requests. */
export const anonymous: TokenSource = {
  authorization: async () => undefined,
  renew: async () => false,
};

/** A fixed bearer token. */
export const staticToken = (token: string): TokenSource => ({
  authorization: async () => `Bearer ${token}`,
  renew: async () => false,
});

/** Options of the client-credentials token source. */
export interface ClientCredentialsOptions {
  /** "client_id:client_secret", or a bare secret. */
  credential: string;
  /** The token endpoint URL. */
  tokenEndpoint: string;
  /** Scope asked for (default "catalog"). */
  scope?: string;
  fetch?: typeof fetch;
  /** Clock in ms since the epoch (tests). */
  now?: () => number;
}

/** Seconds before expiry at which a token is renewed: a fifth of its life, at most a minute. */
const renewMargin = (lifetimeSeconds: number) => Math.min(60, lifetimeSeconds / 5);

/** The expiry (ms) of a JWT, when the token is one and says so. */
function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (token.split(".").length !== 3 || !payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: unknown };
    return typeof claims.exp === "number" ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** OAuth2 client credentials: fetches a token on first use and renews it before it expires. */
export class ClientCredentialsTokenSource implements TokenSource {
  private readonly clientId: string | undefined;
  private readonly clientSecret: string;
  private readonly tokenEndpoint: string;
  private readonly scope: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private token: string | undefined;
  /** When to fetch a new token (ms since the epoch); Infinity when the token's life is unknown. */
  private renewAt = 0;
  private inFlight: Promise<string> | undefined;
  /** How many tokens have been fetched (tests and diagnostics). */
  fetchCount = 0;

  constructor(options: ClientCredentialsOptions) {
    const colon = options.credential.indexOf(":");
    this.clientId = colon < 0 ? undefined : options.credential.slice(0, colon);
    this.clientSecret = colon < 0 ? options.credential : options.credential.slice(colon + 1);
    if (!this.clientSecret) throw badInput("REST catalog credential must be client_id:client_secret");
    this.tokenEndpoint = options.tokenEndpoint;
    this.scope = options.scope ?? "catalog";
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async authorization(): Promise<string | undefined> {
    if (this.token === undefined || this.now() >= this.renewAt) await this.refresh();
    return `Bearer ${this.token}`;
  }

  async renew(): Promise<boolean> {
    await this.refresh();
    return true;
  }

  /** Fetches a new token; concurrent callers share one request. */
  private refresh(): Promise<string> {
    this.inFlight ??= this.fetchToken().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetchToken(): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (this.clientId !== undefined) form.set("client_id", this.clientId);
    form.set("client_secret", this.clientSecret);
    form.set("scope", this.scope);
    const started = this.now();
    let response: Response;
    try {
      response = await this.fetch(this.tokenEndpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        body: form.toString(),
      });
    } catch (error) {
      throw new FloeError(
        "io",
        `cannot reach the OAuth2 token endpoint ${this.tokenEndpoint}: ${(error as Error).message}`,
        {
          retryable: true,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const error = errorFromResponse(response.status, text, `POST ${this.tokenEndpoint}`);
      // A rejected client is an authentication failure whatever status the endpoint chose (400 or 401).
      const kind = /invalid_client|unauthorized_client|invalid_grant/.test(text) ? "unauthorized" : error.kind;
      throw new FloeError(kind, `OAuth2 token request to ${this.tokenEndpoint} failed: ${error.message}`, {
        retryable: error.retryable,
      });
    }
    let body: JsonValue;
    try {
      body = parseJson(text, "OAuth2 token response");
    } catch (error) {
      throw ioError(`OAuth2 token endpoint ${this.tokenEndpoint} answered with malformed JSON`, error);
    }
    const fields = body !== null && typeof body === "object" && !Array.isArray(body) ? body : {};
    const token = fields.access_token;
    if (typeof token !== "string" || token === "")
      throw ioError(`OAuth2 token endpoint ${this.tokenEndpoint} answered without an access_token`);
    const expiresIn = typeof fields.expires_in === "number" ? fields.expires_in : undefined;
    const expiresAt = expiresIn !== undefined ? started + expiresIn * 1000 : jwtExpiry(token);
    this.renewAt =
      expiresAt === undefined ? Number.POSITIVE_INFINITY : expiresAt - renewMargin((expiresAt - started) / 1000) * 1000;
    this.token = token;
    this.fetchCount += 1;
    return token;
  }
}
