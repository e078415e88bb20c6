/**
 * `floe branch create|drop|list` and `floe tag create|drop|list` (Spark's ALTER TABLE ... CREATE
 * BRANCH / TAG). A branch or tag keeps its snapshots from expiry per its retention settings and can
 * be read with `floe sql --ref NAME` or `AT (VERSION => 'NAME')`.
 */
import type { Command } from "commander";
import type { RefType } from "../../spec/snapshot.ts";
import type { RefRetention } from "../../table/ref-updates.ts";
import type { Table } from "../../table/table.ts";
import { parseDuration, positiveIntArg, snapshotIdArg } from "./admin-args.ts";
import { withTable } from "./with-table.ts";

interface CreateOptions {
  snapshot?: string;
  minSnapshotsToKeep?: string;
  maxSnapshotAge?: string;
  maxRefAge?: string;
}

/** The refs of one type as rows, with their retention (empty cells: the table's defaults apply). */
function refRows(table: Table, type: RefType) {
  return Object.entries(table.refs())
    .filter(([, ref]) => ref.type === type)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, ref]) => ({
      [type]: name,
      "snapshot-id": ref["snapshot-id"],
      ...(type === "branch"
        ? {
            "min-snapshots-to-keep": ref["min-snapshots-to-keep"] ?? null,
            "max-snapshot-age-ms": ref["max-snapshot-age-ms"] ?? null,
          }
        : {}),
      "max-ref-age-ms": ref["max-ref-age-ms"] ?? null,
    }));
}

function retentionFrom(options: CreateOptions): RefRetention {
  const retention: RefRetention = {};
  if (options.minSnapshotsToKeep !== undefined)
    retention.minSnapshotsToKeep = positiveIntArg(options.minSnapshotsToKeep, "--min-snapshots-to-keep");
  if (options.maxSnapshotAge !== undefined)
    retention.maxSnapshotAgeMs = parseDuration(options.maxSnapshotAge, "--max-snapshot-age");
  if (options.maxRefAge !== undefined) retention.maxRefAgeMs = parseDuration(options.maxRefAge, "--max-ref-age");
  return retention;
}

function registerRefCommands(program: Command, type: RefType): void {
  const plural = type === "branch" ? "branches" : "tags";
  const group = program.command(type).description(`create, drop and list a table's ${plural}`);
  const create = group
    .command(`create <table> <name>`)
    .description(`create a ${type} at a snapshot (default: the current one)`)
    .option("--snapshot <id>", "the snapshot it points at (default: the table's current snapshot)");
  if (type === "branch")
    create
      .option("--min-snapshots-to-keep <n>", "snapshots of the branch expiry always keeps")
      .option("--max-snapshot-age <duration>", "expiry keeps the branch's snapshots younger than this (7d, 12h, ...)");
  create
    .option("--max-ref-age <duration>", `expiry drops the ${type} itself once its snapshot is older than this`)
    .action((name: string, refName: string, options: CreateOptions, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const snapshotId = options.snapshot === undefined ? undefined : snapshotIdArg(options.snapshot, "--snapshot");
        const retention = retentionFrom(options);
        const update = t.manageSnapshots();
        if (type === "branch") update.createBranch(refName, snapshotId, retention);
        else update.createTag(refName, snapshotId, retention);
        await update.commit();
        const ref = t.refs()[refName];
        output.done(`created ${type} ${refName} of ${name} at snapshot ${ref["snapshot-id"]}`, {
          table: name,
          [type]: refName,
          "snapshot-id": ref["snapshot-id"],
          ref,
        });
      }),
    );

  group
    .command(`drop <table> <name>`)
    .description(`drop a ${type} (its snapshots stay until expiry finds them unreferenced)`)
    .action((name: string, refName: string, _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const snapshotId = t.refs()[refName]?.["snapshot-id"] ?? null;
        const update = t.manageSnapshots();
        if (type === "branch") update.removeBranch(refName);
        else update.removeTag(refName);
        await update.commit();
        output.done(`dropped ${type} ${refName} of ${name} (it pointed at snapshot ${snapshotId})`, {
          table: name,
          [type]: refName,
          "snapshot-id": snapshotId,
        });
      }),
    );

  group
    .command("list <table>")
    .description(`list the table's ${plural} with their snapshots and retention`)
    .action((name: string, _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => output.rows(refRows(t, type))),
    );
}

export function registerBranchAndTagCommands(program: Command): void {
  registerRefCommands(program, "branch");
  registerRefCommands(program, "tag");
}
