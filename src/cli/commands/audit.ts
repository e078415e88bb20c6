/** `floe audit`: the audit log of `floe serve` (mutations and denials), from the catalog database. */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import { openAuthDatabase } from "../../server/auth/auth-database.ts";
import { queryAuditLog } from "../../server/auth/sql-audit-sink.ts";
import { withContext } from "./run.ts";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO-8601 time, a date, or a duration back from now ("30m", "12h", "7d"), as an ISO string. */
export function parseSince(text: string, now = Date.now()): string {
  const relative = /^(\d+)([smhd])$/.exec(text.trim());
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2]]).toISOString();
  const time = new Date(text);
  if (Number.isNaN(time.getTime()))
    throw badInput(
      `--since "${text}" must be an ISO-8601 time (2024-05-01T12:00:00Z), a date or a duration (30m, 12h, 7d)`,
    );
  return time.toISOString();
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isSafeInteger(limit) || limit <= 0) throw badInput(`--limit "${text}" must be a positive integer`);
  return limit;
}

/** Registers `floe audit`. */
export function registerAuditCommand(program: Command): void {
  program
    .command("audit")
    .description("show the audit log of the REST server: mutating calls and denials, oldest first")
    .option("--since <time>", "only events since an ISO time, a date or a duration back (30m, 12h, 7d)")
    .option("--principal <name>", "only events of this principal")
    .option("--limit <n>", "at most the n most recent events", "100")
    .action((options: { since?: string; principal?: string; limit: string }, command: Command) =>
      withContext(command, async (context) => {
        const query = {
          since: options.since === undefined ? undefined : parseSince(options.since),
          principal: options.principal,
          limit: parseLimit(options.limit),
        };
        const dialect = openAuthDatabase(context.catalogUri, context.warehouse);
        try {
          const rows = await queryAuditLog(dialect, query);
          context.output.rows(
            rows.map((row) => ({
              time: row.time,
              principal: row.principal,
              operation: row.operation,
              privilege: row.privilege,
              objects: row.objects,
              outcome: row.outcome,
              status: row.status,
              request_id: row.requestId,
              error: row.error,
            })),
            ["time", "principal", "operation", "objects", "outcome", "status", "request_id", "error"],
          );
        } finally {
          await dialect.close();
        }
      }),
    );
}
