/**
 * One writer process of test/catalog/concurrent-processes.test.ts: appends `commits` snapshots to
 * one table, each tagged with its writer and sequence number, parent = the current snapshot, and
 * main moved to it under an assert-ref-snapshot-id requirement. On commit-conflict it reloads and
 * tries again (the table layer will own this loop later). Prints {"writer", "attempts"} as JSON.
 *
 * Usage: node --import tsx catalog-commit-worker.ts '<json WorkerArgs>'
 */
import { setTimeout as sleep } from "node:timers/promises";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { isFloeError } from "../../src/core/errors.ts";
import { newSnapshotId } from "../../src/core/ids.ts";
import { joinLocation } from "../../src/io/locations.ts";

/** What the parent test passes to each worker. */
export interface WorkerArgs {
  uri: string;
  warehouse: string;
  catalogName: string;
  namespace: string[];
  table: string;
  writer: number;
  commits: number;
}

const MAX_ATTEMPTS_PER_COMMIT = 1000;

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as WorkerArgs;
  const catalog = await openCatalog(args.uri, { warehouse: args.warehouse, name: args.catalogName });
  const identifier = { namespace: args.namespace, name: args.table };
  let attempts = 0;
  try {
    for (let seq = 0; seq < args.commits; seq += 1) {
      for (let attempt = 1; ; attempt += 1) {
        attempts += 1;
        const table = await catalog.loadTable(identifier);
        const metadata = table.metadata;
        const parent = metadata.refs.main?.["snapshot-id"] ?? null;
        const id = newSnapshotId();
        try {
          await catalog.commitTable(
            identifier,
            [{ type: "assert-ref-snapshot-id", ref: "main", "snapshot-id": parent }],
            [
              {
                action: "add-snapshot",
                snapshot: {
                  "snapshot-id": id,
                  ...(parent === null ? {} : { "parent-snapshot-id": parent }),
                  "sequence-number": metadata["last-sequence-number"] + 1n,
                  "timestamp-ms": Date.now(),
                  "manifest-list": joinLocation(metadata.location, "metadata", `snap-${id}.avro`),
                  summary: { operation: "append", writer: String(args.writer), seq: String(seq) },
                  "schema-id": metadata["current-schema-id"],
                },
              },
              { action: "set-snapshot-ref", "ref-name": "main", type: "branch", "snapshot-id": id },
            ],
          );
          break;
        } catch (error) {
          if (!isFloeError(error, "commit-conflict") || attempt >= MAX_ATTEMPTS_PER_COMMIT) throw error;
          // A little jitter so the same writers do not collide in lockstep.
          await sleep(Math.random() * Math.min(20, attempt * 2));
        }
      }
    }
  } finally {
    await catalog.close();
  }
  process.stdout.write(`${JSON.stringify({ writer: args.writer, attempts })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`writer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
