/**
 * S3 GETs over Node's own HTTP client, signed by floe's SigV4 signer. A selective lookup issues
 * hundreds of small ranged GETs; through the AWS SDK each costs about 4 ms of CPU (middleware
 * stack, endpoint rules, signer promises, stream adapters), which on a small machine adds up to
 * seconds. Here a GET is a signature (one SHA-256, one HMAC) and a request on a kept-alive socket.
 *
 * Only GETs take this path; S3FileIO keeps the SDK for writes (multipart uploads), listings,
 * deletes and HEADs, which are few per query. Errors come out shaped like the SDK's (name = S3
 * error code, `$metadata.httpStatusCode`), so S3FileIO maps both to FloeErrors the same way.
 * Transient failures (5xx, throttling, dropped connections) are retried with jittered backoff, as
 * the SDK's standard retry strategy does.
 */
import http from "node:http";
import https from "node:https";
import { type AwsCredentials, EMPTY_PAYLOAD_SHA256, signRequest, uriEncode } from "./sigv4-signer.ts";

/** How to reach the store. */
export interface S3HttpReadsOptions {
  /** Custom endpoint (MinIO, s3rver, ...); absent means AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  /** Bucket in the path rather than in the host name. */
  forcePathStyle: boolean;
  /** Asked before every request (a memoizing source is expected: the SDK's provider is one). */
  credentials: () => Promise<AwsCredentials>;
  /** Sockets per host (default 64: latency-bound reads want many requests in flight). */
  maxSockets?: number;
  /** Attempts per GET, the first included (default 3, as the SDK). */
  maxAttempts?: number;
  /** Milliseconds a socket may stay silent before the attempt fails (default 60 s). */
  idleTimeoutMs?: number;
}

/** A successful GET. */
export interface S3GetResult {
  body: Uint8Array;
  /** The Content-Range header when the store honoured a Range. */
  contentRange: string | undefined;
}

/** A failed request, shaped like the SDK's service errors (see the module comment). */
export class S3HttpError extends Error {
  readonly $metadata: { httpStatusCode: number };
  /** The bucket's region when the store named it (x-amz-bucket-region): a request sent to the wrong region. */
  readonly bucketRegion: string | undefined;

  constructor(status: number, code: string, message: string, bucketRegion?: string) {
    super(message);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
    this.bucketRegion = bucketRegion;
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set(["SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError"]);
const RETRYABLE_NETWORK = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EAI_AGAIN"]);
const BACKOFF_BASE_MS = 100;
const BACKOFF_MAX_MS = 20_000;

/** Whether a failed attempt may succeed when repeated. */
function transient(error: unknown): boolean {
  if (error instanceof S3HttpError)
    return RETRYABLE_STATUS.has(error.$metadata.httpStatusCode) || RETRYABLE_CODES.has(error.name);
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return RETRYABLE_NETWORK.has(code);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `bucket` can be a host name label under TLS (no dots, DNS-safe), as S3's virtual-host addressing needs. */
const virtualHostable = (bucket: string): boolean => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket);

/** The DNS suffix of AWS S3 endpoints in `region`; undefined for partitions this module does not know. */
function awsDomain(region: string): string | undefined {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) || region.includes("-iso")) return undefined;
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/** Where requests for a bucket go: origin and path prefix. */
interface Target {
  protocol: "http:" | "https:";
  hostname: string;
  port: number | undefined;
  /** Path before the key, with a trailing slash: "/bucket/" or "/". */
  prefix: string;
  host: string;
}

/** Signed GETs of S3 objects; see the module comment. */
export class S3HttpReads {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly maxAttempts: number;
  private readonly idleTimeoutMs: number;
  private readonly targets = new Map<string, Target>();

