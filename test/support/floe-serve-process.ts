/**
 * A real `floe serve` OS process (bin/floe.js, as a user would start it) on a free loopback port,
 * ready once /readyz answers 200; stop() sends SIGTERM and reports how the process ended.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const FLOE_BIN = path.join(import.meta.dirname, "..", "..", "bin", "floe.js");
const OUTPUT_TAIL_CHARS = 20_000;

/** A running `floe serve` process. */
export interface ServeProcess {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  child: ChildProcess;
  /** The last part of what the process wrote to stdout and stderr (for failure messages). */
  output(): string;
  /** Sends SIGTERM and resolves with the exit code (null when a signal ended it). */
  stop(): Promise<number | null>;
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port was assigned");
  return address.port;
}

/** Starts `floe --catalog <catalogUri> --warehouse <warehouse> serve --no-auth` and waits for /readyz. */
export async function startServeProcess(
  catalogUri: string,
  warehouse: string,
  readyTimeoutMs = 30_000,
): Promise<ServeProcess> {
  const port = await freePort();
  const args = [FLOE_BIN, "--catalog", catalogUri, "--warehouse", warehouse, "serve"];
  args.push("--host", "127.0.0.1", "--port", String(port), "--no-auth", "--log-level", "warn");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  // Both pipes are always drained: a full pipe would block the server mid-request.
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let exitedEarly = false;
  void exited.then(() => {
    exitedEarly = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exitedEarly) throw new Error(`floe serve exited with ${child.exitCode} before it was ready:\n${output}`);
    try {
      const response = await fetch(`${url}/readyz`);
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`floe serve on ${url} was not ready within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, stop };
}
