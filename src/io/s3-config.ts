/**
 * Settings for S3FileIO, and how to read them from the environment. Every field is optional: what
 * is left out falls back to the AWS SDK's own defaults (credential chain) or to S3FileIO's.
 */
import { badInput } from "../core/errors.ts";

/** How to reach an S3 (or S3-compatible) store. */
export interface S3Config {
  /** Endpoint URL for S3-compatible stores (MinIO, s3rver, ...); absent means AWS. */
  endpoint?: string;
  region?: string;
  /** Bucket in the path instead of the host name; defaults to true when an endpoint is set. */
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** write() of at least this many bytes uses a multipart upload (default 16 MiB). */
  multipartThresholdBytes?: number;
  /** Part size of multipart uploads (default 8 MiB; S3 requires at least 5 MiB). */
  partSizeBytes?: number;
  /** Keys per DeleteObjects request (default and S3 maximum 1000); smaller values are for tests. */
  deleteBatchSize?: number;
  /** Keys per ListObjectsV2 page (default and S3 maximum 1000); smaller values are for tests. */
  listPageSize?: number;
  /**
   * GETs through Node's HTTP client and floe's SigV4 signer instead of the AWS SDK (default true):
   * about a tenth of a millisecond of CPU per request instead of several. false sends every
   * request through the SDK (for stores or settings the light path does not cover).
   */
  lightReads?: boolean;
}

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off"]);

function parseBoolean(name: string, value: string): boolean {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw badInput(`environment variable ${name}="${value}" is not a boolean (true/false, 1/0, yes/no, on/off)`);
}

/** The first variable of `names` that is set to a non-empty value. */
function first(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/**
 * Reads S3 settings from FLOE_S3_ENDPOINT, FLOE_S3_REGION, FLOE_S3_PATH_STYLE and the standard
 * AWS_ENDPOINT_URL_S3, AWS_REGION (or AWS_DEFAULT_REGION), AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; floe's own variables win. Unset values are omitted.
 */
export function s3ConfigFromEnv(env: NodeJS.ProcessEnv = process.env): S3Config {
  const config: S3Config = {};
  const endpoint = first(env, "FLOE_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3");
  if (endpoint !== undefined) config.endpoint = endpoint;
  const region = first(env, "FLOE_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION");
  if (region !== undefined) config.region = region;
  const pathStyle = first(env, "FLOE_S3_PATH_STYLE");
  if (pathStyle !== undefined) config.forcePathStyle = parseBoolean("FLOE_S3_PATH_STYLE", pathStyle);
  const accessKeyId = first(env, "AWS_ACCESS_KEY_ID");
  if (accessKeyId !== undefined) config.accessKeyId = accessKeyId;
  const secretAccessKey = first(env, "AWS_SECRET_ACCESS_KEY");
  if (secretAccessKey !== undefined) config.secretAccessKey = secretAccessKey;
  const sessionToken = first(env, "AWS_SESSION_TOKEN");
  if (sessionToken !== undefined) config.sessionToken = sessionToken;
  return config;
}
