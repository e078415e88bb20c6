/** Glue for the verbs that change one table: load it as a Table handle inside a command context. */
import type { Command } from "commander";
import { parseTableIdentifier } from "../../catalog/identifiers.ts";
import { FloeError } from "../../core/errors.ts";
import { Table } from "../../table/table.ts";
import type { Context } from "../context.ts";
import { withContext } from "./run.ts";

/**
 * Runs `body` with the table named `name` loaded from the context's catalog. Errors that do not
 * say which table they are about (the schema and partition builders' do not) get its name.
 */
export function withTable<T>(
  command: Command,
  name: string,
  body: (table: Table, context: Context) => Promise<T>,
): Promise<T> {
  return withContext(command, async (context) => {
    const table = await Table.load(await context.catalog(), parseTableIdentifier(name));
    try {
      return await body(table, context);
    } catch (error) {
      if (!(error instanceof FloeError) || error.message.includes(table.name())) throw error;
      throw new FloeError(error.kind, `${table.name()}: ${error.message}`, {
        cause: error,
        retryable: error.retryable,
      });
    }
  });
}
