/** `floe namespace create|list|describe|drop`. */
import type { Command } from "commander";
import { parseNamespace } from "../../catalog/identifiers.ts";
import { collect, parseProperties, withContext } from "./run.ts";

export function registerNamespaceCommands(program: Command): void {
  const namespace = program.command("namespace").description("manage namespaces");

  namespace
    .command("create <namespace>")
    .description("create a namespace (dotted for nesting: a.b)")
    .option("-p, --property <key=value>", "namespace property (repeatable)", collect)
    .action((name: string, options: { property?: string[] }, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        await (await catalog()).createNamespace(parseNamespace(name), parseProperties(options.property));
        output.done(`created namespace ${name}`, { namespace: name });
      }),
    );

  namespace
    .command("list [parent]")
    .description("list namespaces (children of parent when given)")
    .action((parent: string | undefined, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const list = await (await catalog()).listNamespaces(parent ? parseNamespace(parent) : undefined);
        output.rows(list.map((ns) => ({ namespace: ns.join(".") })));
      }),
    );

  namespace
    .command("describe <namespace>")
    .description("show a namespace's properties")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const properties = await (await catalog()).loadNamespaceProperties(parseNamespace(name));
        output.object({ namespace: name, properties });
      }),
    );

  namespace
    .command("drop <namespace>")
    .description("drop an empty namespace")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        await (await catalog()).dropNamespace(parseNamespace(name));
        output.done(`dropped namespace ${name}`, { namespace: name });
      }),
    );
}
