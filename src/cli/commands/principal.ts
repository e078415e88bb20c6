/**
 * `floe principal create|list|delete|grant|revoke|grants`: the principals of `floe serve` and
 * their privileges, kept in the catalog database. `create` prints the client secret once; it is
 * stored only as a hash and cannot be shown again.
 */
import type { Command } from "commander";
import { openAuthDatabase } from "../../server/auth/auth-database.ts";
import { PrincipalStore } from "../../server/auth/principal-store.ts";
import { formatObjectPath, parseObjectPath, parsePrivilege } from "../../server/auth/privileges.ts";
import type { Context } from "../context.ts";
import { withContext } from "./run.ts";

/** Runs `body` with the principal store of the context's catalog database, closing it afterwards. */
async function withStore<T>(context: Context, body: (store: PrincipalStore) => Promise<T>): Promise<T> {
  const dialect = openAuthDatabase(context.catalogUri, context.warehouse);
  try {
    return await body(await PrincipalStore.open(dialect));
  } finally {
    await dialect.close();
  }
}

/** Registers `floe principal ...`. */
export function registerPrincipalCommands(program: Command): void {
  const principal = program
    .command("principal")
    .description("manage the principals (client credentials) and privileges of `floe serve`");

  principal
    .command("create <name>")
    .description("create a principal; prints its client id and secret (the secret is shown only this once)")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, (context) =>
        withStore(context, async (store) => {
          const created = await store.create(name);
          if (context.output.json) context.output.object({ ...created });
          else
            context.output.object({
              principal: created.name,
              client_id: created.clientId,
              client_secret: created.clientSecret,
              credential: `${created.clientId}:${created.clientSecret}`,
              note: "the secret is not stored and cannot be shown again",
            });
        }),
      ),
    );

  principal
    .command("list")
    .description("list principals")
    .action((_options: unknown, command: Command) =>
      withContext(command, (context) =>
        withStore(context, async (store) => {
          const rows = (await store.list()).map((p) => ({ name: p.name, client_id: p.clientId, created: p.createdAt }));
          context.output.rows(rows, ["name", "client_id", "created"]);
        }),
      ),
    );

  principal
    .command("delete <name>")
    .description("delete a principal and its grants (its tokens stop working at once)")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, (context) =>
        withStore(context, async (store) => {
          await store.delete(name);
          context.output.done(`deleted principal ${name}`, { principal: name });
        }),
      ),
    );

  principal
    .command("grant <name> <privilege> <object>")
    .description("grant read|write|admin on catalog, a namespace (a.b) or a table (a.b.t); covers what lies below")
    .action((name: string, privilegeText: string, object: string, _options: unknown, command: Command) =>
      withContext(command, (context) =>
        withStore(context, async (store) => {
          const privilege = parsePrivilege(privilegeText);
          const path = parseObjectPath(object);
          await store.grant(name, privilege, path);
          const shown = formatObjectPath(path);
          context.output.done(`granted ${privilege} on ${shown} to ${name}`, {
            principal: name,
            privilege,
            object: shown,
          });
        }),
      ),
    );

  principal
    .command("revoke <name> <privilege> <object>")
    .description("revoke a grant made with `principal grant`")
    .action((name: string, privilegeText: string, object: string, _options: unknown, command: Command) =>
      withContext(command, (context) =>
        withStore(context, async (store) => {
          const privilege = parsePrivilege(privilegeText);
          const path = parseObjectPath(object);
          await store.revoke(name, privilege, path);
          const shown = formatObjectPath(path);
          context.output.done(`revoked ${privilege} on ${shown} from ${name}`, {
            principal: name,
            privilege,
            object: shown,
          });
        }),
      ),
    );

  principal
    .command("grants [name]")
    .description("list grants (of one principal when named)")
    .action((name: string | undefined, _options: unknown, command: Command) =>
      withContext(command, (context) =>
        withStore(context, async (store) => {
          const rows = (await store.listGrants(name)).map((g) => ({
            principal: g.principal,
            privilege: g.privilege,
            object: g.object,
            granted: g.grantedAt,
          }));
          context.output.rows(rows, ["principal", "privilege", "object", "granted"]);
        }),
      ),
    );
}
