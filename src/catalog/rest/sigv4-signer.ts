/**
 * SigV4 for REST catalog requests (`rest.sigv4-enabled`), for catalogs behind AWS API Gateway or
 * AWS Glue's Iceberg REST endpoint: the signing settings from catalog properties, and the bearer
 * token handling. The signature itself is io's (../../io/sigv4-signer.ts), shared with S3 reads. A
 * bearer token present at the same time moves to `Original-Authorization`, as Iceberg's Java client
 * does, since SigV4 owns Authorization.
 */
import { badInput } from "../../core/errors.ts";
import { type RequestSigner, signRequest } from "../../io/sigv4-signer.ts";
import { REST_PROPERTY } from "./rest-options.ts";

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
  const credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  const scope = {
    service: properties[REST_PROPERTY.signingName] ?? "execute-api",
    region:
      properties[REST_PROPERTY.signingRegion] ??
      properties["client.region"] ??
      env.AWS_REGION ??
      env.AWS_DEFAULT_REGION ??
      "us-east-1",
    // The catalog API is not S3: its paths are signed encoded twice.
    doubleEncodePath: true,
  };
  return {
    async sign(request) {
      const bearer = request.headers.Authorization ?? request.headers.authorization;
      delete request.headers.Authorization;
      delete request.headers.authorization;
      if (bearer !== undefined) request.headers["Original-Authorization"] = bearer;
      signRequest(request, credentials, scope);
    },
  };
}
