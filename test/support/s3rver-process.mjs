// Runs s3rver in its own process for startS3Server (test/support/s3-server.ts). It lives apart from
// the test process because s3rver's list pagination tokens use DES, which Node 17+ only offers with
// --openssl-legacy-provider, a flag the parent sets for this process alone.
// Protocol over the IPC channel: sends {type:"ready", port} or {type:"error", message}; stops on
// the message "stop" or when the parent goes away (disconnect), so it never outlives the tests.
import { createCipheriv } from "node:crypto";
import S3rver from "s3rver";
import FilesystemStore from "s3rver/lib/stores/filesystem.js";

// s3rver bug: a Range request on an empty object announces one byte and then sends none, so the
// client hangs until the socket times out. S3 answers 416 InvalidRange, which s3rver produces when
// an object comes back with a range but no content.
const getObject = FilesystemStore.prototype.getObject;
FilesystemStore.prototype.getObject = async function getObjectWithEmptyRangeFix(bucket, key, options) {
  const object = await getObject.call(this, bucket, key, options);
  if (object?.range && object.size === 0 && object.content) {
    object.content.destroy();
    object.content = null;
  }
  return object;
};

const [directory, bucket] = process.argv.slice(2);

function fail(error) {
  process.send?.({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
}

async function main() {
  if (!directory || !bucket) throw new Error("usage: s3rver-process.mjs <directory> <bucket>");
  // Fail loudly now rather than on the first paginated listing.
  createCipheriv("des", Buffer.alloc(8), Buffer.alloc(8));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // close() waits for idle keep-alive sockets; exiting right after is what we want anyway.
    server.httpServer.closeAllConnections?.();
    await server.close().catch(() => undefined);
    process.exit(0);
  };
  process.on("message", (message) => {
    if (message === "stop") void stop();
  });
  process.on("disconnect", () => void stop());
  process.send?.({ type: "ready", port: address.port });
}

main().catch(fail);
