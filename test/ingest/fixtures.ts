// Shared setup of the ingest tests: one engine, a scratch folder, tables in a local warehouse, and
// reading a table back through DuckDB over the live data files of its current snapshot.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { quoteString } from "../../src/engine/sql/quoting.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { parseLocation } from "../../src/io/locations.ts";
import { readManifestList } from "../../src/manifest/manifest-list.ts";
import { readManifest } from "../../src/manifest/manifest-reader.ts";
import { ManifestEntryStatus } from "../../src/manifest/types.ts";
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { Schema } from "../../src/spec/types.ts";
import { Table } from "../../src/table/table.ts";

/** A click-like schema covering the common types. */
export const EVENTS: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", required: true, type: "long" },
    { id: 2, name: "ts", required: true, type: "timestamp" },
    { id: 3, name: "page", required: false, type: "string" },
    { id: 4, name: "score", required: false, type: "double" },
    { id: 5, name: "ok", required: false, type: "boolean" },
    { id: 6, name: "n", required: false, type: "int" },
    { id: 7, name: "at", required: false, type: "timestamptz" },
  ],
};

/** day(ts). */
export const DAY_SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [{ "source-id": 2, "field-id": 1000, name: "ts_day", transform: "day" }],
};

/** The engine and scratch folder of one test file. */
export interface IngestHarness {
  engine: Engine;
  dir: string;
  /** Writes `text` to a file in the scratch folder; returns its path. */
  file(name: string, text: string): string;
  /** A fresh table (own catalog and warehouse). */
  table(options?: { schema?: Schema; spec?: PartitionSpec; properties?: Record<string, string> }): Promise<Table>;
  close(): void;
}

let counter = 0;

/** Creates the engine and a scratch folder. */
export async function harness(): Promise<IngestHarness> {
  const engine = await Engine.create({ threads: 2 });
  const dir = mkdtempSync(path.join(tmpdir(), "floe-ingest-test-"));
  return {
    engine,
    dir,
    file(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    async table(options = {}) {
      counter++;
      const catalog = new MemoryCatalog({ io: new LocalFileIO(), warehouse: path.join(dir, `warehouse-${counter}`) });
      await catalog.createNamespace(["clicks"]);
      const loaded = await catalog.createTable(
        { namespace: ["clicks"], name: "events" },
        { schema: options.schema ?? EVENTS, partitionSpec: options.spec, properties: options.properties },
      );
      return new Table(catalog, loaded);
    },
    close() {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Local paths of the live data files of the table's current snapshot. */
export async function liveFiles(table: Table): Promise<string[]> {
  const snapshot = table.currentSnapshot();
  if (!snapshot) return [];
  const files: string[] = [];
  for (const manifest of await readManifestList(table.io, snapshot["manifest-list"]!))
    for (const entry of await readManifest(table.io, manifest))
      if (entry.status !== ManifestEntryStatus.Deleted) files.push(parseLocation(entry.dataFile.filePath).path);
  return files.sort();
}

/** The table's rows as JSON-friendly objects (timestamps as text), ordered by `orderBy`. */
export async function readRows(
  engine: Engine,
  table: Table,
  columns: string,
  orderBy = "id",
): Promise<Record<string, unknown>[]> {
  const files = await liveFiles(table);
  if (files.length === 0) return [];
  const list = `[${files.map(quoteString).join(", ")}]`;
  return engine.all(`SELECT ${columns} FROM read_parquet(${list}) ORDER BY ${orderBy}`);
}
