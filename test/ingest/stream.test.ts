// Stream ingest: batches close by size, by maximum latency and at the end of input; rejected records
// go to the dead letters with the source "stdin" and their line in the stream. The library first,
// then the real `floe ingest <table> -` process fed through its stdin.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { type StreamBatch, ingestStream } from "../../src/ingest/index.ts";
import { Table } from "../../src/table/table.ts";
import { type IngestHarness, harness, readRows } from "./fixtures.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "floe.js");

const record = (id: number) => `{"id": ${id}, "ts": "2025-01-01T00:00:0${id % 10}Z"}`;

const readLetters = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { source: string; line: number; reason: string; record: string });

/** Resolves once `check` holds, polling; fails after `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("ingestStream", () => {
  let h: IngestHarness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  test("batches close at the batch size; dead letters carry the stream's line numbers", async () => {
    const table = await h.table();
    const deadLetter = `${h.dir}/size-dead.ndjson`;
    const lines = [
      record(1),
      record(2),
      "",
      `{"id": "bad", "ts": "2025-01-01T00:00:00Z"}`,
      record(4),
      "not json",
      record(6),
    ];
    async function* input() {
      // Chunks cut across lines, "\r\n" and "\r" line ends.
      yield `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3].slice(0, 5)}`;
      yield `${lines[3].slice(5)}\n${lines[4]}\r`;
      yield `\n${lines[5]}\n${lines[6]}`;
    }
    const batches: StreamBatch[] = [];
    const result = await ingestStream(h.engine, table, input(), {
      batchRows: 2,
      deadLetter,
      onBatch: (b) => batches.push(b),
    });
    assert.deepEqual(
      { read: result.read, committed: result.committed, rejected: result.rejected, snapshots: result.snapshots },
      { read: 6, committed: 4, rejected: 2, snapshots: 3 },
    );
    assert.deepEqual(
      batches.map((b) => [b.firstLine, b.lastLine, b.read, b.committed, b.rejected, b.trigger]),
      [
        [1, 2, 2, 2, 0, "size"],
        [3, 5, 2, 1, 1, "size"],
        [6, 7, 2, 1, 1, "size"],
      ],
    );
    assert.deepEqual(
      table
        .snapshots()
        .map((s) => [
          s.summary["floe.ingest.source-file"],
          s.summary["floe.ingest.source-lines"],
          s.summary["added-records"],
        ]),
      [
        ["stdin", "1-2", "2"],
        ["stdin", "3-5", "1"],
        ["stdin", "6-7", "1"],
      ],
    );
    assert.ok(table.snapshots().every((s) => s.summary["floe.ingest.source-sha256"] === undefined));
    assert.deepEqual(
      readLetters(deadLetter).map((l) => [l.source, l.line, l.reason, l.record]),
      [
        ["stdin", 4, 'field id: expected long, got "bad"', lines[3]],
        ["stdin", 6, "invalid JSON", "not json"],
      ],
    );
    assert.deepEqual(
      (await readRows(h.engine, table, "id")).map((r) => r.id),
      [1n, 2n, 4n, 6n],
    );
  });

  test("a batch is committed once the maximum latency has passed, before the input ends", async () => {
    const table = await h.table();
    const batches: StreamBatch[] = [];
    let ended = false;
    // An iterable of lines this time.
    async function* input() {
      yield record(1);
      yield record(2);
      // Nothing more arrives until the first batch is in the table.
      await eventually("the first snapshot", async () => {
        await table.refresh();
        return table.snapshots().length === 1;
      });
      for (const id of [3, 4, 5]) yield record(id);
      ended = true;
    }
    const result = await ingestStream(h.engine, table, input(), {
      items: "lines",
      maxLatencyMs: 100,
      onBatch: (b) => batches.push(b),
    });
    assert.ok(ended);
    assert.deepEqual(
      batches.map((b) => [b.firstLine, b.lastLine, b.committed, b.trigger]),
      [
        [1, 2, 2, "latency"],
        [3, 5, 3, "end"],
      ],
    );
    assert.equal(result.snapshots, 2);
    assert.equal((await readRows(h.engine, table, "id")).length, 5);
  });

  test("CSV: the first line is the header of every batch; line numbers count it", async () => {
    const table = await h.table();
    const deadLetter = `${h.dir}/csv-dead.ndjson`;
    const csv = [
      "id,ts,page",
      "1,2025-01-01 00:00:00,/a",
      "x,2025-01-01 00:00:00,/b",
      "3,2025-01-01 00:00:00,",
      "4,2025-01-01 00:00:00,/d",
    ];
    const result = await ingestStream(h.engine, table, [Buffer.from(`${csv.join("\n")}\n`)], {
      format: "csv",
      batchRows: 2,
      deadLetter,
    });
    assert.deepEqual(
      { read: result.read, committed: result.committed, rejected: result.rejected, snapshots: result.snapshots },
      { read: 4, committed: 3, rejected: 1, snapshots: 2 },
    );
    assert.deepEqual(
      table.snapshots().map((s) => s.summary["floe.ingest.source-lines"]),
      ["2-3", "4-5"],
    );
    assert.deepEqual(
      readLetters(deadLetter).map((l) => [l.source, l.line, l.reason]),
      [["stdin", 3, 'field id: expected long, got "x"']],
    );
    assert.deepEqual(await readRows(h.engine, table, "id, page"), [
      { id: 1n, page: "/a" },
      { id: 3n, page: null },
      { id: 4n, page: "/d" },
    ]);
  });
});

describe("floe ingest <table> - (stdin)", () => {
  let dir: string;
  let warehouse: string;
  let catalog: Catalog;
  let tables = 0;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "floe-ingest-stdin-"));
    warehouse = path.join(dir, "warehouse");
  });
  after(async () => {
    await catalog?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function newTable(): Promise<{ name: string; table: () => Promise<Table> }> {
    catalog ??= await openCatalog("sqlite:", { warehouse });
    if (!(await catalog.namespaceExists(["s"]))) await catalog.createNamespace(["s"]);
    const id = { namespace: ["s"], name: `events${++tables}` };
    await catalog.createTable(id, {
      schema: {
        type: "struct",
        "schema-id": 0,
        fields: [
          { id: 1, name: "id", required: true, type: "long" },
          { id: 2, name: "ts", required: true, type: "timestamp" },
        ],
      },
    });
    return { name: `s.${id.name}`, table: () => Table.load(catalog, id) };
  }

  function floe(args: string[]): {
    child: ChildProcess;
    exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  } {
    const child = spawn(process.execPath, [BIN, "--warehouse", warehouse, ...args], {
      cwd: dir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    child.stderr?.on("data", (d) => {
      stderr += d;
    });
    const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout, stderr })),
    );
    return { child, exit };
  }

  test("commits when the maximum latency has passed, then the rest at the end of input", async () => {
    const { name, table } = await newTable();
    const deadLetter = path.join(dir, "latency-dead.ndjson");
    const { child, exit } = floe([
      "--json",
      "ingest",
      name,
      "-",
      "--max-latency",
      "300ms",
      "--dead-letter",
      deadLetter,
    ]);
    child.stdin?.write(`${record(1)}\n${record(2)}\n`);
    // The process keeps running (stdin is open) while the first batch lands.
    await eventually(
      "a snapshot before the end of input",
      async () => (await table()).snapshots().length === 1,
      60_000,
    );
    assert.equal(child.exitCode, null, "the command is still reading stdin");
    const first = (await table()).snapshots()[0].summary;
    assert.deepEqual([first["floe.ingest.source-lines"], first["added-records"]], ["1-2", "2"]);
    child.stdin?.end(`${record(3)}\n{"id": 4}\n${record(5)}\n`);
    const { code, stdout, stderr } = await exit;
    assert.equal(code, 11, stderr);
    assert.deepEqual(
      { ...JSON.parse(stdout), seconds: 0 },
      { table: name, source: "stdin", read: 5, committed: 4, rejected: 1, snapshots: 2, deadLetter, seconds: 0 },
    );
    assert.deepEqual(
      (await table()).snapshots().map((s) => [s.summary["floe.ingest.source-lines"], s.summary["added-records"]]),
      [
        ["1-2", "2"],
        ["3-5", "2"],
      ],
    );
    assert.deepEqual(
      readLetters(deadLetter).map((l) => [l.source, l.line, l.reason]),
      [["stdin", 4, "missing required field ts"]],
    );
  });

  test("commits every --batch-rows records without a latency bound", async () => {
    const { name, table } = await newTable();
    const { child, exit } = floe(["ingest", name, "-", "--batch-rows", "2"]);
    child.stdin?.end(`${[1, 2, 3, 4, 5].map(record).join("\n")}\n`);
    const { code, stdout, stderr } = await exit;
    assert.equal(code, 0, stderr);
    assert.match(
      stdout,
      new RegExp(`^ingested ${name.replace(".", "\\.")} from stdin: 5 read, 5 committed, 0 rejected, 3 snapshots`),
    );
    assert.deepEqual(
      (await table()).snapshots().map((s) => [s.summary["floe.ingest.source-lines"], s.summary["added-records"]]),
      [
        ["1-2", "2"],
        ["3-4", "2"],
        ["5-5", "1"],
      ],
    );
  });
});
