#!/usr/bin/env node
/**
 * The `floe` command. Global options are shared by every sub-command; errors print one line
 * (kind + message) and exit with the kind's exit code, with a stack trace only under --debug.
 */
import { Command, CommanderError } from "commander";
import { ERROR_KIND_TABLE, FloeError } from "../core/errors.ts";
import { registerAuditCommand } from "./commands/audit.ts";
import { registerClicksCommands } from "./commands/clicks.ts";
import { registerDeleteCommand } from "./commands/delete.ts";
import { registerDemoCommand } from "./commands/demo.ts";
import { registerExpireCommand } from "./commands/expire.ts";
import { registerIngestCommand } from "./commands/ingest.ts";
import { registerMergeCommand } from "./commands/merge.ts";
import { registerNamespaceCommands } from "./commands/namespace.ts";
import { registerPrincipalCommands } from "./commands/principal.ts";
import { registerQueryCommands } from "./commands/query.ts";
import { registerBranchAndTagCommands } from "./commands/refs.ts";
import { registerServeCommand } from "./commands/serve.ts";
import { addServeAuthOptions, serveAuth } from "./commands/serve-auth.ts";
import { registerSnapshotManagementCommands } from "./commands/snapshot-manage.ts";
import { registerSnapshotCommands } from "./commands/snapshots.ts";
import { registerSqlCommand } from "./commands/sql.ts";
import { registerTableCommands } from "./commands/table.ts";
import { registerUpdateCommand } from "./commands/update.ts";
import type { GlobalOptions } from "./context.ts";

export function buildProgram(): Command {
  const program = new Command("floe")
    .description("floe: a lakehouse for event data on Apache Iceberg")
    .option(
      "--warehouse <location>",
      "warehouse directory or s3://bucket/prefix (env FLOE_WAREHOUSE, default ./warehouse)",
    )
    .option(
      "--catalog <uri>",
      "sqlite:PATH | postgres://... | http(s)://REST-URI (env FLOE_CATALOG, default sqlite:<warehouse>/catalog.db)",
    )
    .option("--config <file>", "JSON config file with warehouse, catalog and s3 settings (env FLOE_CONFIG)")
    .option("--s3-endpoint <url>", "S3 endpoint for s3:// warehouses (env FLOE_S3_ENDPOINT)")
    .option("--s3-region <region>", "S3 region (env FLOE_S3_REGION or AWS_REGION)")
    .option("--s3-path-style", "path-style S3 requests, for most S3-compatible stores (env FLOE_S3_PATH_STYLE)")
    .option("--json", "machine-readable JSON output")
    .option("--debug", "print stack traces on errors")
    .showHelpAfterError()
    .exitOverride();
  registerNamespaceCommands(program);
  registerTableCommands(program);
  registerSnapshotCommands(program);
  registerSnapshotManagementCommands(program);
  registerBranchAndTagCommands(program);
  registerExpireCommand(program);
  registerSqlCommand(program);
  registerQueryCommands(program);
  registerClicksCommands(program);
  registerIngestCommand(program);
  registerDeleteCommand(program);
  registerUpdateCommand(program);
  registerMergeCommand(program);
  registerDemoCommand(program);
  addServeAuthOptions(registerServeCommand(program, serveAuth));
  registerPrincipalCommands(program);
  registerAuditCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    // A command that finished but must still fail (e.g. ingest with rejected records) sets process.exitCode.
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const debug = (program.opts() as GlobalOptions).debug;
    if (error instanceof FloeError) {
      process.stderr.write(`error (${error.kind}): ${error.message}\n`);
      if (debug) process.stderr.write(`${error.stack}\n`);
      return ERROR_KIND_TABLE[error.kind].exitCode;
    }
    process.stderr.write(`error (internal): ${(error as Error)?.message ?? String(error)}\n`);
    if (debug) process.stderr.write(`${(error as Error)?.stack}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("cli/main.ts")) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
