/**
 * Privileges and what a grant covers. Privileges form a ladder, read ⊂ write ⊂ admin. A grant
 * names an object path: the catalog (empty path), a namespace (["web"], ["web", "clicks"]) or a
 * table (namespace + table name); it covers every object whose path starts with it, so a grant on
 * a namespace covers its tables and child namespaces. A dotted path cannot be ambiguous in what it
 * covers: "web.events" covers the table events of namespace web and namespace web.events alike.
 */
import { badInput } from "../../core/errors.ts";
import type { AuthorizationTarget, Privilege } from "../auth-hooks.ts";

/** Every privilege, weakest first. */
export const PRIVILEGES: readonly Privilege[] = ["read", "write", "admin"];

/** The word that names the whole catalog as a grant object. */
export const CATALOG_OBJECT = "catalog";

/** Parses "read" | "write" | "admin"; bad-input otherwise. */
export function parsePrivilege(text: string): Privilege {
  const privilege = PRIVILEGES.find((p) => p === text);
  if (!privilege) throw badInput(`privilege "${text}" must be one of ${PRIVILEGES.join(", ")}`);
  return privilege;
}

/** True when holding `held` is enough for an operation that needs `needed`. */
export const implies = (held: Privilege, needed: Privilege): boolean =>
  PRIVILEGES.indexOf(held) >= PRIVILEGES.indexOf(needed);

/** The path of a grant object: [] for "catalog", the dotted levels otherwise. */
export function parseObjectPath(text: string): string[] {
  if (text === CATALOG_OBJECT) return [];
  const path = text.split(".");
  for (const level of path)
    if (level.length === 0 || [...level].some((ch) => ch === "/" || ch.charCodeAt(0) < 0x20))
      throw badInput(`grant object "${text}" must be "${CATALOG_OBJECT}", a namespace (a.b) or a table (a.b.t)`);
  return path;
}

/** The stored and displayed form of an object path ("catalog" for the empty path). */
export const formatObjectPath = (path: readonly string[]): string =>
  path.length === 0 ? CATALOG_OBJECT : path.join(".");

/** The object path of what a request acts on. */
export const targetPath = (target: AuthorizationTarget): string[] => [
  ...(target.namespace ?? []),
  ...(target.table === undefined ? [] : [target.table]),
];

/** Describes a target for messages: "the catalog", "namespace web", "table web.events". */
export function describeTarget(target: AuthorizationTarget): string {
  const namespace = (target.namespace ?? []).join(".");
  if (target.table !== undefined) return `table ${namespace ? `${namespace}.` : ""}${target.table}`;
  return namespace ? `namespace ${namespace}` : "the catalog";
}

/** One privilege held on one object path. */
export interface Grant {
  privilege: Privilege;
  path: string[];
}

/** True when one of `grants` gives `needed` on `target`. */
export function grantsAllow(grants: readonly Grant[], needed: Privilege, target: AuthorizationTarget): boolean {
  const path = targetPath(target);
  return grants.some(
    (grant) =>
      implies(grant.privilege, needed) &&
      grant.path.length <= path.length &&
      grant.path.every((level, i) => path[i] === level),
  );
}
