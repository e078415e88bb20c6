/**
 * `floe snapshot rollback|rollback-to-time|set-current|cherry-pick`: moving a table's main branch
 * (Spark's CALL rollback_to_snapshot / rollback_to_timestamp / set_current_snapshot /
 * cherrypick_snapshot). Listing stays `floe snapshots`; the singular `snapshot` groups the verbs
 * that act on one snapshot, like `branch` and `tag` act on one ref.
 */
import type { Command } from "commander";
import { MAIN_BRANCH } from "../../spec/snapshot.ts";
import type { Table } from "../../table/table.ts";
import type { Output } from "../output.ts";
import { parseTimeOrAgo, snapshotIdArg } from "./admin-args.ts";
import { withTable } from "./with-table.ts";

const headOf = (table: Table, branch: string): bigint | null => table.refs()[branch]?.["snapshot-id"] ?? null;

/** Reports where `branch` pointed before and after a change. */
function reportMove(output: Output, table: Table, verb: string, branch: string, before: bigint | null): void {
  const after = headOf(table, branch);
  const where = branch === MAIN_BRANCH ? table.name() : `${table.name()} branch ${branch}`;
  output.done(`${verb} ${where}: current snapshot ${after} (was ${before ?? "none"})`, {
    table: table.name(),
    branch,
    "snapshot-id": after,
    "previous-snapshot-id": before,
  });
}

export function registerSnapshotManagementCommands(program: Command): void {
  const snapshot = program
    .command("snapshot")
    .description("move a table's current snapshot: rollback, set-current, cherry-pick (list: floe snapshots)");

  snapshot
    .command("rollback <table> <snapshot-id>")
    .description("roll main back to an ancestor of its current snapshot")
    .action((name: string, id: string, _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const before = headOf(t, MAIN_BRANCH);
        await t.manageSnapshots().rollbackTo(snapshotIdArg(id)).commit();
        reportMove(output, t, "rolled back", MAIN_BRANCH, before);
      }),
    );

  snapshot
    .command("rollback-to-time <table> <timestamp>")
    .description(
      "roll main back to its latest ancestor committed before a time: ISO timestamp (UTC unless an offset is given), epoch ms, or a duration ago (30m, 2h)",
    )
    .action((name: string, timestamp: string, _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const before = headOf(t, MAIN_BRANCH);
        await t.manageSnapshots().rollbackToTime(parseTimeOrAgo(timestamp, "timestamp")).commit();
        reportMove(output, t, "rolled back", MAIN_BRANCH, before);
      }),
    );

  snapshot
    .command("set-current <table> <snapshot-id>")
    .description("make any snapshot of the table main's current one (also one that is not an ancestor)")
    .action((name: string, id: string, _options: unknown, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const before = headOf(t, MAIN_BRANCH);
        await t.manageSnapshots().setCurrentSnapshot(snapshotIdArg(id)).commit();
        reportMove(output, t, "set", MAIN_BRANCH, before);
      }),
    );

  snapshot
    .command("cherry-pick <table> <snapshot-id>")
    .description(
      "apply an append snapshot that is not on the branch (e.g. one rolled back or staged) onto main or --branch",
    )
    .option("--branch <name>", "the branch to apply it to", MAIN_BRANCH)
    .action((name: string, id: string, options: { branch: string }, command: Command) =>
      withTable(command, name, async (t, { output }) => {
        const source = snapshotIdArg(id);
        const before = headOf(t, options.branch);
        await t.manageSnapshots().cherrypick(source, options.branch).commit();
        const after = headOf(t, options.branch);
        // The parent was the branch head: the branch simply moved to the picked snapshot.
        const fastForward = after === source;
        const where = options.branch === MAIN_BRANCH ? name : `${name} branch ${options.branch}`;
        output.done(
          fastForward
            ? `cherry-picked snapshot ${source} onto ${where} by fast-forward: current snapshot ${after} (was ${before ?? "none"})`
            : `cherry-picked snapshot ${source} onto ${where} as new snapshot ${after} (was ${before ?? "none"})`,
          {
            table: name,
            branch: options.branch,
            "source-snapshot-id": source,
            "snapshot-id": after,
            "previous-snapshot-id": before,
            "fast-forward": fastForward,
          },
        );
      }),
    );
}
