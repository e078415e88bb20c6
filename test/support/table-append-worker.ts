/**
 * A writer process of test/table/multi-process.test.ts, appending through the table layer to a
 * table of a SQLite catalog.
 *
 * mode "append": `commits` appends of one data file each (path `<prefix>-<i>.parquet`), relying on
 *   the table layer's retry loop; prints {"writer", "snapshots"} as JSON when done.
 * mode "crash": prepares one append (its manifest and manifest list are written), prints
 *   {"ready": true, "manifestList": ...} just before the catalog commit would happen, then waits
 *   forever for the parent to SIGKILL it.
 *
 * Usage: node --import tsx table-append-worker.ts '<json TableWorkerArgs>'
 */
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { Table } from "../../src/table/table.ts";
import { dataFile } from "../table/fixtures.ts";

/** What the parent test passes to each worker. */
export interface TableWorkerArgs {
  mode: "append" | "crash";
  uri: string;
  warehouse: string;
  namespace: string[];
  table: string;
  prefix: string;
  commits: number;
}

/** The catalog, except that commitTable announces itself and never returns. */
function stallingCatalog(inner: Catalog): Catalog {
  const catalog = Object.create(inner) as Catalog;
  catalog.commitTable = async (_identifier, _requirements, updates) => {
    const added = updates.find((update) => update.action === "add-snapshot");
    const manifestList = added?.action === "add-snapshot" ? added.snapshot["manifest-list"] : undefined;
    process.stdout.write(`${JSON.stringify({ ready: true, manifestList })}\n`);
    return new Promise(() => {});
  };
  return catalog;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as TableWorkerArgs;
  const catalog = await openCatalog(args.uri, { warehouse: args.warehouse });
  const identifier = { namespace: args.namespace, name: args.table };
  if (args.mode === "crash") {
    const table = await Table.load(stallingCatalog(catalog), identifier);
    await table
      .newAppend()
      .appendFile(dataFile(`${args.prefix}-0.parquet`))
      .commit();
    return;
  }
  const table = await Table.load(catalog, identifier);
  const snapshots: string[] = [];
  for (let i = 0; i < args.commits; i++) {
    await table
      .newAppend()
      .appendFile(dataFile(`${args.prefix}-${i}.parquet`))
      .commit();
    snapshots.push(String(table.currentSnapshot()!["snapshot-id"]));
  }
  await catalog.close();
  process.stdout.write(`${JSON.stringify({ writer: args.prefix, snapshots })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
