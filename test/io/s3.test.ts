import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { joinLocation } from "../../src/io/locations.ts";
import { createFileIO } from "../../src/io/resolve-file-io.ts";
import type { S3Config } from "../../src/io/s3-config.ts";
import { S3FileIO } from "../../src/io/s3-file-io.ts";
import { type S3TestServer, startS3Server } from "../support/s3-server.ts";
import { assertKind, bytesOf, chunksOf, paths, runFileIOConformance, sortedPaths, writeMany } from "./conformance.ts";

const MIB = 1024 * 1024;

// One server for the whole file, started by whichever test needs it first. If it cannot start,
// every test here fails (they all await it); none is skipped.
let server: Promise<S3TestServer> | undefined;
const s3Server = (): Promise<S3TestServer> => {
  server ??= startS3Server();
  return server;
};
after(async () => {
  if (server !== undefined) await (await server.catch(() => undefined))?.stop();
});

/** Small limits so a few dozen files prove batching and pagination, and 12 MiB proves multipart. */
const testLimits: S3Config = {
  multipartThresholdBytes: 5 * MIB,
  partSizeBytes: 5 * MIB,
  deleteBatchSize: 10,
  listPageSize: 10,
};

let prefixNumber = 0;
async function fresh(extra: S3Config = {}): Promise<{ io: S3FileIO; dir: string; server: S3TestServer }> {
  const running = await s3Server();
  prefixNumber += 1;
  return {
    io: new S3FileIO({ ...running.config, ...testLimits, ...extra }),
    dir: `s3://${running.bucket}/s3-tests/${prefixNumber}`,
    server: running,
  };
}

runFileIOConformance(
  "s3 (s3rver)",
  async () => {
    const running = await s3Server();
    return {
      io: new S3FileIO({ ...running.config, ...testLimits }),
      root: `s3://${running.bucket}/conformance`,
      cleanup: async () => {},
    };
  },
  {
    manyFiles: 25,
    atomicCreate: {
      skipReason: "s3rver ignores If-None-Match, so only the HeadObject check guards creates (see s3-file-io.ts)",
    },
    partialReadsImpossible: {
      skipReason: "s3rver writes objects in place, so its readers can see partial objects; AWS S3 cannot",
    },
  },
);

/** Counts the SDK commands a FileIO sends and records the If-None-Match header of each. */
function recordCommands(io: S3FileIO): { counts: Map<string, number>; ifNoneMatch: (string | undefined)[] } {
  const counts = new Map<string, number>();
  const ifNoneMatch: (string | undefined)[] = [];
  io.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? "unknown";
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "floeTestCommandCounter" },
  );
  io.client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (context.commandName === "PutObjectCommand" || context.commandName === "CompleteMultipartUploadCommand") {
        ifNoneMatch.push(request.headers?.["if-none-match"]);
      }
      return next(args);
    },
    { step: "finalizeRequest", name: "floeTestHeaderRecorder" },
  );
  return { counts, ifNoneMatch };
}

test("writes at or above the threshold and all large streams go multipart; small writes are one PUT", async () => {
  const { io, dir } = await fresh();
  const { counts } = recordCommands(io);
  await io.write(joinLocation(dir, "small.bin"), new Uint8Array(1024));
  assert.equal(counts.get("PutObjectCommand"), 1);
  assert.equal(counts.get("CreateMultipartUploadCommand"), undefined);

  await io.write(joinLocation(dir, "six.bin"), new Uint8Array(6 * MIB).fill(6));
  assert.equal(counts.get("CreateMultipartUploadCommand"), 1);
  assert.equal(counts.get("UploadPartCommand"), 2);

  const chunks = Array.from({ length: 48 }, (_, i) => new Uint8Array(256 * 1024).fill(i)); // 12 MiB
  await io.writeStream(joinLocation(dir, "twelve.bin"), chunksOf(chunks));
  assert.equal(counts.get("CreateMultipartUploadCommand"), 2);
  assert.equal(counts.get("UploadPartCommand"), 5);
  assert.equal(counts.get("CompleteMultipartUploadCommand"), 2);
  assert.equal((await io.stat(joinLocation(dir, "twelve.bin"))).size, 12 * MIB);
  assert.deepEqual(await io.readRange(joinLocation(dir, "twelve.bin"), 5 * MIB, 2), new Uint8Array([20, 20]));
});

test("creates send If-None-Match: * (atomic on stores that honour it); overwrites do not", async () => {
  const { io, dir } = await fresh();
  const { ifNoneMatch } = recordCommands(io);
  await io.write(joinLocation(dir, "a.bin"), bytesOf("a"));
  await io.write(joinLocation(dir, "a.bin"), bytesOf("b"), { overwrite: true });
  await io.writeStream(joinLocation(dir, "big.bin"), chunksOf([new Uint8Array(6 * MIB)]));
  assert.deepEqual(ifNoneMatch, ["*", undefined, "*"]);
});

test("deleteMany sends one DeleteObjects per batch of deleteBatchSize keys", async () => {
  const { io, dir } = await fresh();
  const files = await writeMany(io, dir, 25);
  const { counts } = recordCommands(io);
  await io.deleteMany([...files, joinLocation(dir, "missing")]);
  assert.equal(counts.get("DeleteObjectsCommand"), 3);
  assert.deepEqual(await paths(io, dir), []);
});

