/**
 * Reading REST requests strictly: JSON bodies through the lossless parser, namespaces from the path
 * (levels joined by the unit separator 0x1F), identifiers and string maps from bodies. Every problem
 * is a bad-input FloeError naming the field, which the router answers with a 400 ErrorModel.
 */
import { badInput } from "../core/errors.ts";
import { type JsonValue, parseJson } from "../core/json.ts";
import type { Namespace, TableIdentifier } from "../catalog/catalog.ts";
import { validateNamespace, validateTableIdentifier } from "../catalog/identifiers.ts";

/** The separator of namespace levels in paths and the `parent` query parameter (URL-encoded %1F). */
export const NAMESPACE_SEPARATOR = "\u001f";

/** A JSON object body. */
export type JsonObject = { [key: string]: JsonValue };

const show = (value: JsonValue | undefined): string =>
  value === undefined ? "nothing" : (JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ?? "");

/** Parses a request body as JSON; bad-input when it is empty or malformed. */
export function parseBody(text: string, what: string): JsonValue {
  if (text.trim() === "") throw badInput(`${what}: request body is empty, expected JSON`);
  return parseJson(text, `${what} request body`);
}

/** The value as a JSON object, or bad-input naming `where`. */
export function asObject(value: JsonValue | undefined, where: string): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value))
    throw badInput(`${where} must be a JSON object, got ${show(value)}`);
  return value;
}

/** A required string field. */
export function requiredString(obj: JsonObject, key: string, where: string): string {
  const value = obj[key];
  if (value === undefined || value === null) throw badInput(`${where}: missing required field ${key}`);
  if (typeof value !== "string") throw badInput(`${where}: ${key} must be a string, got ${show(value)}`);
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(obj: JsonObject, key: string, where: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badInput(`${where}: ${key} must be a boolean, got ${show(value)}`);
  return value;
}

/** An array of strings (absent: undefined). */
export function optionalStringArray(obj: JsonObject, key: string, where: string): string[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    throw badInput(`${where}: ${key} must be an array of strings, got ${show(value)}`);
  return value as string[];
}

/** An object of string values (absent: undefined). */
export function optionalStringMap(obj: JsonObject, key: string, where: string): Record<string, string> | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  const map = asObject(value, `${where}: ${key}`);
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string") throw badInput(`${where}: ${key}.${k} must be a string, got ${show(v)}`);
    result[k] = v;
  }
  return result;
}

/** A namespace given as a JSON array of levels. */
export function namespaceFromJson(value: JsonValue | undefined, where: string): Namespace {
  if (!Array.isArray(value) || value.some((level) => typeof level !== "string"))
    throw badInput(`${where}: namespace must be an array of strings, got ${show(value)}`);
  const namespace = value as string[];
  validateNamespace(namespace);
  return namespace;
}

/** A REST TableIdentifier object ({ namespace: [...], name }). */
export function tableIdentifierFromJson(value: JsonValue | undefined, where: string): TableIdentifier {
  const obj = asObject(value, where);
  const identifier = { namespace: namespaceFromJson(obj.namespace, where), name: requiredString(obj, "name", where) };
  validateTableIdentifier(identifier);
  return identifier;
}

/** A namespace from a path segment or the `parent` query parameter (already URL-decoded). */
export function namespaceFromPath(text: string): Namespace {
  if (text === "") throw badInput("namespace must not be empty");
  const namespace = text.split(NAMESPACE_SEPARATOR);
  validateNamespace(namespace);
  return namespace;
}

/** A table identifier from the namespace and table path segments. */
export function tableFromPath(namespaceText: string, table: string): TableIdentifier {
  const identifier = { namespace: namespaceFromPath(namespaceText), name: table };
  validateTableIdentifier(identifier);
  return identifier;
}

/** The REST JSON of a table identifier. */
export const tableIdentifierToJson = (identifier: TableIdentifier): JsonObject => ({
  namespace: [...identifier.namespace],
  name: identifier.name,
});
