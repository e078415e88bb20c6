/**
 * How a row-level command writes its changes, per the reference implementation's table
 * properties: copy-on-write (the default) rewrites every data file holding a changed row;
 * merge-on-read leaves data files alone and writes position delete files plus new rows, moving
 * the cost to readers until compaction. The isolation level decides whether rows a concurrent
 * writer added where the command looked make the commit fail (serializable, the default) or not
 * (snapshot).
 */
import { validation } from "../../core/errors.ts";

/** Table property: how DELETE writes (copy-on-write or merge-on-read). */
export const DELETE_MODE = "write.delete.mode";
/** Table property: how UPDATE writes. */
export const UPDATE_MODE = "write.update.mode";
/** Table property: how MERGE writes. */
export const MERGE_MODE = "write.merge.mode";
/** Table property: isolation level of DELETE (serializable or snapshot). */
export const DELETE_ISOLATION_LEVEL = "write.delete.isolation-level";
/** Table property: isolation level of UPDATE. */
export const UPDATE_ISOLATION_LEVEL = "write.update.isolation-level";
/** Table property: isolation level of MERGE. */
export const MERGE_ISOLATION_LEVEL = "write.merge.isolation-level";

/** How a row-level command writes. */
export type RowLevelMode = "copy-on-write" | "merge-on-read";
/** The row-level commands. */
export type RowLevelCommand = "delete" | "update" | "merge";
/** Whether concurrent additions of matching rows fail the commit (serializable) or not (snapshot). */
export type IsolationLevel = "serializable" | "snapshot";

const MODE_PROPERTY: Record<RowLevelCommand, string> = { delete: DELETE_MODE, update: UPDATE_MODE, merge: MERGE_MODE };
const ISOLATION_PROPERTY: Record<RowLevelCommand, string> = {
  delete: DELETE_ISOLATION_LEVEL,
  update: UPDATE_ISOLATION_LEVEL,
  merge: MERGE_ISOLATION_LEVEL,
};

/** The mode of `command` on a table with these properties (an explicit `override` wins). */
export function rowLevelMode(
  properties: Readonly<Record<string, string>>,
  command: RowLevelCommand,
  override?: RowLevelMode,
): RowLevelMode {
  const key = MODE_PROPERTY[command];
  const text = (override ?? properties[key] ?? "copy-on-write").trim().toLowerCase();
  if (text === "copy-on-write" || text === "merge-on-read") return text;
  throw validation(`table property ${key}: unknown mode "${text}" (expected copy-on-write or merge-on-read)`);
}

/** The isolation level of `command` on a table with these properties. */
export function isolationLevel(properties: Readonly<Record<string, string>>, command: RowLevelCommand): IsolationLevel {
  const key = ISOLATION_PROPERTY[command];
  const text = (properties[key] ?? "serializable").trim().toLowerCase();
  if (text === "serializable" || text === "snapshot") return text;
  throw validation(`table property ${key}: unknown isolation level "${text}" (expected serializable or snapshot)`);
}