  private constructor(
    private readonly options: S3HttpReadsOptions,
    private readonly endpoint: URL | undefined,
  ) {
    const maxSockets = options.maxSockets ?? 64;
    // Kept-alive sockets: a new TCP (or TLS) connection per GET would cost more than the GET.
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets }),
      https: new https.Agent({ keepAlive: true, maxSockets }),
    };
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /**
   * A reader for these settings, or undefined when only the SDK knows how to address the store:
   * an AWS partition other than the standard and China ones, or FIPS/dual-stack endpoints or an
   * endpoint URL chosen through AWS environment variables.
   */
  static create(options: S3HttpReadsOptions, env: NodeJS.ProcessEnv = process.env): S3HttpReads | undefined {
    if (options.endpoint !== undefined) {
      let endpoint: URL;
      try {
        endpoint = new URL(options.endpoint);
      } catch {
        return undefined;
      }
      if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:") return undefined;
      if (endpoint.search !== "" || endpoint.hash !== "") return undefined;
      return new S3HttpReads(options, endpoint);
    }
    const sdkOnly = ["AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"];
    if (sdkOnly.some((name) => (env[name] ?? "") !== "" && env[name] !== "false")) return undefined;
    if (awsDomain(options.region) === undefined) return undefined;
    return new S3HttpReads(options, undefined);
  }

  /** Whether this reader can address `key` (S3 keys with "." or ".." path segments would be rewritten by URL handling). */
  handles(key: string): boolean {
    return !key.split("/").some((segment) => segment === "." || segment === "..");
  }

  /** GETs `key` of `bucket`, or the bytes [offset, offset + length) of it (length > 0). */
  async get(bucket: string, key: string, range?: { offset: number; length: number }): Promise<S3GetResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(bucket, key, range);
      } catch (error) {
        if (attempt >= this.maxAttempts || !transient(error)) throw error;
        await sleep(Math.random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt));
      }
    }
  }

  /** Closes idle sockets (requests in flight finish). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private target(bucket: string): Target {
    let target = this.targets.get(bucket);
    if (target) return target;
    const endpoint = this.endpoint;
    if (endpoint !== undefined) {
      const base = endpoint.pathname.endsWith("/") ? endpoint.pathname : `${endpoint.pathname}/`;
      const pathStyle = this.options.forcePathStyle || !virtualHostable(bucket);
      const hostname = pathStyle ? endpoint.hostname : `${bucket}.${endpoint.hostname}`;
      target = {
        protocol: endpoint.protocol as "http:" | "https:",
        hostname,
        port: endpoint.port === "" ? undefined : Number(endpoint.port),
        prefix: pathStyle ? `${base}${uriEncode(bucket)}/` : base,
        host: endpoint.port === "" ? hostname : `${hostname}:${endpoint.port}`,
      };
    } else {
      const region = this.options.region;
      const s3Host = `s3.${region}.${awsDomain(region)}`;
      const pathStyle = this.options.forcePathStyle || !virtualHostable(bucket);
      const hostname = pathStyle ? s3Host : `${bucket}.${s3Host}`;
      target = {
        protocol: "https:",
        hostname,
        port: undefined,
        prefix: pathStyle ? `/${uriEncode(bucket)}/` : "/",
        host: hostname,
      };
    }
    this.targets.set(bucket, target);
    return target;
  }

  private async attempt(
    bucket: string,
    key: string,
    range: { offset: number; length: number } | undefined,
  ): Promise<S3GetResult> {
    const target = this.target(bucket);
    const path = target.prefix + key.split("/").map(uriEncode).join("/");
    const headers: Record<string, string> = { "x-amz-content-sha256": EMPTY_PAYLOAD_SHA256 };
    if (range !== undefined) headers.range = `bytes=${range.offset}-${range.offset + range.length - 1}`;
    const credentials = await this.options.credentials();
    // The signer reads host, path and query from a URL; `path` is already encoded, so it is kept as is.
    const url = new URL(`${target.protocol}//${target.host}${path}`);
    signRequest({ method: "GET", url, headers }, credentials, { service: "s3", region: this.options.region });
    return new Promise<S3GetResult>((resolve, reject) => {
      const request = (target.protocol === "https:" ? https : http).request(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path,
          method: "GET",
          headers,
          agent: target.protocol === "https:" ? this.agents.https : this.agents.http,
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const announced = Number(response.headers["content-length"]);
          const expected = Number.isSafeInteger(announced) && announced >= 0 ? announced : undefined;
          // A body of announced length is copied into one buffer as it arrives: a whole-file read
          // of hundreds of megabytes never holds its chunks and their concatenation at once.
          const success = status === 200 || status === 206;
          const into = success && expected !== undefined ? Buffer.allocUnsafe(expected) : undefined;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            if (into !== undefined && size + chunk.length <= into.length) into.set(chunk, size);
            else chunks.push(chunk);
            size += chunk.length;
          });
          response.on("error", reject);
          response.on("end", () => {
            if (success) {
              if (expected !== undefined && expected !== size) {
                // A connection cut mid-body (or a store that miscounts): as transient as a reset.
                reject(
                  Object.assign(new Error(`response ended after ${size} of ${expected} bytes`), { code: "ECONNRESET" }),
                );
                return;
              }
              const body = into ?? Buffer.concat(chunks, size);
              const contentRange = response.headers["content-range"];
              resolve({ body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), contentRange });
              return;
            }
            const body = Buffer.concat(chunks, size);
            reject(errorOf(status, body.toString("utf8"), response.headers));
          });
        },
      );
      request.setTimeout(this.idleTimeoutMs, () =>
        request.destroy(Object.assign(new Error(`no data for ${this.idleTimeoutMs} ms`), { code: "ETIMEDOUT" })),
      );
      request.on("error", reject);
      request.end();
    });
  }
}

/** The S3 error of a failed response: the code and message of its XML body, or the status alone. */
function errorOf(status: number, body: string, headers: http.IncomingHttpHeaders): S3HttpError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? (status === 404 ? "NotFound" : `HTTP${status}`);
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? `HTTP status ${status}`;
  const region = headers["x-amz-bucket-region"];
  return new S3HttpError(status, code, message, typeof region === "string" ? region : undefined);
}
