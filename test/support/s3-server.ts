/**
 * A throwaway S3-compatible server (s3rver) for tests: a child process listening on a free
 * loopback port, storing objects in a fresh temp directory, with one bucket already created.
 * Always `await server.stop()` (e.g. in `after`); it kills the process and removes the directory.
 * Startup failures reject — tests that need S3 must fail, never skip, when it cannot run.
 */
import { type ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { S3Config } from "../../src/io/s3-config.ts";

/** A running server; `config` reaches its bucket with path-style requests. */
export interface S3TestServer {
  /** "http://127.0.0.1:<port>" */
  endpoint: string;
  bucket: string;
  config: S3Config;
  stop(): Promise<void>;
}

const SCRIPT = path.join(import.meta.dirname, "s3rver-process.mjs");
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

type ChildMessage = { type: "ready"; port: number } | { type: "error"; message: string };

/** Starts s3rver on 127.0.0.1 in a child process and creates one bucket. */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(path.join(tmpdir(), "floe-s3rver-"));
  const bucket = `floe-test-${randomBytes(4).toString("hex")}`;
  const child = fork(SCRIPT, [directory, bucket], {
    // s3rver's continuation tokens use DES, which needs the legacy OpenSSL provider.
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --openssl-legacy-provider`.trim() },
    // The test runner's own flags (--test, --import tsx) must not leak into the server.
    execArgv: [],
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  // Backstop for a test that forgets stop(): never leave the process or the directory behind.
  const onExit = () => {
    child.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      process.removeListener("exit", onExit);
      await stopChild(child);
      await rm(directory, { recursive: true, force: true });
    })();
    return stopped;
  };

  let port: number;
  try {
    port = await waitUntilReady(child);
  } catch (error) {
    await stop();
    throw error;
  }
  // Let the test process exit even if a test forgets stop(); the child exits when the IPC channel
  // closes. stop() re-references it while it waits.
  child.unref();
  child.channel?.unref();
  (child.stderr as Socket | null)?.unref();

  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    // s3rver's built-in development key pair (not a secret); regions are not checked.
    config: { endpoint, region: "us-east-1", forcePathStyle: true, accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    stop,
  };
}

function waitUntilReady(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    const timer = setTimeout(
      () => finish(new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms. ${stderr}`)),
      START_TIMEOUT_MS,
    );
    const onMessage = (message: ChildMessage) => {
      if (message.type === "ready") finish(undefined, message.port);
      else finish(new Error(`s3rver failed to start: ${message.message}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`s3rver exited before it was ready (code ${code}, signal ${signal}). ${stderr}`));
    const onError = (error: Error) => finish(new Error(`could not launch s3rver: ${error.message}`));
    function finish(error: Error | undefined, port?: number) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.off("error", onError);
      if (error !== undefined) reject(error);
      else resolve(port!);
    }
    child.on("message", onMessage);
    child.on("exit", onExit);
    child.on("error", onError);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  if (child.connected) child.send("stop");
  else child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
