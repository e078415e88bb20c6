/** Glue between commander actions and a Context that is always closed afterwards. */
import type { Command } from "commander";
import { badInput } from "../../core/errors.ts";
import { type Context, type GlobalOptions, createContext } from "../context.ts";

/** Runs `body` with a context built from the command's global options, closing it afterwards. */
export async function withContext<T>(command: Command, body: (context: Context) => Promise<T>): Promise<T> {
  const context = createContext(command.optsWithGlobals() as GlobalOptions);
  try {
    return await body(context);
  } finally {
    await context.close();
  }
}

/** Collects a repeatable option into an array. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Parses repeated "key=value" options into a record. */
export function parseProperties(pairs: string[] = []): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw badInput(`property must be key=value: "${pair}"`);
    properties[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return properties;
}
