// The light GET path of S3FileIO (s3-http-reads.ts): against s3rver it returns exactly what the SDK
// path returns, its requests are signed correctly (checked by the AWS SDK's own signer behind a
// recording proxy), and failures become the same FloeErrors; against scripted servers it retries
// transient failures only, and hands a bucket of another region over to the SDK.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { isFloeError } from "../../src/core/errors.ts";
import { S3FileIO } from "../../src/io/s3-file-io.ts";
import { S3HttpReads } from "../../src/io/s3-http-reads.ts";
import { type S3TestServer, startS3Server } from "../support/s3-server.ts";

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

interface Scripted {
  endpoint: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** An HTTP server answering each request with `answer` (after recording it). */
async function scriptedServer(
  answer: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<Scripted> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers });
    request.resume();
    request.on("end", () => answer(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A proxy in front of `target` that records every request. */
function recordingProxy(target: string): Promise<Scripted> {
  const upstream = new URL(target);
  return scriptedServer((request, response) => {
    const forwarded = http.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        // The signature covers Host: the upstream sees the host the client signed.
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.end();
  });
}

const xml = (code: string, message: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/** Whether the AWS SDK's signer, given the same signed headers and instant, computes the same signature. */
async function signatureChecksOut(request: Seen, secretAccessKey: string): Promise<boolean> {
  const authorization = String(request.headers.authorization ?? "");
  const match =
    /Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      authorization,
    );
  if (!match) return false;
  const [, accessKeyId, region, signedHeaders, signature] = match;
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(";")) headers[name] = String(request.headers[name] ?? "");
  const date = String(request.headers["x-amz-date"]);
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  class NodeSha256 {
    private hash;
    constructor(private readonly secret?: string | Uint8Array) {
      this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", secret);
    }
    update(data: string | Uint8Array): void {
      this.hash.update(data);
    }
    async digest(): Promise<Uint8Array> {
      return new Uint8Array(this.hash.digest());
    }
    reset(): void {
      this.hash = this.secret === undefined ? createHash("sha256") : createHmac("sha256", this.secret);
    }
  }
  const signer = new SignatureV4({
    service: "s3",
    region,
    credentials: { accessKeyId, secretAccessKey },
    sha256: NodeSha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]["sha256"],
    uriEscapePath: false,
  });
  const url = new URL(`http://${headers.host}${request.path}`);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: "http:",
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
    },
    { signingDate },
  );
  return String(signed.headers.authorization).endsWith(`Signature=${signature}`);
}

