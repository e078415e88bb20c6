/**
 * Runs the REST catalog app on a Node HTTP server. close() stops accepting connections and
 * resolves once every in-flight request has finished (idle keep-alive connections are dropped at
 * once so they cannot hold shutdown open); onShutdownSignals wires that to SIGTERM/SIGINT.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Catalog } from "../catalog/catalog.ts";
import { createCatalogApp } from "./app.ts";
import type { AuditSink, Authorizer } from "./auth-hooks.ts";
import type { IdempotencyOptions } from "./idempotency.ts";
import { type Logger, silentLogger } from "./logger.ts";

/** Options of startServer. */
export interface StartServerOptions {
  catalog: Catalog;
  /** Default 127.0.0.1: exposing the catalog on other interfaces is a deliberate choice. */
  host?: string;
  /** Default 8181 (the port Iceberg's REST fixtures use); 0 picks a free one. */
  port?: number;
  prefix?: string;
  authorizer?: Authorizer;
  audit?: AuditSink;
  logger?: Logger;
  maxBodyBytes?: number;
  configDefaults?: Record<string, string>;
  configOverrides?: Record<string, string>;
  /** Idempotency-Key support; off when absent. */
  idempotency?: IdempotencyOptions;
  /** How long close() waits for in-flight requests before cutting connections (default 30 s). */
  shutdownGraceMs?: number;
}

/** A running server. */
export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8181 (the port actually bound). */
  url: string;
  /** Stops accepting requests and resolves when in-flight requests are done. Idempotent. */
  close(): Promise<void>;
}

/** Starts the REST catalog server; resolves once it listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? silentLogger;
  const app = createCatalogApp({ ...options, logger });
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8181 }, () =>
      resolve(started as Server),
    ) as Server;
    started.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info({ url, catalog: options.catalog.name, prefix: options.prefix ?? null }, "REST catalog listening");

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      // Requests still running after the grace period are cut off: shutdown must end.
      const deadline = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 30_000);
      server.close((error) => {
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve();
      });
      // Connections waiting for their next request would keep close() pending forever.
      server.closeIdleConnections();
    }).then(() => logger.info({ url }, "REST catalog stopped"));
    return closing;
  };
  return { url, close };
}

/**
 * On the first SIGTERM or SIGINT: closes the server (in-flight requests finish), then runs
 * `afterClose` (e.g. closing the catalog). Returns a function that removes the handlers.
 */
export function onShutdownSignals(server: RunningServer, afterClose: () => Promise<void>, logger: Logger): () => void {
  const handler = (signal: NodeJS.Signals) => {
    remove();
    logger.info({ signal }, "shutting down");
    server
      .close()
      .then(afterClose)
      .catch((error: unknown) => {
        logger.error({ err: (error as Error)?.message }, "shutdown failed");
        process.exitCode = 1;
      });
  };
  const remove = () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return remove;
}
