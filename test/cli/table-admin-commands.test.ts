// Drives the floe CLI (its real entry point, in-process: a spawn per command would cost a second
// of startup each) against a temporary warehouse (SQLite catalog): table properties and rename,
// schema and partition evolution, sort orders, rollback / set-current / cherry-pick, branches and
// tags, and snapshot expiry. Effects are checked through `table describe`, `snapshots`, `files`
// and `sql`. One test spawns bin/floe.js to check the verbs and exit codes through the binary.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseJson } from "../../src/core/json.ts";
import { type CliRun, runFloeInProcess, runFloeProcess } from "../support/floe-cli.ts";

type Run = CliRun;

type JsonRow = Record<string, unknown>;

describe("floe table administration verbs", () => {
  let dir: string;
  let warehouse: string;
  const floe = (...args: string[]): Promise<Run> => runFloeInProcess(["--warehouse", warehouse, ...args]);
  const spawnFloe = (...args: string[]): Promise<Run> => runFloeProcess(["--warehouse", warehouse, ...args], dir);
  const ok = async (...args: string[]): Promise<Run> => {
    const run = await floe(...args);
    assert.equal(run.code, 0, `floe ${args.join(" ")}: ${run.stderr}`);
    return run;
  };
  const json = async (...args: string[]) => parseJson((await ok("--json", ...args)).stdout) as JsonRow;
  const describeTable = (table: string) => json("table", "describe", table);
  /** A query's rows. Through a file: sql streams its stdout result as bytes, which the capture passes by. */
  let results = 0;
  const sql = async (query: string, ...flags: string[]) => {
    const file = path.join(dir, `result-${results++}.json`);
    await ok("sql", query, ...flags, "--format", "json", "--output", file);
    return parseJson(readFileSync(file, "utf8")) as unknown as JsonRow[];
  };
  const ids = async (table: string, ...flags: string[]) =>
    (await sql(`SELECT id FROM ${table} ORDER BY id`, ...flags)).map((row) => Number(row.id));
  const snapshots = async (table: string) => (await json("snapshots", table)) as unknown as JsonRow[];
  /** An error: the exit code, and exactly one line on stderr matching `message`. */
  const fails = async (code: number, message: RegExp, ...args: string[]) => {
    const run = await floe(...args);
    assert.equal(run.code, code, `floe ${args.join(" ")}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^error \([a-z-]+\): [^\n]*\n$/, `one line: ${run.stderr}`);
    assert.match(run.stderr, message);
  };
  /** Writes rows as an NDJSON file and ingests it: one new snapshot. */
  let files = 0;
  const ingest = async (table: string, rows: JsonRow[]) => {
    const file = path.join(dir, `rows-${files++}.ndjson`);
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n"));
    await ok("ingest", table, file);
  };
  /** A table (id long required, v string) with one snapshot per id, oldest first. */
  const historyTable = async (table: string, rowIds: number[]) => {
    await ok("table", "create", table, "--schema", "id long required, v string");
    for (const id of rowIds) await ingest(table, [{ id, v: `r${id}` }]);
    return (await snapshots(table)).map((s) => s["snapshot-id"] as bigint);
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "floe-cli-admin-"));
    warehouse = path.join(dir, "warehouse");
    await ok("namespace", "create", "adm");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("set and unset properties, rename a table", async () => {
    await ok("table", "create", "adm.props", "--schema", "id long", "--property", "keep=1");
    const set = await ok("table", "set", "adm.props", "owner=ops", "write.delete.mode=merge-on-read");
    assert.equal(set.stdout, "set 2 properties on adm.props\n");
    const unset = await json("table", "unset", "adm.props", "owner", "never.set");
    assert.deepEqual(unset.removed, ["owner"]);
    assert.deepEqual(unset["not-set"], ["never.set"]);
    const properties = (await describeTable("adm.props")).properties as Record<string, string>;
    assert.equal(properties.keep, "1");
    assert.equal(properties["write.delete.mode"], "merge-on-read");
    assert.equal(properties.owner, undefined);

    const renamed = await json("table", "rename", "adm.props", "adm.settings");
    assert.deepEqual(
      { ...renamed },
      { ok: true, message: "renamed table adm.props to adm.settings", from: "adm.props", to: "adm.settings" },
    );
    const [list, moved] = await Promise.all([json("table", "list", "adm"), describeTable("adm.settings")]);
    assert.deepEqual(list, [{ table: "adm.settings" }]);
    assert.equal((moved.properties as Record<string, string>).keep, "1");
    await Promise.all([
      fails(6, /adm\.props/, "table", "describe", "adm.props"),
      fails(2, /key=value/, "table", "set", "adm.settings", "novalue"),
      fails(2, /not key=value/, "table", "unset", "adm.settings", "a=b"),
      fails(2, /reserved/, "table", "set", "adm.settings", "format-version=1"),
    ]);
  });

  test("schema evolution: add, rename, widen, drop columns; old rows read new columns as null", async () => {
    const table = "adm.people";
    await ok(
      "table",
      "create",
      table,
      "--schema",
      "id long required, name string, score int, price decimal(6,2), place struct<lat double, lon double>",
    );
    await ingest(table, [
      { id: 1, name: "ann", score: 1, price: "1.50", place: { lat: 1, lon: 2 } },
      { id: 2, name: "bob", score: 2, price: "2.50" },
    ]);
    const added = await json("table", "add-column", table, "country", "string", "--doc", "ISO code", "--after", "name");
    assert.deepEqual([added.changed, added["schema-id"], added["previous-schema-id"]], [true, 1, 0]);
    assert.equal(added.message, "added column country string in adm.people: schema 1 (was 0)");
    await ok("table", "add-column", table, "place.alt", "double");
    await ok("table", "rename-column", table, "place.lat", "latitude");
    await ok("table", "alter-column", table, "score", "--type", "long");
    await ok("table", "alter-column", table, "price", "--type", "decimal(10,2)", "--doc", "in EUR");
    await ok("table", "alter-column", table, "id", "--optional");
    const dropped = await ok("table", "drop-column", table, "name");
    assert.equal(dropped.stdout, "dropped column name in adm.people: schema 7 (was 6)\n");
    // A value only the widened types can hold, written after the evolution.
    await ingest(table, [
      { id: 3, country: "DE", score: 3_000_000_000, price: "12345678.50", place: { latitude: 5, lon: 6, alt: 7 } },
    ]);

    const [described, rows, unchanged] = await Promise.all([
      describeTable(table),
      sql(`SELECT id, country, score, CAST(price AS VARCHAR) AS price, place.latitude AS lat, place.alt AS alt
           FROM ${table} ORDER BY id`),
      json("table", "alter-column", table, "score", "--type", "long"),
    ]);
    assert.equal(described["current-schema-id"], 7);
    assert.deepEqual(described.schema, [
      "id: long (id 1)",
      "country: string (id 8)",
      "score: long (id 3)",
      "price: decimal(10,2) (id 4)",
      "place: struct<latitude double, lon double, alt double> (id 5)",
    ]);
    assert.deepEqual(rows, [
      { id: 1, country: null, score: 1, price: "1.50", lat: 1, alt: null },
      { id: 2, country: null, score: 2, price: "2.50", lat: null, alt: null },
      { id: 3, country: "DE", score: 3_000_000_000, price: "12345678.50", lat: 5, alt: 7 },
    ]);
    assert.deepEqual([unchanged.changed, unchanged["schema-id"]], [false, 7], "a no-op commits nothing");

    await Promise.all([
      fails(3, /adm\.people: cannot delete missing column: nope/, "table", "drop-column", table, "nope"),
      fails(3, /long -> int is not an allowed promotion/, "table", "alter-column", table, "score", "--type", "int"),
      fails(
        3,
        /string -> long is not an allowed promotion/,
        "table",
        "alter-column",
        table,
        "country",
        "--type",
        "long",
      ),
      fails(3, /name already exists: country/, "table", "add-column", table, "country", "string"),
      fails(
        3,
        /cannot add required column x .*format v2 has no column defaults/,
        "table",
        "add-column",
        table,
        "x",
        "long",
        "--required",
      ),
      fails(3, /unknown primitive type: notatype/, "table", "add-column", table, "x", "notatype"),
      fails(2, /needs --type, --doc or --optional/, "table", "alter-column", table, "score"),
    ]);
  });

  test("partition evolution: new writes use the new spec, old and new rows are all read; sort order", async () => {
    const table = "adm.events";
    await ok(
      "table",
      "create",
      table,
      "--schema",
      "id long required, country string, ts timestamptz",
      "--partition",
      "day(ts)",
    );
    await ingest(table, [
      { id: 1, country: "DE", ts: "2025-01-01T10:00:00Z" },
      { id: 2, country: "FR", ts: "2025-01-02T10:00:00Z" },
    ]);
    const evolved = await json(
      "table",
      "partition",
      table,
      "--remove",
      "day(ts)",
      "--add",
      "bucket(4, id)",
      "--add",
      "country",
    );
    assert.deepEqual([evolved["spec-id"], evolved["previous-spec-id"]], [1, 0]);
    assert.deepEqual(evolved.partitioning, ["id_bucket_4: bucket[4](id)", "country: identity(country)"]);
    await ingest(table, [
      { id: 3, country: "DE", ts: "2025-01-03T10:00:00Z" },
      { id: 4, country: "IT", ts: "2025-01-03T11:00:00Z" },
    ]);

    const [layout, rows, described] = await Promise.all([
      json("files", table),
      sql(`SELECT id, country FROM ${table} ORDER BY id`),
      describeTable(table),
    ]);
    // Files written before the evolution keep the day layout; the new ones use bucket + country.
    const layouts = (layout as unknown as JsonRow[])
      .map((file) => path.relative(path.join(String(described.location), "data"), String(file.path)))
      .map((relative) => path.dirname(relative).replace(/=[^/]+/g, "=*"))
      .sort();
    assert.deepEqual(layouts, ["id_bucket_4=*/country=*", "id_bucket_4=*/country=*", "ts_day=*", "ts_day=*"]);
    assert.deepEqual(rows, [
      { id: 1, country: "DE" },
      { id: 2, country: "FR" },
      { id: 3, country: "DE" },
      { id: 4, country: "IT" },
    ]);
    assert.equal(described["default-spec-id"], 1);

    const renamed = await json("table", "partition", table, "--rename", "id_bucket_4=id_bucket");
    assert.deepEqual(renamed.partitioning, ["id_bucket: bucket[4](id)", "country: identity(country)"]);

    const sorted = await ok("table", "sort", table, "id desc nulls first, bucket(4, id)", "ts");
    assert.equal(
      sorted.stdout,
      "adm.events now sorts new data by sort order 1 (was 0): identity(id) desc nulls-first, bucket[4](id) asc nulls-first, identity(ts) asc nulls-first\n",
    );
    const [order, unsorted] = [await describeTable(table), await json("table", "sort", table, "--unsorted")];
    assert.equal(order["default-sort-order-id"], 1);
    assert.deepEqual([unsorted["sort-order-id"], unsorted["sort-order"]], [0, []]);

    await Promise.all([
      fails(3, /cannot find partition field to remove: nope/, "table", "partition", table, "--remove", "nope"),
      fails(3, /day cannot apply to string/, "table", "partition", table, "--add", "day(country)"),
      fails(3, /source column nope not found/, "table", "sort", table, "nope"),
      fails(2, /sort fields or --unsorted/, "table", "sort", table),
      fails(2, /needs --add, --remove or --rename/, "table", "partition", table),
    ]);
  });

  test("rollback, cherry-pick, set-current and rollback-to-time move what sql reads", async () => {
    const table = "adm.hist";
    const [s1, s2, s3] = await historyTable(table, [1, 2, 3]);
    const committed = new Map((await snapshots(table)).map((s) => [s["snapshot-id"], String(s.committed)]));

    const rolled = await json("snapshot", "rollback", table, String(s1));
    assert.deepEqual([rolled["snapshot-id"], rolled["previous-snapshot-id"]], [s1, s3]);
    assert.deepEqual(await ids(table), [1]);

    // s3's parent is s2, not main's head: its files are appended again as a new snapshot.
    const picked3 = await json("snapshot", "cherry-pick", table, String(s3));
    assert.equal(picked3["fast-forward"], false);
    assert.notEqual(picked3["snapshot-id"], s3);
    await ok("snapshot", "cherry-pick", table, String(s2));
    assert.deepEqual(await ids(table), [1, 2, 3]);
    const current = (await describeTable(table))["current-snapshot-id"];

    await Promise.all([
      fails(3, /duplicate cherry-pick of snapshot/, "snapshot", "cherry-pick", table, String(s2)),
      fails(3, /not an ancestor of the current snapshot/, "snapshot", "rollback", table, String(s3)),
      fails(6, /adm\.hist: snapshot 123 does not exist/, "snapshot", "rollback", table, "123"),
      fails(6, /snapshot 123 does not exist/, "snapshot", "set-current", table, "123"),
      fails(2, /must be an integer/, "snapshot", "rollback", table, "latest"),
      fails(3, /no ancestor of the current snapshot is older/, "snapshot", "rollback-to-time", table, "2000-01-01"),
    ]);
    assert.equal((await describeTable(table))["current-snapshot-id"], current, "failed verbs commit nothing");

    // set-current takes any snapshot, also one off main's lineage.
    const set = await ok("snapshot", "set-current", table, String(s2));
    assert.equal(set.stdout, `set adm.hist: current snapshot ${s2} (was ${current})\n`);
    assert.deepEqual(await ids(table), [1, 2]);

    // The latest ancestor of s2 committed strictly before s2 is s1.
    const byTime = await json("snapshot", "rollback-to-time", table, committed.get(s2)!);
    assert.equal(byTime["snapshot-id"], s1);

    // s2's parent is now main's head: cherry-picking it just moves main.
    const forward = await json("snapshot", "cherry-pick", table, String(s2));
    assert.deepEqual([forward["fast-forward"], forward["snapshot-id"]], [true, s2]);
    assert.deepEqual(await ids(table), [1, 2]);
  });

  test("branches and tags: refs, retention, reads at a ref; expiry honours them and deletes files", async () => {
    const table = "adm.refs";
    const [s1, s2, s3] = await historyTable(table, [1, 2, 3]);
    const branch = await json(
      "branch",
      "create",
      table,
      "dev",
      "--snapshot",
      String(s1),
      "--min-snapshots-to-keep",
      "2",
      "--max-snapshot-age",
      "7d",
    );
    assert.equal(branch.message, `created branch dev of adm.refs at snapshot ${s1}`);
    await ok("tag", "create", table, "v2", "--snapshot", String(s2), "--max-ref-age", "30d");
    const [branches, tags, atDev, atTag, described] = await Promise.all([
      json("branch", "list", table),
      json("tag", "list", table),
      ids(table, "--ref", "dev"),
      ids(table, "--ref", "v2"),
      describeTable(table),
    ]);
    assert.deepEqual(branches, [
      {
        branch: "dev",
        "snapshot-id": s1,
        "min-snapshots-to-keep": 2,
        "max-snapshot-age-ms": 604_800_000,
        "max-ref-age-ms": null,
      },
      {
        branch: "main",
        "snapshot-id": s3,
        "min-snapshots-to-keep": null,
        "max-snapshot-age-ms": null,
        "max-ref-age-ms": null,
      },
    ]);
    assert.deepEqual(tags, [{ tag: "v2", "snapshot-id": s2, "max-ref-age-ms": 2_592_000_000 }]);
    assert.deepEqual([atDev, atTag], [[1], [1, 2]]);
    assert.deepEqual(Object.keys(described.refs as object).sort(), ["dev", "main", "v2"]);

    await Promise.all([
      fails(7, /ref v2 already exists \(a tag\)/, "tag", "create", table, "v2"),
      fails(2, /the main branch cannot be removed/, "branch", "drop", table, "main"),
      fails(2, /dev is a branch, not a tag/, "tag", "drop", table, "dev"),
      fails(6, /snapshot 999 does not exist/, "branch", "create", table, "x", "--snapshot", "999"),
      fails(2, /--max-ref-age must be a duration/, "tag", "create", table, "t", "--max-ref-age", "soon"),
    ]);
    await ok("branch", "create", table, "scratch");
    const droppedBranch = await json("branch", "drop", table, "scratch");
    assert.equal(droppedBranch["snapshot-id"], s3);

    // Roll main back: s3 is on no ref now. dev protects s1, main and v2 protect s2.
    await ok("snapshot", "rollback", table, String(s2));
    const dry = await json("expire-snapshots", table, "--older-than", "0s", "--retain-last", "1", "--dry-run");
    assert.deepEqual([dry["expired-snapshot-ids"], dry["snapshots-kept"]], [[s3], 2]);
    assert.equal((await snapshots(table)).length, 3, "a dry run commits nothing");

    const kept = await json("expire-snapshots", table, "--snapshot", String(s3), "--keep-files");
    assert.deepEqual([kept["expired-snapshot-ids"], kept["files-deleted"]], [[s3], false]);
    assert.match(
      String(kept.message),
      /left the files only expired snapshots referenced in place \(--keep-files\): 1 data\/delete file, 1 manifest, 1 manifest list/,
    );
    const keptFiles = [...(kept["data-files"] as string[]), ...(kept["manifest-lists"] as string[])];
    assert.equal(keptFiles.length, 2);
    for (const file of keptFiles) assert.ok(existsSync(file), `--keep-files leaves ${file}`);

    // A fourth snapshot, then rolled back off main: expiry by age deletes what only it referenced.
    await ingest(table, [{ id: 4, v: "r4" }]);
    const s4 = (await describeTable(table))["current-snapshot-id"];
    await ok("snapshot", "rollback", table, String(s2));
    const expired = await json("expire-snapshots", table, "--older-than", "0s", "--retain-last", "1");
    assert.deepEqual([expired["expired-snapshot-ids"], expired["files-deleted"]], [[s4], true]);
    const deleted = [
      ...(expired["data-files"] as string[]),
      ...(expired.manifests as string[]),
      ...(expired["manifest-lists"] as string[]),
    ];
    assert.equal(deleted.length, 3);
    for (const file of deleted) assert.ok(!existsSync(file), `expiry deletes ${file}`);
    const [remaining, current, atDevAfter] = await Promise.all([
      snapshots(table),
      ids(table),
      ids(table, "--ref", "dev"),
    ]);
    assert.deepEqual(
      remaining.map((s) => s["snapshot-id"]),
      [s1, s2],
    );
    assert.deepEqual([current, atDevAfter], [[1, 2], [1]]);
    await fails(
      3,
      /cannot expire snapshot .*still referenced by refs main, v2/,
      "expire-snapshots",
      table,
      "--snapshot",
      String(s2),
    );
  });

  test("the binary: verbs registered, JSON on stdout, one-line errors with the kind's exit code", async () => {
    const [help, branches, missing, badDuration] = await Promise.all([
      spawnFloe("table", "--help"),
      spawnFloe("--json", "branch", "list", "adm.refs"),
      spawnFloe("snapshot", "rollback", "adm.hist", "123"),
      spawnFloe("expire-snapshots", "adm.refs", "--older-than", "a while", "--dry-run"),
    ]);
    for (const verb of [
      "set",
      "unset",
      "rename",
      "add-column",
      "drop-column",
      "rename-column",
      "alter-column",
      "partition",
      "sort",
    ])
      assert.match(help.stdout, new RegExp(`\\n  ${verb} `), `table --help lists ${verb}`);
    assert.equal(branches.code, 0, branches.stderr);
    assert.deepEqual(
      (parseJson(branches.stdout) as JsonRow[]).map((row) => row.branch),
      ["dev", "main"],
    );
    assert.deepEqual([missing.code, missing.stdout], [6, ""]);
    assert.equal(missing.stderr, "error (not-found): adm.hist: snapshot 123 does not exist\n");
    assert.equal(badDuration.code, 2);
    assert.match(
      badDuration.stderr,
      /^error \(bad-input\): adm\.refs: --older-than must be a timestamp .*"a while"\n$/,
    );
  });
});
