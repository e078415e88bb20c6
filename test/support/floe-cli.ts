/** Runs the `floe` CLI from tests: as a real process (bin/floe.js) or in this process through main(). */
import { execFile } from "node:child_process";
import path from "node:path";
import { main } from "../../src/cli/main.ts";

export const FLOE_BIN = path.join(import.meta.dirname, "..", "..", "bin", "floe.js");

/** What one CLI run did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `floe args` as a child process in `cwd`; never rejects (the exit code is in the result). */
export function runFloeProcess(args: string[], cwd?: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [FLOE_BIN, ...args],
      { encoding: "utf8", cwd, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

type Write = typeof process.stdout.write;

/** Runs calls one at a time: output capture replaces the process-wide stdout and stderr writers. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `floe args` in this process and returns its exit code and output (no process start-up per
 * call). Commands write strings; the test runner's own protocol (binary chunks) passes through.
 */
export function runFloeInProcess(args: string[]): Promise<CliRun> {
  const run = queue.then(async () => {
    const captured = { stdout: "", stderr: "" };
    const original = { stdout: process.stdout.write, stderr: process.stderr.write };
    const capture = (stream: "stdout" | "stderr") =>
      ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        if (typeof chunk !== "string")
          return (original[stream] as (...a: unknown[]) => boolean).call(process[stream], chunk, ...rest);
        captured[stream] += chunk;
        return true;
      }) as Write;
    const exitCode = process.exitCode;
    process.stdout.write = capture("stdout");
    process.stderr.write = capture("stderr");
    try {
      const code = await main(args);
      return { code, ...captured };
    } finally {
      process.stdout.write = original.stdout;
      process.stderr.write = original.stderr;
      process.exitCode = exitCode;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
