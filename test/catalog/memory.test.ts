import { MemoryCatalog } from "../../src/catalog/memory-catalog.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { runCatalogConformance } from "./conformance.ts";

runCatalogConformance("memory", async () => {
  const warehouse = "memory://warehouse";
  return { catalog: new MemoryCatalog({ warehouse, io: new MemoryFileIO() }), warehouse, cleanup: async () => {} };
});
