// Runs the real `floe` binary against a temporary warehouse with the embedded SQLite catalog.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { parseJson } from "../../src/core/json.ts";

const BIN = path.join(import.meta.dirname, "..", "..", "bin", "floe.js");

describe("floe CLI", () => {
  let warehouse: string;
  const floe = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, "--warehouse", warehouse, ...args], { encoding: "utf8" });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const json = (...args: string[]) => {
    const result = floe("--json", ...args);
    assert.equal(result.code, 0, result.stderr);
    return parseJson(result.stdout) as unknown;
  };

  before(() => {
    warehouse = mkdtempSync(path.join(tmpdir(), "floe-cli-"));
  });
  after(() => rmSync(warehouse, { recursive: true, force: true }));

  test("namespaces: create with properties, list, describe, drop", () => {
    assert.equal(floe("namespace", "create", "clicks", "-p", "owner=data").code, 0);
    assert.equal(floe("namespace", "create", "staging").code, 0);
    assert.deepEqual(json("namespace", "list"), [{ namespace: "clicks" }, { namespace: "staging" }]);
    const described = json("namespace", "describe", "clicks") as { properties: Record<string, string> };
    assert.equal(described.properties.owner, "data");
    assert.equal(floe("namespace", "drop", "staging").code, 0);
    assert.deepEqual(json("namespace", "list"), [{ namespace: "clicks" }]);
  });

  test("tables: create with partitioning and sort order, list, describe, register, drop", () => {
    const created = floe(
      "table",
      "create",
      "clicks.events",
      "--schema",
      "event_id string required, element_id long required, event_time timestamp required, country string",
      "--partition",
      "day(event_time)",
      "--sort",
      "element_id",
      "--sort",
      "event_time desc",
      "-p",
      "write.target-file-size-bytes=268435456",
    );
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual(json("table", "list", "clicks"), [{ table: "clicks.events" }]);
    const described = json("table", "describe", "clicks.events") as Record<string, unknown>;
    assert.deepEqual(described.partitioning, ["event_time_day: day(event_time)"]);
    assert.deepEqual(described["sort-order"], [
      "identity(element_id) asc nulls-first",
      "identity(event_time) desc nulls-last",
    ]);
    assert.equal((described.properties as Record<string, string>)["write.target-file-size-bytes"], "268435456");
    assert.equal(described["current-snapshot-id"], null);

    const registered = floe("table", "register", "clicks.events_copy", String(described["metadata-location"]));
    assert.equal(registered.code, 0, registered.stderr);
    assert.deepEqual(json("table", "list", "clicks"), [{ table: "clicks.events" }, { table: "clicks.events_copy" }]);
    assert.equal(floe("table", "drop", "clicks.events_copy").code, 0);
    assert.deepEqual(json("snapshots", "clicks.events"), []);
    assert.deepEqual(json("history", "clicks.events"), []);
    assert.deepEqual(json("files", "clicks.events"), []);
  });

  test("errors print one line with the kind and exit non-zero, without a stack trace", () => {
    const missing = floe("table", "describe", "clicks.nope");
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /^error \(not-found\): .*clicks\.nope/);
    assert.equal(missing.stderr.trim().split("\n").length, 1);
    const badType = floe("table", "create", "clicks.bad", "--schema", "a notatype");
    assert.match(badType.stderr, /^error \(validation\): .*notatype/);
    const debug = floe("--debug", "table", "describe", "clicks.nope");
    assert.match(debug.stderr, /at /, "--debug prints the stack");
  });
});
