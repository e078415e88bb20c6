/**
 * The Authorizer of a floe server with auth on: OAuth2 client credentials exchanged for signed,
 * expiring bearer tokens at POST /v1/oauth/tokens, and grants from the catalog database checked on
 * every request. A token stops working as soon as its principal is deleted; a revoked grant stops
 * working on the next request (grants are read per request, never cached).
 */
import { FloeError, badInput } from "../../core/errors.ts";
import {
  type AuthorizationTarget,
  type Authorizer,
  OAuthRequestError,
  type OAuthTokenResponse,
  type Principal,
  type Privilege,
} from "../auth-hooks.ts";
import type { PrincipalStore } from "./principal-store.ts";
import { describeTarget, grantsAllow } from "./privileges.ts";
import { DEFAULT_TOKEN_TTL_SECONDS, issueAccessToken, verifyAccessToken } from "./tokens.ts";

const CLIENT_CREDENTIALS = "client_credentials";
const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
/** The scope Iceberg clients ask for by default. */
const DEFAULT_SCOPE = "catalog";

/** Options of a SqlAuthorizer. */
export interface SqlAuthorizerOptions {
  store: PrincipalStore;
  /** HS256 key (see resolveSigningSecret). */
  signingKey: Uint8Array;
  /** Token lifetime (default one hour). */
  tokenTtlSeconds?: number;
  /** The clock, in ms since the epoch (tests move it). */
  now?: () => number;
}

const unauthorized = (message: string) => new FloeError("unauthorized", message);

/** Client id and secret from HTTP Basic auth (RFC 6749 2.3.1: form-urlencoded, then base64). */
function basicCredentials(headerValue: string | undefined): { id: string; secret: string } | undefined {
  const match = headerValue === undefined ? null : /^Basic\s+(\S+)$/i.exec(headerValue.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, " "));
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** Authorizer backed by the principal store; see the module comment. */
export class SqlAuthorizer implements Authorizer {
  private readonly store: PrincipalStore;
  private readonly key: Uint8Array;
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(options: SqlAuthorizerOptions) {
    this.store = options.store;
    this.key = options.signingKey;
    this.ttl = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    if (!Number.isSafeInteger(this.ttl) || this.ttl <= 0)
      throw badInput(`token lifetime must be a positive number of seconds, got ${options.tokenTtlSeconds}`);
    this.now = options.now ?? Date.now;
  }

  async authenticate(headerValue?: string): Promise<Principal | null> {
    if (headerValue === undefined || headerValue.trim() === "") return null;
    const match = /^Bearer\s+(\S+)$/i.exec(headerValue.trim());
    if (!match) throw unauthorized("the Authorization header must be a Bearer token");
    const claims = await verifyAccessToken(this.key, match[1], this.now());
    const principal = await this.store.byClientId(claims.clientId);
    if (!principal) throw unauthorized("the principal of the bearer token no longer exists");
    return { name: principal.name, attributes: { clientId: principal.clientId } };
  }

  async authorize(principal: Principal | null, privilege: Privilege, object: AuthorizationTarget): Promise<void> {
    if (principal === null)
      throw unauthorized(`${privilege} on ${describeTarget(object)} needs a bearer token (POST /v1/oauth/tokens)`);
    const grants = await this.store.grantsOf(principal.name);
    if (!grantsAllow(grants, privilege, object))
      throw new FloeError("forbidden", `principal ${principal.name} lacks ${privilege} on ${describeTarget(object)}`);
  }

  async issueToken(form: URLSearchParams, headerValue?: string): Promise<OAuthTokenResponse> {
    const grantType = form.get("grant_type");
    const scope = form.get("scope") || DEFAULT_SCOPE;
    let clientId: string;
    if (grantType === CLIENT_CREDENTIALS) {
      const basic = basicCredentials(headerValue);
      const id = form.get("client_id") ?? basic?.id;
      const secret = form.get("client_secret") ?? basic?.secret;
      if (!id || !secret)
        throw new OAuthRequestError("invalid_request", "client_credentials needs client_id and client_secret");
      const principal = await this.store.verifyCredentials(id, secret);
      if (!principal) throw new OAuthRequestError("invalid_client", "unknown client id or wrong client secret");
      clientId = principal.clientId;
    } else if (grantType === TOKEN_EXCHANGE) {
      // Refresh: a still-valid floe token is exchanged for a fresh one for the same principal.
      const subject = form.get("subject_token");
      if (!subject) throw new OAuthRequestError("invalid_request", "token exchange needs subject_token");
      const claims = await verifyAccessToken(this.key, subject, this.now()).catch((error: Error) => {
        throw new OAuthRequestError("invalid_grant", `subject_token: ${error.message}`);
      });
      if (!(await this.store.byClientId(claims.clientId)))
        throw new OAuthRequestError("invalid_grant", "the principal of the subject token no longer exists");
      clientId = claims.clientId;
    } else {
      throw new OAuthRequestError(
        "unsupported_grant_type",
        `grant_type ${grantType === null ? "(missing)" : JSON.stringify(grantType)} is not supported; use ${CLIENT_CREDENTIALS}`,
      );
    }
    const accessToken = await issueAccessToken(this.key, { clientId, scope, ttlSeconds: this.ttl, nowMs: this.now() });
    return {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: this.ttl,
      issued_token_type: ACCESS_TOKEN_TYPE,
      scope,
    };
  }
}
