/**
 * What every command shares: the warehouse, the catalog and the output style, resolved from
 * global flags, then environment (FLOE_WAREHOUSE, FLOE_CATALOG), then defaults (./warehouse and
 * the embedded SQLite catalog inside it).
 */
import path from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import { openCatalog } from "../catalog/open-catalog.ts";
import { badInput } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { createFileIO } from "../io/resolve-file-io.ts";
import { s3ConfigFromEnv } from "../io/s3-config.ts";
import { type Output, createOutput } from "./output.ts";

export interface GlobalOptions {
  warehouse?: string;
  catalog?: string;
  json?: boolean;
  debug?: boolean;
}

export interface Context {
  warehouse: string;
  catalogUri: string;
  io: FileIO;
  output: Output;
  catalog(): Promise<Catalog>;
  close(): Promise<void>;
}

const isRemote = (location: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(location);

export function resolveWarehouse(options: GlobalOptions, env = process.env): string {
  const raw = options.warehouse ?? env.FLOE_WAREHOUSE ?? "./warehouse";
  return isRemote(raw) ? raw.replace(/\/+$/, "") : path.resolve(raw);
}

export function resolveCatalogUri(options: GlobalOptions, warehouse: string, env = process.env): string {
  const explicit = options.catalog ?? env.FLOE_CATALOG;
  if (explicit) return explicit;
  if (isRemote(warehouse))
    throw badInput(`warehouse ${warehouse} is remote: pass --catalog (sqlite:PATH, postgres://..., http(s)://...)`);
  return `sqlite:${path.join(warehouse, "catalog.db")}`;
}

export function createContext(options: GlobalOptions): Context {
  const warehouse = resolveWarehouse(options);
  const catalogUri = resolveCatalogUri(options, warehouse);
  const io = createFileIO({ s3: s3ConfigFromEnv() });
  let opened: Promise<Catalog> | undefined;
  return {
    warehouse,
    catalogUri,
    io,
    output: createOutput(Boolean(options.json)),
    catalog() {
      opened ??= openCatalog(catalogUri, { warehouse, io });
      return opened;
    },
    async close() {
      if (opened) await (await opened).close();
    },
  };
}
