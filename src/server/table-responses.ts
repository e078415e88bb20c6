/**
 * How table metadata goes out: the LoadTableResult/CommitTableResponse bodies, the `snapshots=refs`
 * view, and ETags. An ETag names one metadata file in one representation (all snapshots or only
 * the referenced ones), so a client holding it gets 304 until the table changes.
 */
import { createHash } from "node:crypto";
import { badInput } from "../core/errors.ts";
import type { JsonValue } from "../core/json.ts";
import type { LoadedTable } from "../catalog/catalog.ts";
import { tableMetadataToJson } from "../spec/metadata-writer.ts";
import { loadTableResultToJson } from "../spec/rest-json.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";

/** Which snapshots a load returns (`snapshots` query parameter). */
export type SnapshotsMode = "all" | "refs";

/** Parses the `snapshots` query parameter (default all). */
export function parseSnapshotsMode(text: string | undefined): SnapshotsMode {
  if (text === undefined || text === "" || text === "all") return "all";
  if (text === "refs") return "refs";
  throw badInput(`snapshots must be "all" or "refs", got "${text}"`);
}

/** The metadata with only the snapshots some branch or tag references (for `snapshots=refs`). */
export function referencedSnapshotsOnly(metadata: TableMetadata): TableMetadata {
  const referenced = new Set(Object.values(metadata.refs).map((ref) => ref["snapshot-id"]));
  return { ...metadata, snapshots: metadata.snapshots.filter((s) => referenced.has(s["snapshot-id"])) };
}

/** The weak ETag of a table version in one representation. */
export function tableETag(metadataLocation: string, mode: SnapshotsMode = "all"): string {
  const digest = createHash("sha256").update(`${mode}\n${metadataLocation}`).digest("hex");
  return `W/"${digest}"`;
}

/** True when an If-None-Match header value matches the ETag ("*" or one of a comma-separated list). */
export function matchesETag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || strip(tag) === strip(etag));
}

/** The LoadTableResult body of a table. */
export function loadTableBody(table: LoadedTable, mode: SnapshotsMode = "all"): JsonValue {
  const metadata = mode === "refs" ? referencedSnapshotsOnly(table.metadata) : table.metadata;
  return loadTableResultToJson({ metadataLocation: table.metadataLocation, metadata, config: {} });
}

/** The CommitTableResponse body of a table. */
export function commitTableBody(table: LoadedTable): JsonValue {
  return { "metadata-location": table.metadataLocation, metadata: tableMetadataToJson(table.metadata) };
}
