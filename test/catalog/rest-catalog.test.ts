/**
 * The shared Catalog conformance suite through the whole REST path: RestCatalog (opened by
 * openCatalog from an http:// URI) → floe's REST server → SqlCatalog on SQLite.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { startServer } from "../../src/server/serve.ts";
import { runCatalogConformance } from "./conformance.ts";

runCatalogConformance("rest client → floe server → sqlite", async () => {
  const warehouse = await mkdtemp(path.join(tmpdir(), "floe-rest-catalog-"));
  const backing = await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() });
  const server = await startServer({ catalog: backing, host: "127.0.0.1", port: 0 });
  const catalog = await openCatalog(server.url, { warehouse, io: new LocalFileIO() });
  return {
    catalog,
    warehouse,
    cleanup: async () => {
      await server.close();
      await backing.close();
      await rm(warehouse, { recursive: true, force: true });
    },
  };
});
