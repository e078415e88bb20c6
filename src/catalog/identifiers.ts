/**
 * Namespace and table identifiers: parsing "ns.table" / "a.b.table", formatting, validation.
 *
 * Namespaces are stored dot-joined (the JDBC catalog schema keeps them in one column), so a level
 * may not itself contain a dot: "a.b" would read back as two levels. Levels also become path
 * segments of default table locations, hence no "/" either.
 */
import { badInput } from "../core/errors.ts";
import type { Namespace, TableIdentifier } from "./catalog.ts";

const hasForbiddenChar = (name: string): boolean =>
  [...name].some((ch) => ch === "." || ch === "/" || ch.charCodeAt(0) < 0x20);

function validateName(name: string, what: string): void {
  if (typeof name !== "string" || name.length === 0) throw badInput(`${what} must be a non-empty string`);
  if (hasForbiddenChar(name)) throw badInput(`${what} "${name}" must not contain ".", "/" or control characters`);
}

/** Throws bad-input unless the namespace has at least one level and every level is a valid name. */
export function validateNamespace(namespace: Namespace): void {
  if (!Array.isArray(namespace) || namespace.length === 0) throw badInput("namespace must have at least one level");
  for (const level of namespace) validateName(level, `namespace level of ${JSON.stringify(namespace)}`);
}

/** Throws bad-input unless the identifier has a valid namespace and table name. */
export function validateTableIdentifier(identifier: TableIdentifier): void {
  validateNamespace(identifier.namespace);
  validateName(identifier.name, `table name in namespace ${formatNamespace(identifier.namespace)}`);
}

/** "a.b" for ["a", "b"]: the form stored in the SQL catalog and shown to people. */
export const formatNamespace = (namespace: Namespace): string => namespace.join(".");

/** "a.b.events" for { namespace: ["a", "b"], name: "events" }. */
export const formatTableIdentifier = (identifier: TableIdentifier): string =>
  `${formatNamespace(identifier.namespace)}.${identifier.name}`;

/** Parses "a.b" into ["a", "b"], validating every level. */
export function parseNamespace(text: string): Namespace {
  const namespace = text.split(".");
  validateNamespace(namespace);
  return namespace;
}

/** Parses "ns.table" or "a.b.table": the last part is the table, the rest its namespace (required). */
export function parseTableIdentifier(text: string): TableIdentifier {
  const parts = text.split(".");
  if (parts.length < 2) throw badInput(`table identifier "${text}" must be "<namespace>.<table>"`);
  const identifier = { namespace: parts.slice(0, -1), name: parts[parts.length - 1] };
  validateTableIdentifier(identifier);
  return identifier;
}

/** True when both identifiers name the same table. */
export const sameTable = (a: TableIdentifier, b: TableIdentifier): boolean =>
  a.name === b.name && formatNamespace(a.namespace) === formatNamespace(b.namespace);

/** True when `namespace` is `ancestor` or lies below it. */
export const isWithinNamespace = (namespace: Namespace, ancestor: Namespace): boolean =>
  namespace.length >= ancestor.length && ancestor.every((level, i) => namespace[i] === level);

/**
 * The direct children of `parent` (top level when it is empty) implied by a set of namespaces,
 * sorted. A deeper namespace implies its ancestors: with only "a.b.c" stored, the top level lists
 * "a", as the JDBC catalog does.
 */
export function directChildren(namespaces: Iterable<Namespace>, parent: Namespace): Namespace[] {
  const children = new Map<string, Namespace>();
  for (const namespace of namespaces) {
    if (namespace.length > parent.length && isWithinNamespace(namespace, parent)) {
      const child = namespace.slice(0, parent.length + 1);
      children.set(formatNamespace(child), child);
    }
  }
  return [...children.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, child]) => child);
}
