/**
 * FileIO over S3 and S3-compatible stores ("s3://bucket/key"; s3a:// and s3n:// are the same).
 *
 * S3 makes an object visible only once its PUT or multipart upload completes, so readers never see
 * a partial file. "Create only if absent" (overwrite false) is a HeadObject check followed by a
 * write carrying `If-None-Match: *`: stores that honour the header (AWS S3 since 2024, recent
 * MinIO) make the create atomic, stores that ignore it (s3rver, which floe's tests use) leave a
 * small race between the check and the write. Nothing in floe relies on the header for
 * correctness: table commits are serialised by the catalog, and every file floe writes has a
 * unique name, so the check only guards against mistakes.
 *
 * GETs (whole and ranged) go through s3-http-reads.ts, Node's HTTP client with floe's SigV4
 * signer, unless `lightReads` is false: a lookup issues hundreds of them and the SDK's per-request
 * CPU cost would dominate it. Everything else (uploads, listings, deletes, HEADs) uses the SDK,
 * which is good at multipart uploads and pagination and whose cost is negligible for a few calls.
 * A bucket that answers from another region than the configured one (S3 names it) has its GETs
 * sent through the SDK from then on, which follows such redirects.
 */
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import { FloeError, alreadyExists, badInput, isFloeError, ioError, notFound } from "../core/errors.ts";
import { checkFileLocation, checkRange, sliceRange } from "./arguments.ts";
import type { FileIO, FileInfo, WriteOptions } from "./file-io.ts";
import { locationHead, parseLocation } from "./locations.ts";
import type { S3Config } from "./s3-config.ts";
import { S3HttpError, S3HttpReads } from "./s3-http-reads.ts";
import type { AwsCredentials } from "./sigv4-signer.ts";

const MIB = 1024 * 1024;
const DEFAULT_MULTIPART_THRESHOLD = 16 * MIB;
const DEFAULT_PART_SIZE = 8 * MIB;
/** S3 rejects parts below 5 MiB (except the last one). */
const MIN_PART_SIZE = 5 * MIB;
/** S3's own ceiling for DeleteObjects and ListObjectsV2. */
const MAX_BATCH = 1000;
/** How many DeleteObjects requests run at once. */
const DELETE_CONCURRENCY = 4;

interface ObjectAddress {
  bucket: string;
  key: string;
}

/** FileIO for S3; see the module comment for the atomicity guarantees. */
export class S3FileIO implements FileIO {
  /** The underlying SDK client, for callers that need an operation FileIO does not cover. */
  readonly client: S3Client;
  private readonly multipartThreshold: number;
  private readonly partSize: number;
  private readonly deleteBatchSize: number;
  private readonly listPageSize: number;
  private readonly secrets: string[];
  /** The light GET path; undefined when turned off or when only the SDK can address the store. */
  private readonly reads: S3HttpReads | undefined;
  private readonly region: string;
  /** Buckets whose GETs go through the SDK (they live in another region than configured). */
  private readonly sdkBuckets = new Set<string>();

