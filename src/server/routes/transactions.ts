/**
 * POST /v1/{prefix}/transactions/commit: several tables' commits, all or nothing, through the
 * catalog's commitTransaction (one database transaction in the SQL catalog).
 */
import type { Hono } from "hono";
import { badInput } from "../../core/errors.ts";
import type { TableCommit } from "../../catalog/catalog.ts";
import { type RouteDeps, type ServerEnv, authorize, operation } from "../context.ts";
import { RestError } from "../errors.ts";
import { asObject, parseBody, tableIdentifierFromJson } from "../request.ts";
import { parseCommitChanges } from "./tables.ts";

/** Registers the multi-table transaction route on `app`. */
export function registerTransactionRoutes(app: Hono<ServerEnv>, deps: RouteDeps): void {
  const { catalog } = deps;

  app.post("/transactions/commit", async (c) => {
    operation(c, "commitTransaction", { notFound: "NoSuchTableException", commit: true });
    const where = "commit transaction request";
    const body = asObject(parseBody(await c.req.text(), "commit transaction"), where);
    const changes = body["table-changes"];
    if (!Array.isArray(changes)) throw badInput(`${where}: table-changes must be an array`);
    const commits: TableCommit[] = changes.map((change, i) => {
      const at = `${where} table-changes[${i}]`;
      const obj = asObject(change, at);
      if (obj.identifier === undefined || obj.identifier === null) throw badInput(`${at}: identifier is required`);
      return {
        identifier: tableIdentifierFromJson(obj.identifier, `${at} identifier`),
        ...parseCommitChanges(obj, at),
      };
    });
    await authorize(
      c,
      deps,
      "write",
      ...commits.map((commit) => ({ namespace: commit.identifier.namespace, table: commit.identifier.name })),
    );
    if (catalog.commitTransaction !== undefined) {
      await catalog.commitTransaction(commits);
    } else if (commits.length === 1) {
      await catalog.commitTable(commits[0].identifier, commits[0].requirements, commits[0].updates);
    } else if (commits.length > 1) {
      throw new RestError(
        406,
        "UnsupportedOperationException",
        `catalog ${catalog.name} cannot commit several tables atomically`,
      );
    }
    return c.body(null, 204);
  });
}
