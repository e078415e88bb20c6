/**
 * Settings of the REST catalog client, from the catalog URI's query string and an options object.
 * They end up as one property map, as Iceberg's other clients keep them: server defaults first,
 * then these client properties, then server overrides (GET /v1/config).
 */
import { badInput } from "../../core/errors.ts";

/** Client property names with a meaning to the client (the Iceberg catalog property names). */
export const REST_PROPERTY = {
  /** "client_id:client_secret" (or a bare secret) for the OAuth2 client-credentials flow. */
  credential: "credential",
  /** A static bearer token. */
  token: "token",
  /** OAuth2 scope asked for (default "catalog"). */
  scope: "scope",
  /** Warehouse identifier sent to GET /v1/config. */
  warehouse: "warehouse",
  /** Path prefix of every catalog route (/v1/{prefix}/...), usually set by the server. */
  prefix: "prefix",
  /** Token endpoint; default <uri>/v1/oauth/tokens. */
  oauth2ServerUri: "oauth2-server-uri",
  /** Separator of namespace levels in paths and queries, URL-encoded (default %1F). */
  namespaceSeparator: "namespace-separator",
  sigv4Enabled: "rest.sigv4-enabled",
  signingRegion: "rest.signing-region",
  signingName: "rest.signing-name",
  accessKeyId: "rest.access-key-id",
  secretAccessKey: "rest.secret-access-key",
  sessionToken: "rest.session-token",
} as const;

/** The base URI (no query, no trailing slash) and the client properties a catalog URI carries. */
export interface ParsedRestUri {
  baseUri: string;
  properties: Record<string, string>;
}

/** Splits "https://host/path?credential=a:b&warehouse=w" into its base and its query properties. */
export function parseRestUri(uri: string): ParsedRestUri {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (error) {
    throw badInput(`REST catalog URI "${uri}" is not a valid URL`, error);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw badInput(`REST catalog URI must be http:// or https://, got ${url.protocol}`);
  const properties: Record<string, string> = {};
  for (const [key, value] of url.searchParams) properties[key] = value;
  url.search = "";
  url.hash = "";
  return { baseUri: url.toString().replace(/\/+$/, ""), properties };
}

/** Defaults, then client properties, then overrides (absent maps count as empty). */
export const mergeProperties = (
  defaults: Record<string, string> | undefined,
  client: Record<string, string>,
  overrides: Record<string, string> | undefined,
): Record<string, string> => ({ ...defaults, ...client, ...overrides });

/** The URI without credentials, for messages: the query (which may hold a credential) is dropped. */
export const describeUri = (baseUri: string): string => {
  try {
    const url = new URL(baseUri);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/+$/, "");
  } catch {
    return "(REST catalog)";
  }
};