describe("light S3 GETs against s3rver", () => {
  let s3: S3TestServer;
  let proxy: Scripted;
  const MIB = 1024 * 1024;
  const big = new Uint8Array(3 * MIB).map((_, i) => (i * 7919) % 251);
  let dir: string;
  before(async () => {
    s3 = await startS3Server();
    proxy = await recordingProxy(s3.endpoint);
    dir = `s3://${s3.bucket}/light`;
    const setup = new S3FileIO(s3.config);
    await setup.write(`${dir}/big.bin`, big);
    await setup.write(`${dir}/one.bin`, new Uint8Array([42]));
    await setup.write(`${dir}/empty.bin`, new Uint8Array(0));
    await setup.write(`${dir}/odd name +%=.bin`, new Uint8Array([1, 2, 3]));
  });
  after(async () => {
    await proxy?.close();
    await s3?.stop();
  });

  test("whole and ranged reads return exactly what the SDK path returns", async () => {
    const light = new S3FileIO({ ...s3.config, endpoint: proxy.endpoint });
    const sdk = new S3FileIO({ ...s3.config, lightReads: false });
    const reads: [string, number?, number?][] = [
      ["big.bin"],
      ["one.bin"],
      ["empty.bin"],
      ["odd name +%=.bin"],
      ["big.bin", 0, 1],
      ["big.bin", MIB + 17, 300_000],
      ["big.bin", big.length - 10, 10],
      ["big.bin", big.length - 10, 100],
      ["big.bin", big.length, 5],
      ["big.bin", big.length + 1000, 5],
      ["empty.bin", 0, 10],
      ["one.bin", 0, 0],
    ];
    for (const [name, offset, length] of reads) {
      const location = `${dir}/${name}`;
      const [a, b] =
        offset === undefined
          ? [await light.read(location), await sdk.read(location)]
          : [await light.readRange(location, offset, length ?? 0), await sdk.readRange(location, offset, length ?? 0)];
      assert.deepEqual(a, b, `${name} ${offset}+${length}`);
    }
    assert.deepEqual(await light.readRange(`${dir}/big.bin`, MIB, 4), big.slice(MIB, MIB + 4));
    // Every GET took the light path (no SDK user agent) and carries a valid signature.
    const gets = proxy.seen.filter((r) => r.method === "GET");
    assert.ok(gets.length >= reads.length - 1, `${gets.length} GETs`);
    for (const request of gets) {
      assert.equal(request.headers["user-agent"], undefined, "sent by Node's HTTP client, not the SDK");
      assert.equal(await signatureChecksOut(request, "S3RVER"), true, `${request.path} ${request.headers.range}`);
    }
    const ranged = gets.find((r) => r.headers.range !== undefined);
    assert.ok(ranged);
    const tampered = { ...ranged, headers: { ...ranged.headers, range: "bytes=1-2" } };
    assert.equal(await signatureChecksOut(tampered, "S3RVER"), false, "the check can fail");
  });

  test("with lightReads false, GETs go through the SDK", async () => {
    const before = proxy.seen.length;
    const sdk = new S3FileIO({ ...s3.config, endpoint: proxy.endpoint, lightReads: false });
    assert.deepEqual(await sdk.readRange(`${dir}/big.bin`, 5, 3), big.slice(5, 8));
    assert.match(String(proxy.seen[before]?.headers["user-agent"]), /aws-sdk-js/);
  });

  test("failures become FloeErrors: missing key and bucket not-found, bad key io (not retryable, not revealed)", async () => {
    const light = new S3FileIO(s3.config);
    await assert.rejects(light.read(`${dir}/missing.bin`), (error: unknown) => {
      assert.ok(isFloeError(error, "not-found"), String(error));
      assert.ok(error.message.includes(`${dir}/missing.bin`), error.message);
      return true;
    });
    await assert.rejects(light.readRange("s3://no-such-bucket-floe/x.bin", 0, 10), (error: unknown) => {
      assert.ok(isFloeError(error, "not-found"), String(error));
      assert.match(error.message, /bucket does not exist/);
      return true;
    });
    const keyId = "NOTAREALKEYID12345";
    const secret = "wrong-secret-0123456789abcdef";
    const stranger = new S3FileIO({ ...s3.config, accessKeyId: keyId, secretAccessKey: secret });
    await assert.rejects(stranger.readRange(`${dir}/big.bin`, 0, 10), (error: unknown) => {
      assert.ok(isFloeError(error, "io"), String(error));
      assert.equal(error.retryable, false);
      assert.match(error.message, /HTTP 403/);
      assert.ok(!error.message.includes(keyId) && !error.message.includes(secret), error.message);
      return true;
    });
  });
});

