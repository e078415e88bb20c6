/**
 * `floe expire-snapshots`: removes old snapshots from a table's metadata through the table layer's
 * ExpireSnapshots (ref retention honoured: branch heads, tags and each branch's
 * min-snapshots-to-keep / max-snapshot-age survive), then deletes the manifest lists, manifests and
 * data/delete files that no remaining snapshot references, as Spark's CALL expire_snapshots does.
 * The table layer only reports those files, so deleting them happens here; --keep-files (or the
 * table property gc.enabled=false, for tables whose files other tables may share) leaves them.
 */
import type { Command } from "commander";
import { ioError } from "../../core/errors.ts";
import { selectSnapshotsToExpire } from "../../spec/expire-snapshots.ts";
import { GC_ENABLED, GC_ENABLED_DEFAULT, propertyBool } from "../../spec/table-properties.ts";
import type { ExpireSnapshotsResult } from "../../table/expire-snapshots.ts";
import type { Table } from "../../table/table.ts";
import type { Output } from "../output.ts";
import { parseTimeOrAgo, positiveIntArg, snapshotIdArg } from "./admin-args.ts";
import { collect } from "./run.ts";
import { withTable } from "./with-table.ts";

interface ExpireOptions {
  olderThan?: string;
  retainLast?: string;
  snapshot?: string[];
  dryRun?: boolean;
  keepFiles?: boolean;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/** The builder's knobs from the flags; without any, the table's history.expire.* properties decide. */
function expiryOptions(options: ExpireOptions) {
  return {
    olderThanMs: options.olderThan === undefined ? undefined : parseTimeOrAgo(options.olderThan, "--older-than"),
    retainLast: options.retainLast === undefined ? undefined : positiveIntArg(options.retainLast, "--retain-last"),
    snapshotIds: options.snapshot?.map((id) => snapshotIdArg(id, "--snapshot")),
  };
}

/** What to say about the files only expired snapshots referenced: deleted, or left and why. */
function fileReport(result: ExpireSnapshotsResult, deleted: boolean, reason: string): string {
  const files = `${count(result.dataFiles.length, "data/delete file")}, ${count(result.manifests.length, "manifest")}, ${count(result.manifestLists.length, "manifest list")}`;
  return deleted
    ? `deleted the files only expired snapshots referenced: ${files}`
    : `left the files only expired snapshots referenced in place (${reason}): ${files}`;
}

async function deleteUnreferenced(table: Table, result: ExpireSnapshotsResult): Promise<void> {
  // Data first, lists last: a failure part-way leaves nothing that points at a missing file.
  for (const paths of [result.dataFiles, result.manifests, result.manifestLists]) {
    try {
      await table.io.deleteMany(paths);
    } catch (error) {
      throw ioError(
        `${table.name()}: snapshots ${result.expiredSnapshotIds.join(", ")} were expired, but deleting their unreferenced files failed (${(error as Error).message}); the files are orphans now`,
        error,
      );
    }
  }
}

function dryRun(table: Table, options: ExpireOptions, output: Output): void {
  const selection = selectSnapshotsToExpire(table.metadata, expiryOptions(options));
  const kept = table.snapshots().length - selection.snapshotIds.length;
  const refs = selection.refsToRemove.length ? `; would remove refs ${selection.refsToRemove.join(", ")}` : "";
  output.done(
    `would expire ${count(selection.snapshotIds.length, "snapshot")} of ${table.name()} (${kept} kept)${refs}\ndry run: nothing committed or deleted`,
    {
      table: table.name(),
      "dry-run": true,
      "expired-snapshot-ids": selection.snapshotIds,
      "removed-refs": selection.refsToRemove,
      "snapshots-kept": kept,
    },
  );
}

export function registerExpireCommand(program: Command): void {
  program
    .command("expire-snapshots <table>")
    .description(
      "remove old snapshots (refs' retention honoured) and delete the files only they referenced; without options the table's history.expire.* properties decide (default: older than 5 days, keep 1)",
    )
    .option(
      "--older-than <time>",
      "expire snapshots older than this: a timestamp (ISO or epoch ms) or a duration (7d, 12h)",
    )
    .option("--retain-last <n>", "keep at least the newest N snapshots of each branch")
    .option("--snapshot <id>", "expire this snapshot (repeatable; alone, only these are expired)", collect)
    .option("--dry-run", "show what would be expired; commit and delete nothing")
    .option("--keep-files", "only remove snapshots from the metadata; leave their files in place")
    .action((name: string, options: ExpireOptions, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        if (options.dryRun) return dryRun(t, options, output);
        const { olderThanMs, retainLast, snapshotIds } = expiryOptions(options);
        const expire = t.expireSnapshots();
        if (olderThanMs !== undefined) expire.expireOlderThan(olderThanMs);
        if (retainLast !== undefined) expire.retainLast(retainLast);
        for (const id of snapshotIds ?? []) expire.expireSnapshotId(id);
        const result = await expire.commitWithResult();
        const gcEnabled = propertyBool(t.properties(), GC_ENABLED, GC_ENABLED_DEFAULT);
        const deleting = !options.keepFiles && gcEnabled && result.expiredSnapshotIds.length > 0;
        if (deleting) await deleteUnreferenced(t, result);
        const refs = result.removedRefs.length ? `; removed refs ${result.removedRefs.join(", ")}` : "";
        const kept = t.snapshots().length;
        const lines = [
          result.expiredSnapshotIds.length
            ? `expired ${count(result.expiredSnapshotIds.length, "snapshot")} of ${name} (${kept} kept)${refs}`
            : `no snapshot of ${name} to expire (${kept} kept)${refs}`,
        ];
        if (result.expiredSnapshotIds.length > 0)
          lines.push(fileReport(result, deleting, options.keepFiles ? "--keep-files" : `${GC_ENABLED}=false`));
        output.done(lines.join("\n"), {
          table: name,
          "dry-run": false,
          "expired-snapshot-ids": result.expiredSnapshotIds,
          "removed-refs": result.removedRefs,
          "snapshots-kept": kept,
          "files-deleted": deleting,
          "data-files": result.dataFiles,
          manifests: result.manifests,
          "manifest-lists": result.manifestLists,
        });
      }),
    );
}
