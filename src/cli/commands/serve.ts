/**
 * `floe serve`: the Iceberg REST catalog over the configured catalog (SQLite by default,
 * PostgreSQL for shared deployments), until SIGTERM/SIGINT; in-flight requests finish first.
 */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import type { AuditSink, Authorizer } from "../../server/auth-hooks.ts";
import type { IdempotencyOptions } from "../../server/idempotency.ts";
import type { LoggerOptions } from "../../server/logger.ts";
import type { Context } from "../context.ts";
import { withContext } from "./run.ts";

/** Options of `floe serve`. */
export interface ServeCommandOptions {
  host: string;
  port: string;
  prefix?: string;
  logLevel: string;
  maxBodyMb: string;
}

/** Supplies auth for the server (wired by the auth module); absent means allow-all, no audit. */
export type ServeAuthFactory = (
  options: ServeCommandOptions,
  context: Context,
) => Promise<{
  authorizer?: Authorizer;
  audit?: AuditSink /** releases what auth holds open (its database) */;
  /** Idempotency-Key support, its keys kept in the same database. */
  idempotency?: IdempotencyOptions;
  close?: () => Promise<void>;
}>;

const LOG_LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

function positiveInteger(text: string, what: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 0 || value > max)
    throw badInput(`${what} must be an integer from 0 to ${max}, got "${text}"`);
  return value;
}

/** Registers `floe serve`; `auth` (optional) configures authentication, authorization and audit. */
export function registerServeCommand(program: Command, auth?: ServeAuthFactory): Command {
  return program
    .command("serve")
    .description("serve the catalog as an Iceberg REST catalog (Spark, Trino, PyIceberg)")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on", "8181")
    .option("--prefix <prefix>", "also serve the routes under /v1/<prefix>/ and advertise it in /v1/config")
    .option("--log-level <level>", "fatal|error|warn|info|debug|trace|silent", "info")
    .option("--max-body-mb <mb>", "largest accepted request body in MiB", "8")
    .action((options: ServeCommandOptions, command: Command) =>
      withContext(command, async (context) => {
        if (!LOG_LEVELS.has(options.logLevel)) throw badInput(`unknown log level "${options.logLevel}"`);
        // The server stack loads only for this command, keeping every other command's start fast.
        const { createLogger } = await import("../../server/logger.ts");
        const { onShutdownSignals, startServer } = await import("../../server/serve.ts");
        const logger = createLogger({ level: options.logLevel as LoggerOptions["level"] });
        const { close: closeAuth, ...hooks } = auth === undefined ? {} : await auth(options, context);
        const server = await startServer({
          catalog: await context.catalog(),
          host: options.host,
          port: positiveInteger(options.port, "--port", 65535),
          prefix: options.prefix,
          maxBodyBytes: positiveInteger(options.maxBodyMb, "--max-body-mb", 1024) * 1024 * 1024,
          logger,
          ...hooks,
        });
        // Runs until a signal: the server drains, then withContext closes the catalog.
        await new Promise<void>((resolve) => {
          onShutdownSignals(server, async () => resolve(), logger);
        });
        // An open pool would keep the process alive until its idle timeout.
        await closeAuth?.();
      }),
    );
}
