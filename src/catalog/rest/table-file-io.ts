/**
 * The FileIO of a table loaded from a REST catalog. A server that vends credentials answers
 * loadTable with S3 settings (in `storage-credentials`, most specific prefix first, or in the
 * table `config`); the table then reads and writes S3 with exactly those, while other locations
 * keep the catalog's own FileIO.
 */
import type { FileIO } from "../../io/file-io.ts";
import { RoutingFileIO } from "../../io/resolve-file-io.ts";
import type { S3Config } from "../../io/s3-config.ts";
import { lazyS3FileIO } from "../../io/lazy-file-io.ts";

/** Credentials for locations under `prefix` (the REST StorageCredential). */
export interface VendedCredential {
  prefix: string;
  config: Record<string, string>;
}

const S3_KEYS = ["s3.access-key-id", "s3.secret-access-key", "s3.session-token", "s3.endpoint"];

const truthy = (value: string | undefined) => (value === undefined ? undefined : value.toLowerCase() === "true");

/** The S3 settings the properties name, or undefined when they name none. */
export function s3ConfigFromProperties(properties: Record<string, string>): S3Config | undefined {
  if (!S3_KEYS.some((key) => properties[key] !== undefined)) return undefined;
  const config: S3Config = {};
  const set = <K extends keyof S3Config>(key: K, value: S3Config[K] | undefined) => {
    if (value !== undefined) config[key] = value;
  };
  set("accessKeyId", properties["s3.access-key-id"]);
  set("secretAccessKey", properties["s3.secret-access-key"]);
  set("sessionToken", properties["s3.session-token"]);
  set("endpoint", properties["s3.endpoint"]);
  set("forcePathStyle", truthy(properties["s3.path-style-access"]));
  set("region", properties["client.region"] ?? properties["s3.region"]);
  return config;
}

/** The storage credential with the longest prefix that `location` starts with. */
function bestCredential(credentials: readonly VendedCredential[], location: string): VendedCredential | undefined {
  let best: VendedCredential | undefined;
  for (const credential of credentials)
    if (location.startsWith(credential.prefix) && (best === undefined || credential.prefix.length > best.prefix.length))
      best = credential;
  return best;
}

/** Builds table FileIOs, reusing one S3 client per distinct set of settings. */
export class TableFileIOFactory {
  private readonly cache = new Map<string, FileIO>();

  constructor(
    private readonly catalogIO: FileIO,
    /** Catalog-level properties (server defaults and overrides, client properties). */
    private readonly catalogProperties: Record<string, string>,
  ) {}

  /** The FileIO for a table at `location` given its load result's config and storage credentials. */
  forTable(location: string, config: Record<string, string>, credentials: readonly VendedCredential[] = []): FileIO {
    const properties = {
      ...this.catalogProperties,
      ...config,
      ...bestCredential(credentials, location)?.config,
    };
    const s3 = s3ConfigFromProperties(properties);
    if (s3 === undefined) return this.catalogIO;
    const key = JSON.stringify(Object.entries(s3).sort(([a], [b]) => (a < b ? -1 : 1)));
    let io = this.cache.get(key);
    if (io === undefined) {
      // Bounded: vended credentials rotate, and an old client is of no further use.
      if (this.cache.size >= 16) this.cache.clear();
      io = new RoutingFileIO({ local: this.catalogIO, memory: this.catalogIO, s3FileIO: lazyS3FileIO(s3) });
      this.cache.set(key, io);
    }
    return io;
  }
}
