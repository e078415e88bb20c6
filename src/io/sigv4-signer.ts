/**
 * AWS Signature Version 4 (header form), written against AWS's documented algorithm with
 * node:crypto alone. Two callers share it: S3 GETs (s3-http-reads.ts), where a generic SDK
 * signer's promise chain and per-request objects cost more than the request itself, and the REST
 * catalog client (`rest.sigv4-enabled`). Signing is synchronous and the derived signing key is
 * cached per day, region and service, so a signature is one SHA-256 and one HMAC of a few hundred
 * bytes.
 */
import { createHash, createHmac } from "node:crypto";

/** AWS credentials as every credential source yields them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request about to be sent, as the signer needs it. */
export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** Signs requests in place (adds Authorization, X-Amz-Date, X-Amz-Content-Sha256, ...). */
export interface RequestSigner {
  sign(request: RequestToSign): Promise<void>;
}

/** Where a signature is valid. */
export interface SigV4Scope {
  /** Signing name of the service: "s3", "execute-api", "glue", ... */
  service: string;
  region: string;
  /**
   * Whether the canonical path is the request path URI-encoded once more. Every AWS service but
   * S3 wants this; S3 signs the path exactly as sent. Default: true unless the service is "s3".
   */
  doubleEncodePath?: boolean;
}

/** SHA-256 of the empty string: the payload hash of a request without a body. */
export const EMPTY_PAYLOAD_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const CONTENT_SHA256 = "x-amz-content-sha256";

/** Headers proxies and clients rewrite or add; signing them would break the signature (as AWS's own SDKs skip them). */
const UNSIGNABLE = new Set([
  "authorization",
  "cache-control",
  "connection",
  "expect",
  "from",
  "keep-alive",
  "max-forwards",
  "pragma",
  "referer",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "user-agent",
  "x-amzn-trace-id",
]);

/** RFC 3986 percent-encoding, as SigV4 requires: everything but A-Z a-z 0-9 - _ . ~ */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(pathname: string, doubleEncode: boolean): string {
  if (!doubleEncode) return pathname === "" ? "/" : pathname;
  // Non-S3 services sign the normalised path ("." and ".." resolved, empty segments dropped),
  // each segment encoded again on top of its wire encoding.
  const segments: string[] = [];
  for (const segment of pathname.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = segments.length > 0 && pathname.endsWith("/") ? "/" : "";
  return `/${segments.join("/")}${trailing}`;
}

function canonicalQuery(params: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of params) pairs.push([uriEncode(key), uriEncode(value)]);
  // By encoded key, then value, in code-point order (encoded text is ASCII).
  pairs.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return pairs.map(([key, value]) => `${key}=${value}`).join("&");
}

const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 32;

/** The derived signing key of a secret for one day, region and service (cached: it changes once a day). */
function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const cacheKey = `${day}\n${region}\n${service}\n${secret}`;
  let key = signingKeys.get(cacheKey);
  if (key === undefined) {
    key = createHmac("sha256", `AWS4${secret}`).update(day).digest();
    for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** "20250101T120000Z" */
const amzDate = (now: Date): string => now.toISOString().replace(/[-:]|\.\d{3}/g, "");

/**
 * Signs `request` in place with `credentials` for `scope` at `now`: sets X-Amz-Date,
 * X-Amz-Content-Sha256 (unless given), X-Amz-Security-Token (with a session token) and
 * Authorization. The Host header is signed as `request.url.host`, which is what HTTP clients send;
 * it is not added to `request.headers`.
 */
export function signRequest(
  request: RequestToSign,
  credentials: AwsCredentials,
  scope: SigV4Scope,
  now: Date = new Date(),
): void {
  const headers = request.headers;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    // Left-over signature headers (a retried request) must not be signed or sent twice.
    if (lower === "authorization" || lower === "x-amz-date" || lower === "x-amz-security-token") delete headers[name];
  }
  const date = amzDate(now);
  const day = date.slice(0, 8);
  headers["x-amz-date"] = date;
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  let payloadHash = Object.entries(headers).find(([name]) => name.toLowerCase() === CONTENT_SHA256)?.[1];
  if (payloadHash === undefined) {
    payloadHash =
      request.body === undefined || request.body.length === 0
        ? EMPTY_PAYLOAD_SHA256
        : createHash("sha256").update(request.body).digest("hex");
    headers[CONTENT_SHA256] = payloadHash;
  }

  const canonical = new Map<string, string>();
  canonical.set("host", request.url.host);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (UNSIGNABLE.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-")) continue;
    canonical.set(lower, value.replace(/\s+/g, " ").trim());
  }
  const names = [...canonical.keys()].sort();
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.url.pathname, scope.doubleEncodePath ?? scope.service !== "s3"),
    canonicalQuery(request.url.searchParams),
    names.map((name) => `${name}:${canonical.get(name)}\n`).join(""),
    signedHeaders,
    payloadHash,
  ].join("\n");
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    date,
    credentialScope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const signature = createHmac("sha256", signingKey(credentials.secretAccessKey, day, scope.region, scope.service))
    .update(stringToSign)
    .digest("hex");
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** A RequestSigner with fixed credentials (or a source of them, asked before every signature) and scope. */
export function sigV4Signer(
  credentials: AwsCredentials | (() => Promise<AwsCredentials>),
  scope: SigV4Scope,
): RequestSigner {
  return {
    async sign(request) {
      signRequest(request, typeof credentials === "function" ? await credentials() : credentials, scope);
    },
  };
}