describe("light S3 GETs against scripted servers", () => {
  const config = { region: "us-east-1", forcePathStyle: true, accessKeyId: "AKID", secretAccessKey: "SECRET" };

  test("5xx and throttling answers are retried with backoff; the third attempt's bytes are returned", async () => {
    let calls = 0;
    const server = await scriptedServer((_request, response) => {
      calls++;
      if (calls === 1) response.writeHead(503).end(xml("SlowDown", "Please reduce your request rate."));
      else if (calls === 2) response.writeHead(500).end(xml("InternalError", "We encountered an internal error."));
      else response.writeHead(206, { "content-range": "bytes 0-2/10" }).end(Buffer.from([7, 8, 9]));
    });
    try {
      const io = new S3FileIO({ ...config, endpoint: server.endpoint });
      assert.deepEqual(await io.readRange("s3://bucket/key", 0, 3), new Uint8Array([7, 8, 9]));
      assert.equal(calls, 3);
    } finally {
      await server.close();
    }
  });

  test("a store failing every attempt gives a retryable io error after three; a refusal is not retried", async () => {
    const server = await scriptedServer((request, response) => {
      if (request.url?.includes("denied")) response.writeHead(403).end(xml("AccessDenied", "Access Denied"));
      else response.writeHead(503).end(xml("ServiceUnavailable", "Try again."));
    });
    try {
      const io = new S3FileIO({ ...config, endpoint: server.endpoint });
      await assert.rejects(io.read("s3://bucket/busy"), (error: unknown) => {
        assert.ok(isFloeError(error, "io"), String(error));
        assert.equal(error.retryable, true);
        assert.match(error.message, /ServiceUnavailable \(HTTP 503\)/);
        return true;
      });
      assert.equal(server.seen.length, 3);
      await assert.rejects(io.read("s3://bucket/denied"), (error: unknown) => {
        assert.ok(isFloeError(error, "io"), String(error));
        assert.equal(error.retryable, false);
        assert.match(error.message, /AccessDenied \(HTTP 403\): Access Denied/);
        return true;
      });
      assert.equal(server.seen.length, 4);
    } finally {
      await server.close();
    }
  });

  test("a body cut short is retried as a dropped connection", async () => {
    let calls = 0;
    const server = await scriptedServer((_request, response) => {
      calls++;
      if (calls === 1) {
        response.writeHead(200, { "content-length": "10" });
        response.write(Buffer.from([1, 2, 3]));
        response.socket?.destroy();
      } else response.writeHead(200, { "content-length": "4" }).end(Buffer.from([1, 2, 3, 4]));
    });
    try {
      const io = new S3FileIO({ ...config, endpoint: server.endpoint });
      assert.deepEqual(await io.read("s3://bucket/key"), new Uint8Array([1, 2, 3, 4]));
      assert.equal(calls, 2);
    } finally {
      await server.close();
    }
  });

  test("a bucket in another region is read through the SDK, which follows the redirect, from then on", async () => {
    const server = await scriptedServer((request, response) => {
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization))?.[1];
      if (region !== "eu-west-1")
        response
          .writeHead(301, { "x-amz-bucket-region": "eu-west-1", "content-type": "application/xml" })
          .end(
            xml(
              "PermanentRedirect",
              "The bucket you are attempting to access must be addressed using the specified endpoint.",
            ),
          );
      else response.writeHead(200, { "content-length": "2" }).end(Buffer.from([4, 2]));
    });
    try {
      const io = new S3FileIO({ ...config, endpoint: server.endpoint });
      assert.deepEqual(await io.read("s3://bucket/key"), new Uint8Array([4, 2]));
      const light = server.seen.filter((r) => r.headers["user-agent"] === undefined);
      assert.equal(light.length, 1, "one light attempt, answered with the redirect");
      const before = server.seen.length;
      assert.deepEqual(await io.read("s3://bucket/other"), new Uint8Array([4, 2]));
      assert.ok(
        server.seen.slice(before).every((r) => /aws-sdk-js/.test(String(r.headers["user-agent"]))),
        "later GETs of the bucket skip the light path",
      );
    } finally {
      await server.close();
    }
  });
});

test("the light path is offered only where floe can address the store without the SDK", () => {
  const base = { forcePathStyle: false, credentials: async () => ({ accessKeyId: "a", secretAccessKey: "b" }) };
  const create = (options: { region: string; endpoint?: string }, env: NodeJS.ProcessEnv = {}) =>
    S3HttpReads.create({ ...base, ...options }, env);
  assert.ok(create({ region: "eu-west-1" }));
  assert.ok(create({ region: "cn-north-1" }));
  assert.ok(create({ region: "us-east-1", endpoint: "https://minio.internal:9000/base" }));
  assert.equal(create({ region: "us-iso-east-1" }), undefined);
  assert.equal(create({ region: "eu-west-1" }, { AWS_USE_FIPS_ENDPOINT: "true" }), undefined);
  assert.equal(create({ region: "eu-west-1" }, { AWS_ENDPOINT_URL_S3: "http://elsewhere" }), undefined);
  assert.equal(create({ region: "us-east-1", endpoint: "ftp://host" }), undefined);
  const reads = create({ region: "eu-west-1" });
  assert.equal(reads?.handles("a/b/c.parquet"), true);
  assert.equal(reads?.handles("a/./c.parquet"), false, "URL handling would rewrite dot segments");
  reads?.close();
});
