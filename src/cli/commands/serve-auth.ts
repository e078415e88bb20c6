/**
 * Auth for `floe serve`: the ServeAuthFactory that gives the server its Authorizer and audit sink
 * from the catalog database, plus the options it reads. Wire it as
 * `addServeAuthOptions(registerServeCommand(program, serveAuth))`.
 */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import type { ServeAuthFactory } from "./serve.ts";

/** Adds --no-auth and --token-ttl to the serve command. */
export function addServeAuthOptions(serve: Command): Command {
  return serve
    .option("--no-auth", "serve without authentication (only allowed on a loopback host); calls are still audited")
    .option("--token-ttl <seconds>", "lifetime of issued access tokens", "3600");
}

/** Builds the server's auth from the catalog database; tokens are signed with FLOE_AUTH_SECRET or a stored secret. */
export const serveAuth: ServeAuthFactory = async (options, context) => {
  const extra = options as unknown as { auth?: boolean; tokenTtl?: string };
  const ttl = Number(extra.tokenTtl ?? "3600");
  if (!Number.isSafeInteger(ttl) || ttl <= 0)
    throw badInput(`--token-ttl must be a positive number of seconds, got "${extra.tokenTtl}"`);
  // Stays open for the life of the server process.
  // Loaded only when the server starts, so other commands start fast.
  const { openAuthDatabase } = await import("../../server/auth/auth-database.ts");
  const { createServerAuth } = await import("../../server/auth/server-auth.ts");
  const { SqlIdempotencyStore } = await import("../../server/idempotency-store.ts");
  const dialect = openAuthDatabase(context.catalogUri, context.warehouse);
  const { authorizer, auditSink } = await createServerAuth({
    dialect,
    host: options.host,
    noAuth: extra.auth === false,
    tokenTtlSeconds: ttl,
    onAuditError: (error) => process.stderr.write(`audit log write failed: ${(error as Error)?.message}\n`),
  });
  const idempotency = { store: await SqlIdempotencyStore.open(dialect) };
  return { authorizer, audit: auditSink, idempotency, close: () => dialect.close() };
};
