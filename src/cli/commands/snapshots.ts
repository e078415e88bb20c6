/** `floe snapshots`, `floe history` and `floe files`: what a table holds and how it got there. */
import type { Command } from "commander";
import { parseTableIdentifier } from "../../catalog/identifiers.ts";
import { notFound } from "../../core/errors.ts";
import { toBigInt } from "../../core/json.ts";
import { readManifest, readManifestList } from "../../manifest/index.ts";
import { DataFileContent, ManifestEntryStatus } from "../../manifest/types.ts";
import type { TableMetadata } from "../../spec/table-metadata.ts";
import { withContext } from "./run.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** Snapshot ids on the current branch's ancestry, for marking history entries. */
function currentAncestors(metadata: TableMetadata): Set<bigint> {
  const byId = new Map(metadata.snapshots.map((s) => [s["snapshot-id"], s]));
  const ancestors = new Set<bigint>();
  for (let id = metadata["current-snapshot-id"]; id !== null && id !== undefined; ) {
    ancestors.add(id);
    id = byId.get(id)?.["parent-snapshot-id"] ?? null;
  }
  return ancestors;
}

const CONTENT_NAMES: Record<DataFileContent, string> = {
  [DataFileContent.Data]: "data",
  [DataFileContent.PositionDeletes]: "position-deletes",
  [DataFileContent.EqualityDeletes]: "equality-deletes",
};

export function registerSnapshotCommands(program: Command): void {
  program
    .command("snapshots <table>")
    .description("list a table's snapshots with their operation and summary")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const { metadata } = await (await catalog()).loadTable(parseTableIdentifier(name));
        const refsBySnapshot = new Map<bigint, string[]>();
        for (const [ref, r] of Object.entries(metadata.refs)) {
          refsBySnapshot.set(r["snapshot-id"], [...(refsBySnapshot.get(r["snapshot-id"]) ?? []), ref]);
        }
        output.rows(
          metadata.snapshots.map((s) => ({
            "snapshot-id": s["snapshot-id"],
            "parent-id": s["parent-snapshot-id"] ?? null,
            "sequence-number": s["sequence-number"],
            committed: iso(s["timestamp-ms"]),
            operation: s.summary.operation,
            "added-records": s.summary["added-records"] ?? "0",
            "total-records": s.summary["total-records"] ?? "",
            refs: (refsBySnapshot.get(s["snapshot-id"]) ?? []).join(","),
          })),
        );
      }),
    );

  program
    .command("history <table>")
    .description("the table's snapshot log: which snapshot was current when")
    .action((name: string, _options: unknown, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const { metadata } = await (await catalog()).loadTable(parseTableIdentifier(name));
        const ancestors = currentAncestors(metadata);
        output.rows(
          metadata["snapshot-log"].map((entry) => ({
            "made-current-at": iso(entry["timestamp-ms"]),
            "snapshot-id": entry["snapshot-id"],
            "is-current-ancestor": ancestors.has(entry["snapshot-id"]),
          })),
        );
      }),
    );

  program
    .command("files <table>")
    .description("list the live data and delete files of the current (or a given) snapshot")
    .option("--snapshot <id>", "snapshot id (default: current)")
    .action((name: string, options: { snapshot?: string }, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const loaded = await (await catalog()).loadTable(parseTableIdentifier(name));
        const { metadata } = loaded;
        const snapshotId = options.snapshot
          ? toBigInt(options.snapshot, "--snapshot")
          : metadata["current-snapshot-id"];
        if (snapshotId === null) return output.rows([]);
        const snapshot = metadata.snapshots.find((s) => s["snapshot-id"] === snapshotId);
        if (!snapshot?.["manifest-list"]) throw notFound(`table ${name}: snapshot ${snapshotId} not found`);
        const rows = [];
        for (const manifest of await readManifestList(loaded.io, snapshot["manifest-list"])) {
          for (const entry of await readManifest(loaded.io, manifest)) {
            if (entry.status === ManifestEntryStatus.Deleted) continue;
            const file = entry.dataFile;
            rows.push({
              content: CONTENT_NAMES[file.content],
              path: file.filePath,
              format: file.fileFormat,
              partition: file.partition,
              records: file.recordCount,
              bytes: file.fileSizeInBytes,
              "sequence-number": entry.sequenceNumber,
            });
          }
        }
        output.rows(rows);
      }),
    );
}