  constructor(config: S3Config = {}) {
    this.partSize = config.partSizeBytes ?? DEFAULT_PART_SIZE;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE) {
      throw badInput(`S3 part size ${config.partSizeBytes} is below the S3 minimum of ${MIN_PART_SIZE} bytes`);
    }
    this.multipartThreshold = config.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD;
    this.deleteBatchSize = batchSize("deleteBatchSize", config.deleteBatchSize);
    this.listPageSize = batchSize("listPageSize", config.listPageSize);
    this.secrets = [config.accessKeyId, config.secretAccessKey, config.sessionToken].filter(
      (value): value is string => value !== undefined && value.length >= 4,
    );
    this.region = config.region ?? "us-east-1";
    const clientConfig: S3ClientConfig = {
      region: this.region,
      // A bucket in another region answers with a redirect; follow it rather than fail.
      followRegionRedirects: true,
      forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
    };
    if (config.endpoint !== undefined) {
      clientConfig.endpoint = config.endpoint;
      // Many S3-compatible stores reject the SDK's default CRC trailers on every request; send
      // checksums only where the API demands them (DeleteObjects). AWS keeps the SDK default.
      clientConfig.requestChecksumCalculation = "WHEN_REQUIRED";
      clientConfig.responseChecksumValidation = "WHEN_REQUIRED";
    }
    if (config.accessKeyId !== undefined && config.secretAccessKey !== undefined) {
      clientConfig.credentials = {
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
        ...(config.sessionToken === undefined ? {} : { sessionToken: config.sessionToken }),
      };
    }
    this.client = new S3Client(clientConfig);
    if (config.lightReads !== false) {
      const fixed: AwsCredentials | undefined =
        config.accessKeyId !== undefined && config.secretAccessKey !== undefined
          ? {
              accessKeyId: config.accessKeyId,
              secretAccessKey: config.secretAccessKey,
              sessionToken: config.sessionToken,
            }
          : undefined;
      this.reads = S3HttpReads.create({
        endpoint: config.endpoint,
        region: this.region,
        forcePathStyle: clientConfig.forcePathStyle ?? false,
        // Without keys in the config, the SDK's credential chain (environment, profiles, instance
        // roles, ...) supplies them; its provider caches and refreshes them.
        credentials: fixed !== undefined ? async () => fixed : () => this.client.config.credentials(),
      });
    }
  }

  /** GETs an object or a range of it: through the light path when it can, else the SDK. */
  private async get(
    bucket: string,
    key: string,
    range?: { offset: number; length: number },
  ): Promise<{ body: Uint8Array; contentRange: string | undefined }> {
    if (this.reads !== undefined && !this.sdkBuckets.has(bucket) && this.reads.handles(key)) {
      try {
        return await this.reads.get(bucket, key, range);
      } catch (error) {
        const elsewhere =
          error instanceof S3HttpError && error.bucketRegion !== undefined && error.bucketRegion !== this.region;
        if (!elsewhere) throw error;
        this.sdkBuckets.add(bucket);
      }
    }
    const response = await this.client.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ...(range === undefined ? {} : { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` }),
      }),
    );
    return {
      body: (await response.Body?.transformToByteArray()) ?? new Uint8Array(0),
      contentRange: response.ContentRange,
    };
  }

  async read(location: string): Promise<Uint8Array> {
    const { bucket, key } = objectAddress(location);
    try {
      return (await this.get(bucket, key)).body;
    } catch (error) {
      throw this.wrap("read", location, error);
    }
  }

  async readRange(location: string, offset: number, length: number): Promise<Uint8Array> {
    checkRange(location, offset, length);
    const { bucket, key } = objectAddress(location);
    // An HTTP range cannot be empty; a zero-length read only has to prove the object exists.
    if (length === 0) {
      await this.stat(location);
      return new Uint8Array(0);
    }
    try {
      const { body, contentRange } = await this.get(bucket, key, { offset, length });
      // A store that ignores Range answers 200 with the whole object; cut the range out ourselves.
      return contentRange === undefined ? sliceRange(body, offset, length) : body;
    } catch (error) {
      // 416: the object exists but the range starts at or past its end, which reads as empty.
      if (httpStatus(error) === 416 || errorName(error) === "InvalidRange") return new Uint8Array(0);
      throw this.wrap("readRange", location, error);
    }
  }

  async write(location: string, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    checkFileLocation(location);
    const { bucket, key } = objectAddress(location);
    if (options.overwrite !== true) await this.refuseExisting(location);
    const params = {
      Bucket: bucket,
      Key: key,
      Body: data,
      ContentType: options.contentType,
      ...(options.overwrite === true ? {} : { IfNoneMatch: "*" }),
    };
    try {
      if (data.length >= this.multipartThreshold) await this.upload(params);
      else await this.client.send(new PutObjectCommand(params));
    } catch (error) {
      throw this.wrap("write", location, error);
    }
  }

  async writeStream(location: string, chunks: AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<void> {
    checkFileLocation(location);
    const { bucket, key } = objectAddress(location);
    if (options.overwrite !== true) await this.refuseExisting(location);
    let sourceFailure: unknown;
    const body = Readable.from(
      (async function* () {
        try {
          yield* chunks;
        } catch (error) {
          sourceFailure = error;
          throw error;
        }
      })(),
    );
    try {
      // Upload sends one PutObject when everything fits in a part, else a multipart upload, which
      // it aborts on failure so no half-written object appears.
      await this.upload({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        ...(options.overwrite === true ? {} : { IfNoneMatch: "*" }),
      });
    } catch (error) {
      if (sourceFailure !== undefined) {
        if (sourceFailure instanceof FloeError) throw sourceFailure;
        throw ioError(`writing ${location}: the data source failed: ${String(sourceFailure)}`, sourceFailure);
      }
      throw this.wrap("writeStream", location, error);
    } finally {
      body.destroy();
    }
  }

  async exists(location: string): Promise<boolean> {
    try {
      await this.stat(location);
      return true;
    } catch (error) {
      if (isFloeError(error, "not-found")) return false;
      throw error;
    }
  }

  async stat(location: string): Promise<FileInfo> {
    const { bucket, key } = objectAddress(location);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { path: location, size: head.ContentLength ?? 0, lastModified: head.LastModified?.getTime() ?? 0 };
    } catch (error) {
      throw this.wrap("stat", location, error);
    }
  }

  async delete(location: string): Promise<void> {
    const { bucket, key } = objectAddress(location);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    } catch (error) {
      const wrapped = this.wrap("delete", location, error);
      // S3 answers 204 for a missing key, but some compatible stores answer 404.
      if (wrapped.kind === "not-found" && errorName(error) !== "NoSuchBucket") return;
      throw wrapped;
    }
  }

  async deleteMany(locations: string[]): Promise<void> {
    const batches: { bucket: string; keys: string[]; locations: Map<string, string> }[] = [];
    const byBucket = new Map<string, Map<string, string>>();
    for (const location of locations) {
      const { bucket, key } = objectAddress(location);
      const keys = byBucket.get(bucket) ?? new Map<string, string>();
      byBucket.set(bucket, keys);
      keys.set(key, location);
    }
    for (const [bucket, keys] of byBucket) {
      const all = [...keys.keys()];
      for (let at = 0; at < all.length; at += this.deleteBatchSize) {
        batches.push({ bucket, keys: all.slice(at, at + this.deleteBatchSize), locations: keys });
      }
    }
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.deleteBatch(batches[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, batches.length) }, worker));
  }

  async *list(prefix: string): AsyncIterable<FileInfo> {
    const parsed = parseLocation(prefix);
    if (parsed.scheme !== "s3" || parsed.bucket === undefined) {
      throw badInput(`S3 FileIO cannot list ${prefix}: not an s3:// location`);
    }
    const head = locationHead(prefix, parsed);
    let continuationToken: string | undefined;
    do {
      let page: ListObjectsV2CommandOutput;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: parsed.bucket,
            Prefix: parsed.key === "" ? undefined : parsed.key,
            MaxKeys: this.listPageSize,
            ContinuationToken: continuationToken,
          }),
        );
      } catch (error) {
        throw this.wrap("list", prefix, error);
      }
      for (const object of page.Contents ?? []) {
        // Keys ending in "/" are folder markers made by consoles and tools, not files.
        if (object.Key === undefined || object.Key.endsWith("/")) continue;
        yield { path: head + object.Key, size: object.Size ?? 0, lastModified: object.LastModified?.getTime() ?? 0 };
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  private async upload(params: ConstructorParameters<typeof Upload>[0]["params"]): Promise<void> {
    await new Upload({ client: this.client, params, partSize: this.partSize, queueSize: 4 }).done();
  }

  private async refuseExisting(location: string): Promise<void> {
    if (await this.exists(location)) throw alreadyExists(`file ${location} already exists`);
  }

  private async deleteBatch(batch: { bucket: string; keys: string[]; locations: Map<string, string> }): Promise<void> {
    const describe = `${batch.keys.length} objects in s3://${batch.bucket} (first ${batch.locations.get(batch.keys[0])})`;
    let errors: { Key?: string; Code?: string; Message?: string }[];
    try {
      const response = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: batch.bucket,
          Delete: { Objects: batch.keys.map((key) => ({ Key: key })), Quiet: true },
        }),
      );
      errors = response.Errors ?? [];
    } catch (error) {
      throw this.wrap("deleteMany", describe, error);
    }
    // Missing keys are not failures; anything else (AccessDenied, ...) is.
    const failures = errors.filter((entry) => entry.Code !== "NoSuchKey");
    if (failures.length > 0) {
      const sample = failures
        .slice(0, 3)
        .map((entry) => `${batch.locations.get(entry.Key ?? "") ?? entry.Key}: ${entry.Code} ${entry.Message ?? ""}`);
      throw ioError(this.scrub(`deleteMany could not delete ${failures.length} of ${describe}: ${sample.join("; ")}`));
    }
  }

  /** Turns an SDK or network error into a FloeError that names the location but no credential. */
  private wrap(operation: string, location: string, error: unknown): FloeError {
    if (error instanceof FloeError) return error;
    const name = errorName(error) ?? "Error";
    const status = httpStatus(error);
    const detail = this.scrub(`${name}${status === undefined ? "" : ` (HTTP ${status})`}: ${errorMessage(error)}`);
    if (status === 404 || name === "NoSuchKey" || name === "NotFound" || name === "NoSuchBucket") {
      const what = name === "NoSuchBucket" ? "its bucket does not exist" : "it does not exist";
      return notFound(`S3 ${operation} of ${location} failed: ${what} (${detail})`, error);
    }
    if (status === 412 || name === "PreconditionFailed") {
      return alreadyExists(`S3 ${operation} of ${location} failed: the file already exists (${detail})`, error);
    }
    const retryable = status === undefined || status >= 500 || status === 429 || name === "SlowDown";
    return new FloeError("io", `S3 ${operation} of ${location} failed: ${detail}`, { cause: error, retryable });
  }

  private scrub(message: string): string {
    let result = message;
    for (const secret of this.secrets) result = result.split(secret).join("***");
    return result;
  }
}

function batchSize(name: string, value: number | undefined): number {
  if (value === undefined) return MAX_BATCH;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_BATCH) {
    throw badInput(`S3 ${name} ${value} is not an integer between 1 and ${MAX_BATCH}`);
  }
  return value;
}

function objectAddress(location: string): ObjectAddress {
  const parsed = parseLocation(location);
  if (parsed.scheme !== "s3" || parsed.bucket === undefined) {
    throw badInput(`S3 FileIO cannot handle ${location}: not an s3:// location`);
  }
  if (parsed.key === "") throw badInput(`location ${location} names a bucket, not a file`);
  return { bucket: parsed.bucket, key: parsed.key };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = "code" in error && typeof error.code === "string" ? ` [${error.code}]` : "";
  return `${error.message}${code}`;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("$metadata" in error)) return undefined;
  const metadata = error.$metadata;
  if (typeof metadata !== "object" || metadata === null || !("httpStatusCode" in metadata)) return undefined;
  return typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
}