test("list follows continuation tokens across pages of listPageSize keys", async () => {
  const { io, dir } = await fresh();
  const files = await writeMany(io, dir, 25);
  const { counts } = recordCommands(io);
  assert.deepEqual(await sortedPaths(io, `${dir}/`), [...files].sort());
  assert.equal(counts.get("ListObjectsV2Command"), 3);
});

test("s3a:// and s3n:// address the same objects, and list answers in the style it was asked", async () => {
  const { io, server } = await fresh();
  const key = `s3-tests/schemes-${prefixNumber}/file.txt`;
  await io.write(`s3a://${server.bucket}/${key}`, bytesOf("via s3a"));
  assert.deepEqual(await io.read(`s3://${server.bucket}/${key}`), bytesOf("via s3a"));
  assert.deepEqual(await io.read(`s3n://${server.bucket}/${key}`), bytesOf("via s3a"));
  assert.deepEqual(await paths(io, `s3n://${server.bucket}/s3-tests/schemes-${prefixNumber}`), [
    `s3n://${server.bucket}/${key}`,
  ]);
});

test("a missing bucket is not-found, naming the location", async () => {
  const { io } = await fresh();
  await assertKind(io.read("s3://no-such-bucket-floe/x.bin"), "not-found", "s3://no-such-bucket-floe/x.bin");
  await assert.rejects(paths(io, "s3://no-such-bucket-floe/"), (error: unknown) => isFloeError(error, "not-found"));
});

test("wrong credentials give an io error that does not reveal them", async () => {
  const { io: good, dir } = await fresh();
  await good.write(joinLocation(dir, "secret.bin"), bytesOf("x"));
  const running = await s3Server();
  const secret = "wrong-secret-0123456789abcdef";
  const keyId = "NOTAREALKEYID12345";
  // s3rver checks only that the key id exists (it does not verify v4 signatures), so the failing
  // request here is an unknown key id.
  {
    const io = new S3FileIO({ ...running.config, accessKeyId: keyId, secretAccessKey: secret });
    await assert.rejects(io.read(joinLocation(dir, "secret.bin")), (error: unknown) => {
      assert.ok(isFloeError(error, "io"), String(error));
      assert.ok(error.message.includes(joinLocation(dir, "secret.bin")), error.message);
      assert.ok(!error.message.includes(secret), error.message);
      assert.ok(!error.message.includes(keyId), error.message);
      return true;
    });
  }
});

test("an unreachable endpoint gives a retryable io error", async () => {
  const port = await closedPort();
  const io = new S3FileIO({ ...(await s3Server()).config, endpoint: `http://127.0.0.1:${port}` });
  await assert.rejects(io.read("s3://bucket/key.bin"), (error: unknown) => {
    assert.ok(isFloeError(error, "io"), String(error));
    assert.equal(error.retryable, true);
    assert.ok(error.message.includes("s3://bucket/key.bin"), error.message);
    return true;
  });
});

test("bucket-only locations and bad settings are refused up front", async () => {
  const { io, server } = await fresh();
  await assertKind(io.read(`s3://${server.bucket}`), "bad-input", server.bucket);
  await assertKind(io.read(`s3://${server.bucket}/`), "bad-input", server.bucket);
  assert.throws(
    () => new S3FileIO({ partSizeBytes: MIB }),
    (error: unknown) => isFloeError(error, "bad-input"),
  );
  assert.throws(
    () => new S3FileIO({ deleteBatchSize: 1001 }),
    (error: unknown) => isFloeError(error, "bad-input"),
  );
});

test("createFileIO routes s3:// to S3 with the given config, next to local and memory", async () => {
  const running = await s3Server();
  const io = createFileIO({ s3: running.config });
  const location = `s3://${running.bucket}/routing/file.txt`;
  await io.write(location, bytesOf("routed"));
  await io.write("memory://routing/file.txt", bytesOf("memory"));
  assert.deepEqual(await io.read(location), bytesOf("routed"));
  assert.equal(await io.exists("memory://routing/file.txt"), true);
  // The memory write did not land in S3, nor the S3 write in memory.
  assert.deepEqual(await paths(io, `s3://${running.bucket}/routing/`), [location]);
  assert.deepEqual(await paths(io, "memory://routing/"), ["memory://routing/file.txt"]);
  await io.deleteMany([location, "memory://routing/file.txt"]);
  assert.equal(await io.exists(location), false);
  assert.equal(await io.exists("memory://routing/file.txt"), false);
});

test("startS3Server gives each server its own port and bucket, and stop() shuts it down", async () => {
  const [first, second] = await Promise.all([startS3Server(), startS3Server()]);
  try {
    assert.notEqual(first.endpoint, second.endpoint);
    assert.match(first.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const io = new S3FileIO(first.config);
    await io.write(`s3://${first.bucket}/x.txt`, bytesOf("x"));
    assert.deepEqual(await io.read(`s3://${first.bucket}/x.txt`), bytesOf("x"));
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
  await first.stop(); // idempotent
  const stopped = new S3FileIO(first.config);
  await assert.rejects(stopped.read(`s3://${first.bucket}/x.txt`), (error: unknown) => isFloeError(error, "io"));
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  assert.ok(address !== null && typeof address === "object");
  return address.port;
}
