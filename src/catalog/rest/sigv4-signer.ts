/**
 * AWS Signature Version 4 for REST catalog requests (`rest.sigv4-enabled`), for catalogs behind
 * AWS API Gateway or AWS Glue's Iceberg REST endpoint. A bearer token present at the same time
 * moves to `Original-Authorization`, as Iceberg's Java client does, since SigV4 owns Authorization.
 */
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { badInput } from "../../core/errors.ts";
import { REST_PROPERTY } from "./rest-options.ts";

type Sha256Constructor = ConstructorParameters<typeof SignatureV4>[0]["sha256"];

/** SHA-256, or HMAC-SHA256 when constructed with a secret, from node:crypto. */
class NodeSha256 {
  private hash;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh() {
    if (this.secret === undefined) return createHash("sha256");
    const key =
      typeof this.secret === "string"
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac("sha256", key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    if (typeof data === "string") this.hash.update(data, "utf8");
    else if (ArrayBuffer.isView(data)) this.hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    else this.hash.update(new Uint8Array(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** A request about to be sent, as the signer needs it. */
export interface RequestToSign {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Signs requests in place (adds Authorization, X-Amz-Date, X-Amz-Content-Sha256, ...). */
export interface RequestSigner {
  sign(request: RequestToSign): Promise<void>;
}

/** The SigV4 signer the properties ask for, or undefined when rest.sigv4-enabled is not true. */
export function sigV4SignerFromProperties(
  properties: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): RequestSigner | undefined {
  if ((properties[REST_PROPERTY.sigv4Enabled] ?? "").toLowerCase() !== "true") return undefined;
  const accessKeyId = properties[REST_PROPERTY.accessKeyId] ?? env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = properties[REST_PROPERTY.secretAccessKey] ?? env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = properties[REST_PROPERTY.sessionToken] ?? env.AWS_SESSION_TOKEN;
  if (!accessKeyId || !secretAccessKey)
    throw badInput(
      `${REST_PROPERTY.sigv4Enabled} needs ${REST_PROPERTY.accessKeyId} and ${REST_PROPERTY.secretAccessKey} (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`,
    );
  const signer = new SignatureV4({
    service: properties[REST_PROPERTY.signingName] ?? "execute-api",
    region:
      properties[REST_PROPERTY.signingRegion] ??
      properties["client.region"] ??
      env.AWS_REGION ??
      env.AWS_DEFAULT_REGION ??
      "us-east-1",
    credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
    sha256: NodeSha256 as unknown as Sha256Constructor,
    uriEscapePath: true,
  });
  return {
    async sign(request) {
      const headers: Record<string, string> = { ...request.headers, host: request.url.host };
      const bearer = headers.Authorization ?? headers.authorization;
      delete headers.Authorization;
      delete headers.authorization;
      if (bearer !== undefined) headers["Original-Authorization"] = bearer;
      const query: Record<string, string | string[]> = {};
      for (const [key, value] of request.url.searchParams) {
        const previous = query[key];
        query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
      }
      const signed = await signer.sign({
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        port: request.url.port ? Number(request.url.port) : undefined,
        path: request.url.pathname,
        query,
        headers,
        body: request.body,
      });
      for (const key of Object.keys(request.headers)) delete request.headers[key];
      for (const [key, value] of Object.entries(signed.headers)) if (key !== "host") request.headers[key] = value;
    },
  };
}
