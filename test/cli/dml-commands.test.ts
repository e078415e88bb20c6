// Runs the real `floe` binary against a temporary warehouse (SQLite catalog): delete, update and
// merge in copy-on-write and merge-on-read, their reports, dry runs, the --where/--all guard and
// errors. Each test builds its own tables; the two modes run side by side.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseJson } from "../../src/core/json.ts";
import { type CliRun, runFloeProcess } from "../support/floe-cli.ts";

type Run = CliRun;

type JsonRow = Record<string, unknown>;
type Mode = "copy-on-write" | "merge-on-read";
const MODES: Mode[] = ["copy-on-write", "merge-on-read"];

/** Six rows over two days; the table is partitioned by day, so it starts with two data files. */
const ROWS = [
  { id: 1, name: "ann", score: 10, day: "2025-01-01" },
  { id: 2, name: "bob", score: 20, day: "2025-01-01" },
  { id: 3, name: "cy", score: 30, day: "2025-01-01" },
  { id: 4, name: "dee", score: 40, day: "2025-01-02" },
  { id: 5, name: "eve", score: 50, day: "2025-01-02" },
  { id: 6, name: "fay", score: 60, day: "2025-01-02" },
];

describe("floe delete, update and merge", () => {
  let dir: string;
  let warehouse: string;
  let input: string;
  const floe = (...args: string[]): Promise<Run> => runFloeProcess(["--warehouse", warehouse, ...args], dir);
  const ok = async (...args: string[]): Promise<Run> => {
    const run = await floe(...args);
    assert.equal(run.code, 0, `floe ${args.join(" ")}: ${run.stderr}`);
    return run;
  };
  const json = async (...args: string[]) => parseJson((await ok("--json", ...args)).stdout) as JsonRow;
  const rows = async (table: string) =>
    (await json("sql", `SELECT id, name, score, CAST(day AS VARCHAR) AS day FROM ${table} ORDER BY id`)) as unknown as {
      id: number;
      name: string | null;
      score: number | null;
      day: string | null;
    }[];
  const snapshotIds = async (table: string) =>
    ((await json("snapshots", table)) as unknown as JsonRow[]).map((s) => s["snapshot-id"]);
  const fileContents = async (table: string) =>
    ((await json("files", table)) as unknown as JsonRow[]).map((f) => f.content as string).sort();
  /** An error: the exit code, and exactly one line on stderr matching `message`. */
  const fails = async (code: number, message: RegExp, ...args: string[]) => {
    const run = await floe(...args);
    assert.equal(run.code, code, `floe ${args.join(" ")}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /^error \([a-z-]+\): [^\n]*\n$/, `one line: ${run.stderr}`);
    assert.match(run.stderr, message);
  };

  /** A new table s.<name> holding ROWS, with every row-level mode property set to `mode` (none: the default). */
  const makeTable = async (name: string, mode?: Mode) => {
    const table = `dml.${name}`;
    const properties = mode
      ? ["delete", "update", "merge"].flatMap((c) => ["--property", `write.${c}.mode=${mode}`])
      : [];
    await ok(
      "table",
      "create",
      table,
      "--schema",
      "id long required, name string, score int, day date",
      "--partition",
      "day",
      ...properties,
    );
    await ok("ingest", table, input);
    return table;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "floe-cli-dml-"));
    warehouse = path.join(dir, "warehouse");
    input = path.join(dir, "rows.ndjson");
    writeFileSync(input, ROWS.map((row) => JSON.stringify(row)).join("\n"));
    await ok("namespace", "create", "dml");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("delete: dry run commits nothing; the delete reports rows, mode, files and the new snapshot", async () => {
    await Promise.all(
      MODES.map(async (mode) => {
        // copy-on-write is the default: its table sets no property.
        const table = await makeTable(`del_${mode.replaceAll("-", "_")}`, mode === "merge-on-read" ? mode : undefined);
        const before = await snapshotIds(table);

        const dry = await json("delete", table, "--where", "score >= 30 AND name <> 'eve'", "--dry-run");
        assert.deepEqual(
          { ...dry },
          {
            table,
            command: "delete",
            mode,
            dryRun: true,
            snapshotId: null,
            rowsDeleted: 3,
            rowsUpdated: 0,
            rowsInserted: 0,
          },
        );
        assert.deepEqual(await snapshotIds(table), before, "a dry run commits nothing");

        const done = await json("delete", table, "--where", "score >= 30 AND name <> 'eve'");
        assert.equal(done.rowsDeleted, 3);
        assert.equal(done.mode, mode);
        const after = await snapshotIds(table);
        assert.equal(after.length, before.length + 1);
        assert.equal(after.at(-1), done.snapshotId);
        assert.deepEqual(
          (await rows(table)).map((r) => r.id),
          [1, 2, 5],
        );
        // Rows 3 (day 1) and 4, 6 (day 2): both data files hold a deleted row.
        if (mode === "copy-on-write") {
          assert.deepEqual(
            [done.dataFilesAdded, done.dataFilesRemoved, done.dataFilesRewritten, done.deleteFilesAdded],
            [2, 2, 2, 0],
          );
          assert.deepEqual(await fileContents(table), ["data", "data"]);
        } else {
          assert.deepEqual(
            [done.dataFilesAdded, done.dataFilesRemoved, done.dataFilesRewritten, done.deleteFilesAdded],
            [0, 0, 0, 2],
          );
          assert.deepEqual(await fileContents(table), ["data", "data", "position-deletes", "position-deletes"]);
        }
      }),
    );
  });

  test("delete: human output, nothing matched, and --all drops whole files", async () => {
    const table = await makeTable("del_text", "merge-on-read");
    const text = await ok("delete", table, "--where", "id = 2");
    assert.match(
      text.stdout,
      /^deleted 1 row from dml\.del_text \(merge-on-read\)\nsnapshot \d+: data files 0 added, 0 removed \(0 rewritten\); delete files 1 added, 0 removed\n$/,
    );
    const before = await snapshotIds(table);
    const none = await ok("delete", table, "--where", "id > 100");
    assert.equal(none.stdout, "deleted 0 rows from dml.del_text (merge-on-read)\nno row changed: nothing committed\n");
    assert.deepEqual(await snapshotIds(table), before);

    const dry = await ok("delete", table, "--all", "--dry-run");
    assert.equal(
      dry.stdout,
      "would delete 5 rows from dml.del_text (merge-on-read)\ndry run: nothing written or committed\n",
    );
    // --all is provably every row: data files go whole (with the delete file that named one of them).
    const all = await json("delete", table, "--all", "--mode", "copy-on-write");
    assert.deepEqual(
      [
        all.mode,
        all.rowsDeleted,
        all.dataFilesRemoved,
        all.dataFilesRewritten,
        all.dataFilesAdded,
        all.deleteFilesRemoved,
      ],
      ["copy-on-write", 5, 2, 0, 0, 1],
    );
    assert.deepEqual(await rows(table), []);
    assert.deepEqual(await fileContents(table), []);
    assert.equal((await snapshotIds(table)).length, before.length + 1);
  });

  test("update: --set expressions over the old row, in both modes", async () => {
    await Promise.all(
      MODES.map(async (mode) => {
        const table = await makeTable(`upd_${mode.replaceAll("-", "_")}`, mode);
        const before = await snapshotIds(table);
        const args = [
          "--set",
          "score = score + id",
          "--set",
          "name = upper(name) || score",
          "--where",
          "day = DATE '2025-01-02'",
        ];
        const dry = await json("update", table, ...args, "--dry-run");
        assert.deepEqual([dry.rowsUpdated, dry.snapshotId], [3, null]);
        assert.deepEqual(await snapshotIds(table), before);

        const done = await json("update", table, ...args);
        assert.deepEqual([done.mode, done.rowsUpdated, done.rowsDeleted], [mode, 3, 0]);
        assert.deepEqual(await rows(table), [
          ...ROWS.slice(0, 3),
          { id: 4, name: "DEE40", score: 44, day: "2025-01-02" },
          { id: 5, name: "EVE50", score: 55, day: "2025-01-02" },
          { id: 6, name: "FAY60", score: 66, day: "2025-01-02" },
        ]);
        const after = await snapshotIds(table);
        assert.deepEqual([after.length, after.at(-1)], [before.length + 1, done.snapshotId]);
        if (mode === "merge-on-read") {
          assert.deepEqual([done.dataFilesRewritten, done.deleteFilesAdded, done.dataFilesAdded], [0, 1, 1]);
          assert.ok((await fileContents(table)).includes("position-deletes"));
        } else {
          assert.deepEqual([done.dataFilesRewritten, done.deleteFilesAdded], [1, 0]);
          assert.ok(!(await fileContents(table)).includes("position-deletes"));
        }

        const all = await json("update", table, "--set", '"score" = 0', "--all");
        assert.equal(all.rowsUpdated, 6);
        assert.deepEqual(
          (await rows(table)).map((r) => r.score),
          [0, 0, 0, 0, 0, 0],
        );
      }),
    );
  });

  test("merge: upsert from files keeps the columns the source lacks, in both modes", async () => {
    const ndjson = path.join(dir, "upsert.ndjson");
    writeFileSync(ndjson, '{"id": 2, "name": "bo"}\n{"id": 7, "name": "gus"}\n');
    const csv = path.join(dir, "upsert.csv");
    writeFileSync(csv, "id,name,score\n3,007,33\n8,hal,80\n");
    await Promise.all(
      MODES.map(async (mode) => {
        const table = await makeTable(`mrg_${mode.replaceAll("-", "_")}`, mode);
        const before = await snapshotIds(table);
        const dry = await json("merge", table, "--source", ndjson, "--on", "id", "--dry-run");
        assert.deepEqual([dry.rowsUpdated, dry.rowsInserted, dry.snapshotId], [1, 1, null]);
        assert.deepEqual(await snapshotIds(table), before);

        const first = await json("merge", table, "--source", ndjson, "--on", "id");
        assert.deepEqual([first.mode, first.rowsUpdated, first.rowsInserted, first.rowsDeleted], [mode, 1, 1, 0]);
        // A glob; CSV is read as text and cast to the table's types, so "007" stays a string.
        const second = await json("merge", table, "--source", path.join(dir, "upsert.c?v"), "--on", "id");
        assert.deepEqual([second.rowsUpdated, second.rowsInserted], [1, 1]);
        assert.deepEqual(await rows(table), [
          ROWS[0],
          { id: 2, name: "bo", score: 20, day: "2025-01-01" },
          { id: 3, name: "007", score: 33, day: "2025-01-01" },
          ...ROWS.slice(3),
          { id: 7, name: "gus", score: null, day: null },
          { id: 8, name: "hal", score: 80, day: null },
        ]);
        const after = await snapshotIds(table);
        assert.deepEqual([after.length, after.at(-1)], [before.length + 2, second.snapshotId]);
        if (mode === "merge-on-read") assert.ok(first.deleteFilesAdded === 1 && first.dataFilesRewritten === 0);
        else assert.ok(first.deleteFilesAdded === 0 && first.dataFilesRewritten === 1);
      }),
    );
  });

  test("merge: --source-sql over catalog tables, --when-matched delete and ignore", async () => {
    const [table, keys] = await Promise.all([makeTable("mrg_sql", "merge-on-read"), makeTable("mrg_keys")]);
    // Delete the rows whose id the other table holds with an even score; insert nothing.
    const deleted = await ok(
      "merge",
      table,
      "--source-sql",
      `SELECT id FROM ${keys} WHERE score % 20 = 0`,
      "--on",
      "id",
      "--when-matched",
      "delete",
      "--when-not-matched",
      "ignore",
    );
    assert.match(
      deleted.stdout,
      /^merged into dml\.mrg_sql \(merge-on-read\): 0 rows updated, 3 rows deleted, 0 rows inserted\nsnapshot \d+: /,
    );
    // Only insert: matched rows are left alone.
    const inserted = await json(
      "merge",
      table,
      "--source-sql",
      "SELECT * FROM (VALUES (1, 'changed'), (9, 'ivy')) AS v(id, name)",
      "--on",
      "id",
      "--when-matched",
      "ignore",
    );
    assert.deepEqual([inserted.rowsUpdated, inserted.rowsInserted], [0, 1]);
    assert.deepEqual(
      (await rows(table)).map((r) => [r.id, r.name]),
      [
        [1, "ann"],
        [3, "cy"],
        [5, "eve"],
        [9, "ivy"],
      ],
    );
  });

  test("errors: one line, the kind's exit code, nothing committed", async () => {
    const table = await makeTable("errors");
    const before = await snapshotIds(table);
    const source = path.join(dir, "dupes.ndjson");
    writeFileSync(source, '{"id": 1, "name": "x"}\n{"id": 1, "name": "y"}\n');
    const extra = path.join(dir, "extra.ndjson");
    writeFileSync(extra, '{"id": 1, "colour": "red"}\n');
    // A few at a time: each is a process with its own DuckDB.
    const cases: [number, RegExp, ...string[]][] = [
      [2, /delete needs --where "<condition>", or --all/, "delete", table],
      [2, /choose --where or --all/, "update", table, "--set", "score = 1", "--where", "id = 1", "--all"],
      [
        2,
        /--where "nme = 'x'": Binder Error: .*"nme".* \(columns: id, name, score, day\)/,
        "delete",
        table,
        "--where",
        "nme = 'x'",
      ],
      [2, /--where "id = = 1": Parser Error: syntax error/, "delete", table, "--where", "id = = 1"],
      [
        2,
        /--where "score \+ 1": not a condition \(its type is [A-Z]+, not BOOLEAN\)/,
        "delete",
        table,
        "--where",
        "score + 1",
      ],
      [6, /error \(not-found\): table dml\.nope does not exist/, "delete", "dml.nope", "--where", "id = 1"],
      [2, /--set colour: no top-level column colour/, "update", table, "--set", "colour = 'red'", "--all"],
      [2, /--set must be "<column> = <SQL expression>"/, "update", table, "--set", "score", "--all"],
      [2, /error \(bad-input\): duckdb: Conversion Error: .*'abc'/, "update", table, "--set", "score = 'abc'", "--all"],
      [2, /--mode must be one of copy-on-write, merge-on-read/, "delete", table, "--all", "--mode", "fast"],
      [3, /2 source rows match the same target row on \(id\)/, "merge", table, "--source", source, "--on", "id"],
      [2, /source columns not in the table: colour/, "merge", table, "--source", extra, "--on", "id"],
      [2, /key nope is not a top-level column/, "merge", table, "--source", extra, "--on", "nope"],
      [2, /--source: no files match/, "merge", table, "--source", path.join(dir, "none-*.csv"), "--on", "id"],
      [2, /exactly one of --source/, "merge", table, "--on", "id"],
      [
        2,
        /would change nothing/,
        "merge",
        table,
        "--source",
        source,
        "--on",
        "id",
        "--when-matched",
        "ignore",
        "--when-not-matched",
        "ignore",
      ],
    ];
    for (let i = 0; i < cases.length; i += 4)
      await Promise.all(cases.slice(i, i + 4).map(([code, message, ...args]) => fails(code, message, ...args)));
    assert.deepEqual(await snapshotIds(table), before);
    assert.deepEqual(await rows(table), ROWS);
  });
});
