/**
 * Parsing and joining of storage locations ("/abs/path", "file:///abs/path", "s3://bucket/key",
 * "memory://name/key").
 *
 * Locations are taken literally: nothing is percent-decoded. Iceberg writers (Java's Hadoop and S3
 * FileIOs, pyiceberg) treat the text after the scheme and authority as the file name verbatim, and
 * Iceberg partition paths themselves contain escapes like "name=a%20b", so decoding would point at
 * a different file than the one other engines wrote.
 */
import { badInput, unsupported } from "../core/errors.ts";

/** The storage families floe can address. */
export type LocationScheme = "file" | "s3" | "memory";

/** A location split into its parts. */
export interface ParsedLocation {
  scheme: LocationScheme;
  /** The S3 bucket, or the store name of a memory location; absent for local files. */
  bucket?: string;
  /** For s3 and memory: the object key (no leading slash). For file: the absolute filesystem path. */
  key: string;
  /** For s3 and memory: "/" + key. For file: the absolute filesystem path. */
  path: string;
}

const URL_WITH_AUTHORITY = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)(.*)$/s;
const FILE_WITHOUT_AUTHORITY = /^file:(\/.*)$/is;
const S3_SCHEMES = new Set(["s3", "s3a", "s3n"]);

/** Splits a location into scheme, bucket and key; s3a:// and s3n:// count as s3. */
export function parseLocation(location: string): ParsedLocation {
  if (location.startsWith("/")) return { scheme: "file", key: location, path: location };
  const withAuthority = URL_WITH_AUTHORITY.exec(location);
  if (withAuthority !== null) {
    const [, rawScheme, authority, rest] = withAuthority;
    const scheme = rawScheme.toLowerCase();
    if (scheme === "file") {
      // file:///abs and file://localhost/abs name the local machine; any other host does not.
      if (authority !== "" && authority.toLowerCase() !== "localhost") {
        throw unsupported(`file location ${location} names host "${authority}"; only local files are supported`);
      }
      if (!rest.startsWith("/")) throw badInput(`file location ${location} has no absolute path`);
      return { scheme: "file", key: rest, path: rest };
    }
    if (S3_SCHEMES.has(scheme) || scheme === "memory") {
      if (authority === "")
        throw badInput(`location ${location} has no ${scheme === "memory" ? "store name" : "bucket"}`);
      // Exactly one slash separates authority and key; S3 keys may themselves start with "/".
      const key = rest.slice(1);
      return { scheme: scheme === "memory" ? "memory" : "s3", bucket: authority, key, path: `/${key}` };
    }
    throw unsupported(`location ${location} uses scheme "${rawScheme}"; supported: file, s3 (s3a, s3n), memory`);
  }
  const fileWithoutAuthority = FILE_WITHOUT_AUTHORITY.exec(location);
  if (fileWithoutAuthority !== null) {
    const fsPath = fileWithoutAuthority[1];
    return { scheme: "file", key: fsPath, path: fsPath };
  }
  throw badInput(`location "${location}" is neither an absolute path nor a URL with a supported scheme`);
}

/**
 * The part of a location that joining must leave alone: "s3://bucket", "file://", "file:" or "" for
 * a plain path. Everything after it is path and may be trimmed of slashes.
 */
function splitHead(base: string): { head: string; rest: string } {
  const withAuthority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/.exec(base);
  if (withAuthority !== null) return { head: withAuthority[0], rest: base.slice(withAuthority[0].length) };
  const schemeOnly = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(base);
  if (schemeOnly !== null) return { head: schemeOnly[0], rest: base.slice(schemeOnly[0].length) };
  return { head: "", rest: base };
}

/**
 * Appends path parts to a location with exactly one slash between them, keeping the scheme and
 * authority as written. Empty parts are skipped; with no non-empty part the base is returned as is.
 */
export function joinLocation(base: string, ...parts: string[]): string {
  const cleaned = parts.map((part) => part.replace(/\/{2,}/g, "/").replace(/^\/+|\/+$/g, "")).filter((p) => p !== "");
  if (cleaned.length === 0) return base;
  const { head, rest } = splitHead(base);
  return `${head}${rest.replace(/\/+$/, "")}/${cleaned.join("/")}`;
}

/**
 * The text of `location` in front of its parsed key (for file: the path), so a key found by listing
 * can be turned back into a location in the same style the caller used ("s3a://b/", "file://").
 */
export function locationHead(location: string, parsed: ParsedLocation = parseLocation(location)): string {
  if (parsed.scheme === "file") return location.slice(0, location.length - parsed.path.length);
  const head = location.slice(0, location.length - parsed.key.length);
  return head.endsWith("/") ? head : `${head}/`;
}
