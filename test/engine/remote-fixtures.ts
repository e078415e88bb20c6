// Shared setup of the remote-read tests: a clicks table in an S3 warehouse (a local s3rver), with
// small row groups so a few thousand clicks a day spread over several row groups per file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { type LoadClicksResult, loadClicks } from "../../src/clicks/load.ts";
import { CLICKS_TABLE, clickTableLayout } from "../../src/clicks/schema.ts";
import { Engine } from "../../src/engine/duckdb.ts";
import { PARQUET_ROW_GROUP_ROWS } from "../../src/engine/write/write-data-files.ts";
import type { FileIO } from "../../src/io/file-io.ts";
import { createFileIO } from "../../src/io/resolve-file-io.ts";
import { Table } from "../../src/table/table.ts";
import { type S3TestServer, startS3Server } from "../support/s3-server.ts";

/** A running S3 warehouse holding a loaded clicks table. */
export interface RemoteClicks {
  server: S3TestServer;
  io: FileIO;
  catalog: Catalog;
  engine: Engine;
  table: Table;
  load: LoadClicksResult;
  /** A fresh scratch directory (for file caches); removed by close(). */
  scratch: string;
  close(): Promise<void>;
}

/** What to load. */
export interface RemoteClicksOptions {
  days: number;
  perDay: number;
  elements: number;
  rowGroupRows: number;
  start?: string;
}

/** Starts s3rver, opens a SQLite catalog with an s3:// warehouse and loads clicks into a new table. */
export async function remoteClicks(options: RemoteClicksOptions): Promise<RemoteClicks> {
  const server = await startS3Server();
  const scratch = mkdtempSync(path.join(tmpdir(), "floe-remote-"));
  const engine = await Engine.create({ threads: 2 });
  try {
    const io = createFileIO({ s3: server.config });
    const catalog = await openCatalog(`sqlite:${path.join(scratch, "catalog.db")}`, {
      warehouse: `s3://${server.bucket}/wh`,
      io,
    });
    await catalog.createNamespace(CLICKS_TABLE.namespace);
    const layout = clickTableLayout();
    layout.properties[PARQUET_ROW_GROUP_ROWS] = String(options.rowGroupRows);
    const table = new Table(catalog, await catalog.createTable(CLICKS_TABLE, layout));
    const load = await loadClicks(engine, table, {
      days: options.days,
      perDay: options.perDay,
      start: options.start ?? "2025-01-01",
      seed: 7,
      elements: options.elements,
    });
    return {
      server,
      io,
      catalog,
      engine,
      table,
      load,
      scratch,
      close: async () => {
        engine.close();
        await server.stop();
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    engine.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}
