/**
 * The seam between the REST router and authentication/authorization. The router knows nothing about
 * tokens or grants: for every request it asks the Authorizer who is calling (from the raw
 * Authorization header) and whether that principal holds a privilege on the object the route acts
 * on, and it reports what happened to an AuditSink. The defaults allow everything and record
 * nothing, so a server without auth configured behaves like a plain catalog.
 *
 * Which privilege each route needs (object = what the route acts on):
 * - authenticated, no privilege: GET /v1/config (clients need it before they know what they may touch)
 * - read:  list namespaces ({ namespace: parent } or {} at the top level),
 *          load / HEAD namespace, list tables ({ namespace }), load / HEAD table
 *          ({ namespace, table }), POST .../metrics ({ namespace, table })
 * - write: create table / register ({ namespace, table: new name }), commit ({ namespace, table }),
 *          drop table, rename (write on the source table AND on { namespace: destination namespace,
 *          table: destination name }), POST /v1/transactions/commit (write on every table in it)
 * - admin: create namespace ({ namespace: the new namespace }), update namespace properties,
 *          drop namespace ({ namespace })
 */
import type { FloeError } from "../core/errors.ts";

/** A privilege a route needs. An authorizer decides whether admin implies write and write implies read. */
export type Privilege = "read" | "write" | "admin";

/** Who is calling, as the authorizer established it. */
export interface Principal {
  /** Stable name of the caller (client id, user name); written to logs and audit events. */
  readonly name: string;
  /** Anything else the authorizer wants to carry from authenticate to authorize (roles, scopes). */
  readonly attributes?: Readonly<Record<string, string | string[]>>;
}

/** The object a request acts on: the catalog itself ({}), a namespace, or a table in a namespace. */
export interface AuthorizationTarget {
  namespace?: string[];
  table?: string;
}

/** The OAuth2 token response (RFC 6749 section 5.1) an authorizer's token endpoint returns. */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  issued_token_type?: string;
  refresh_token?: string;
  scope?: string;
}

/** Authentication and authorization, implemented in src/server/auth/. */
export interface Authorizer {
  /**
   * Resolves the Authorization header value (e.g. "Bearer <token>"; undefined when absent) to a
   * principal. Returns null for an anonymous request; throws a FloeError of kind "unauthorized"
   * when credentials are present but invalid or expired.
   */
  authenticate(headerValue?: string): Promise<Principal | null>;
  /**
   * Returns when `principal` holds `privilege` on `object`. Throws a FloeError of kind
   * "unauthorized" (401) when the principal is null and the request needs one, "forbidden" (403)
   * when the principal lacks the privilege.
   */
  authorize(principal: Principal | null, privilege: Privilege, object: AuthorizationTarget): Promise<void>;
  /**
   * Optional OAuth2 token endpoint (POST /v1/oauth/tokens, form-encoded body, e.g. grant_type=
   * client_credentials, client_id, client_secret, scope). The router mounts the route only when this
   * exists. Throw OAuthRequestError for a precise OAuth error code; otherwise a FloeError
   * "unauthorized" answers 401 invalid_client and "bad-input" 400 invalid_request, as the OAuth error
   * JSON ({ error, error_description }).
   */
  issueToken?(form: URLSearchParams, headerValue?: string): Promise<OAuthTokenResponse>;
}

/** The OAuth2 error codes of RFC 6749 section 5.2. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope";

/** A token request refused with an exact OAuth error code (400, or 401 for invalid_client). */
export class OAuthRequestError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OAuthRequestError";
  }

  /** 401 for client authentication failures, 400 for everything else (RFC 6749 5.2). */
  get status(): 400 | 401 {
    return this.code === "invalid_client" ? 401 : 400;
  }
}

/** One audited request. Never carries credentials or request bodies. */
export interface AuditEvent {
  /** ISO-8601 time the request finished. */
  time: string;
  /** Per-request id, also in the server's logs and the response's X-Request-Id header. */
  requestId: string;
  /** Principal name, or null for anonymous or unauthenticated requests. */
  principal: string | null;
  /** The catalog operation, e.g. "createTable", "commitTable", "dropNamespace", "commitTransaction". */
  operation: string;
  /** The privilege the operation needed (absent when the request failed before authorization). */
  privilege?: Privilege;
  /** The objects acted on (several for rename and multi-table transactions). */
  objects: AuthorizationTarget[];
  /** allowed: completed; denied: authentication/authorization refused; failed: any other error. */
  outcome: "allowed" | "denied" | "failed";
  /** The HTTP status sent. */
  status: number;
  /** The error kind and message when the outcome is not "allowed". */
  error?: { kind: FloeError["kind"] | "internal"; message: string };
}

/** Where audit events go (a file, a table, a log). record must not throw; the router ignores failures. */
export interface AuditSink {
  record(event: AuditEvent): void | Promise<void>;
}

/** The default Authorizer: everybody is anonymous and allowed everything. */
export const allowAllAuthorizer: Authorizer = {
  authenticate: async () => null,
  authorize: async () => {},
};

/** The default AuditSink: records nothing. */
export const noAuditSink: AuditSink = {
  record: () => {},
};
