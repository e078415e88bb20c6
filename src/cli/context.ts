/**
 * What every command shares: the warehouse, the catalog, S3 settings and the output style,
 * resolved from global flags, then the environment (FLOE_WAREHOUSE, FLOE_CATALOG, FLOE_S3_*,
 * AWS_*), then the config file (--config or FLOE_CONFIG), then defaults (./warehouse and the
 * embedded SQLite catalog inside it).
 */
import path from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import { openCatalog } from "../catalog/open-catalog.ts";
import { badInput } from "../core/errors.ts";
import type { FileIO } from "../io/file-io.ts";
import { createFileIO } from "../io/resolve-file-io.ts";
import { type S3Config, s3ConfigFromEnv } from "../io/s3-config.ts";
import { type ConfigFile, readConfigFile } from "./config-file.ts";
import { type Output, createOutput } from "./output.ts";

export interface GlobalOptions {
  warehouse?: string;
  catalog?: string;
  config?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3PathStyle?: boolean;
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

const NO_CONFIG: ConfigFile = { s3: {} };

/** The config file named by --config or FLOE_CONFIG, or an empty one. */
export function resolveConfigFile(options: GlobalOptions, env = process.env): ConfigFile {
  const file = options.config ?? env.FLOE_CONFIG;
  return file ? readConfigFile(file) : NO_CONFIG;
}

export function resolveWarehouse(options: GlobalOptions, env = process.env, file = NO_CONFIG): string {
  const raw = options.warehouse ?? env.FLOE_WAREHOUSE ?? file.warehouse ?? "./warehouse";
  return isRemote(raw) ? raw.replace(/\/+$/, "") : path.resolve(raw);
}

export function resolveCatalogUri(
  options: GlobalOptions,
  warehouse: string,
  env = process.env,
  file = NO_CONFIG,
): string {
  const explicit = options.catalog ?? env.FLOE_CATALOG ?? file.catalog;
  if (explicit) return explicit;
  if (isRemote(warehouse))
    throw badInput(`warehouse ${warehouse} is remote: pass --catalog (sqlite:PATH, postgres://..., http(s)://...)`);
  return `sqlite:${path.join(warehouse, "catalog.db")}`;
}

/** S3 settings: flags over the environment over the config file (credentials never come from flags). */
export function resolveS3Config(options: GlobalOptions, env = process.env, file = NO_CONFIG): S3Config {
  const flags: S3Config = {};
  if (options.s3Endpoint !== undefined) flags.endpoint = options.s3Endpoint;
  if (options.s3Region !== undefined) flags.region = options.s3Region;
  if (options.s3PathStyle !== undefined) flags.forcePathStyle = options.s3PathStyle;
  return { ...file.s3, ...s3ConfigFromEnv(env), ...flags };
}

export function createContext(options: GlobalOptions): Context {
  const file = resolveConfigFile(options);
  const warehouse = resolveWarehouse(options, process.env, file);
  const catalogUri = resolveCatalogUri(options, warehouse, process.env, file);
  const io = createFileIO({ s3: resolveS3Config(options, process.env, file) });
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
