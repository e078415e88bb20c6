// floe's SigV4 signer against AWS's published S3 example and against an independent implementation
// (@smithy/signature-v4, the AWS SDK's own signer) on requests of every shape floe signs.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import {
  type AwsCredentials,
  EMPTY_PAYLOAD_SHA256,
  type RequestToSign,
  signRequest,
  sigV4Signer,
} from "../../src/io/sigv4-signer.ts";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

test("the S3 documentation's GET-with-Range example signs to its published signature", () => {
  // "Signature Calculations for the Authorization Header", example GET Object, AWS S3 API reference.
  const request: RequestToSign = {
    method: "GET",
    url: new URL("https://examplebucket.s3.amazonaws.com/test.txt"),
    headers: { Range: "bytes=0-9", "x-amz-content-sha256": EMPTY_PAYLOAD_SHA256 },
  };
  signRequest(
    request,
    { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: SECRET },
    { service: "s3", region: "us-east-1" },
    new Date("2013-05-24T00:00:00Z"),
  );
  assert.equal(request.headers["x-amz-date"], "20130524T000000Z");
  assert.equal(
    request.headers.authorization,
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
      "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
      "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
  );
});

/** SHA-256 (HMAC with a secret) from node:crypto, in the shape @smithy/signature-v4 expects. */
class NodeSha256 {
  private hash;
  constructor(private readonly secret?: string | Uint8Array) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** What the SDK's signer makes of the same request at the same instant. */
async function smithySignature(
  request: RequestToSign,
  credentials: AwsCredentials,
  service: string,
  region: string,
  now: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service,
    region,
    credentials,
    sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]["sha256"],
    uriEscapePath: service !== "s3",
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.url.searchParams) {
    const previous = query[key];
    query[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    },
    { signingDate: now },
  );
  return signed.headers;
}

const CASES: { name: string; service: string; region: string; request: () => RequestToSign; session?: boolean }[] = [
  {
    name: "S3 ranged GET of a key with characters that need encoding, with a session token",
    service: "s3",
    region: "eu-west-1",
    session: true,
    request: () => ({
      method: "GET",
      url: new URL("http://127.0.0.1:4569/bucket/wh/data/event_time_day%3D2025-01-01/00000-a%20b.parquet"),
      headers: { range: "bytes=100-199", "x-amz-content-sha256": EMPTY_PAYLOAD_SHA256 },
    }),
  },
  {
    name: "S3 GET on AWS, virtual-hosted",
    service: "s3",
    region: "us-east-1",
    request: () => ({
      method: "GET",
      url: new URL("https://my-bucket.s3.us-east-1.amazonaws.com/a/b/c.avro"),
      headers: { "x-amz-content-sha256": EMPTY_PAYLOAD_SHA256 },
    }),
  },
  {
    name: "REST catalog POST with a JSON body, repeated and unusual query parameters, spaced headers",
    service: "glue",
    region: "eu-west-1",
    request: () => ({
      method: "POST",
      url: new URL("https://catalog.example:8443/v1/namespaces/a%1Fb/tables?b=2&a=1&a=0&x=%20y*"),
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "Original-Authorization": "Bearer   token-1",
        "User-Agent": "floe",
      },
      body: '{"name":"events"}',
    }),
  },
  {
    name: "REST catalog GET with a trailing slash",
    service: "execute-api",
    region: "us-west-2",
    request: () => ({
      method: "GET",
      url: new URL("https://api.example/prefix/v1/config/"),
      headers: { Accept: "application/json" },
    }),
  },
];

for (const { name, service, region, request, session } of CASES) {
  test(`agrees with the AWS SDK's signer: ${name}`, async () => {
    const now = new Date("2025-03-04T05:06:07Z");
    const credentials: AwsCredentials = {
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: SECRET,
      ...(session ? { sessionToken: "session/token+=" } : {}),
    };
    const ours = request();
    signRequest(ours, credentials, { service, region }, now);
    const theirs = await smithySignature(request(), credentials, service, region, now);
    assert.equal(ours.headers.authorization, theirs.authorization);
    assert.equal(ours.headers["x-amz-date"], theirs["x-amz-date"]);
    assert.equal(ours.headers["x-amz-security-token"], theirs["x-amz-security-token"]);
    assert.equal(ours.headers["x-amz-content-sha256"], theirs["x-amz-content-sha256"]);
    assert.ok(!ours.headers.authorization.includes("user-agent"), "User-Agent is never signed");
  });
}

test("signing again replaces the previous signature, and a credential source is asked on every signature", async () => {
  let asked = 0;
  const signer = sigV4Signer(
    async () => {
      asked++;
      return { accessKeyId: `KEY${asked}`, secretAccessKey: SECRET };
    },
    { service: "s3", region: "us-east-1" },
  );
  const request: RequestToSign = { method: "GET", url: new URL("https://b.s3.us-east-1.amazonaws.com/k"), headers: {} };
  await signer.sign(request);
  await signer.sign(request);
  assert.equal(asked, 2);
  assert.match(request.headers.authorization, /^AWS4-HMAC-SHA256 Credential=KEY2\//);
  assert.equal(Object.keys(request.headers).filter((h) => h.toLowerCase() === "authorization").length, 1);
});
