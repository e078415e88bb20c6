/**
 * Validates REST catalog requests and responses against the Iceberg OpenAPI document
 * (shared/iceberg/rest-catalog-open-api.yaml, found next to the repository checkout). The document's
 * component schemas are compiled with ajv; OpenAPI-only keywords (discriminator, example, readOnly,
 * deprecated) are dropped first because they carry no validation meaning.
 *
 * One deliberate deviation: UnsupportedOperationResponse (406) points at ErrorModel while its own
 * example, and every other error, is the IcebergErrorResponse wrapper; a wrapped body is checked
 * against IcebergErrorResponse there.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse as parseYaml } from "yaml";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where the OpenAPI document lives: ../shared/iceberg/ relative to the repository root. */
export const OPENAPI_PATH = path.resolve(REPO_ROOT, "../shared/iceberg/rest-catalog-open-api.yaml");

const DROPPED_KEYWORDS = new Set(["discriminator", "example", "examples", "readOnly", "deprecated", "xml"]);

function sanitize(node: Json): Json {
  if (Array.isArray(node)) return node.map(sanitize);
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) if (!DROPPED_KEYWORDS.has(key)) out[key] = sanitize(value);
  return out;
}

const asObject = (value: Json | undefined): JsonObject | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;

interface Loaded {
  document: JsonObject;
  ajv: Ajv;
  cache: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const document = parseYaml(readFileSync(OPENAPI_PATH, "utf8")) as JsonObject;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats ships as CommonJS; its default export is the function itself or under .default.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
    a: Ajv,
  ) => void;
  addFormats(ajv);
  for (const format of ["int32", "int64", "float", "double", "byte", "binary", "password"]) ajv.addFormat(format, true);
  ajv.addSchema({ $id: "iceberg-rest.json", components: sanitize(document.components ?? {}) } as object);
  loaded = { document, ajv, cache: new Map() };
  return loaded;
}

/** Compiles the schema at a JSON pointer inside the document's components ("#/components/schemas/X"). */
function validatorFor(schema: Json): ValidateFunction {
  const { ajv, cache } = load();
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(sanitize(schema)) as object);
    cache.set(key, validate);
  }
  return validate;
}

/** Points local refs of an inline schema at the registered document. */
function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node))
    out[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/")
        ? `iceberg-rest.json${value}`
        : rewriteRefs(value);
  return out;
}

/** Follows a `$ref` to the components of the document (responses, request bodies). */
function deref(node: Json | undefined): JsonObject | undefined {
  const obj = asObject(node);
  const ref = obj?.$ref;
  if (typeof ref !== "string") return obj;
  let target: Json | undefined = load().document;
  for (const part of ref.replace(/^#\//, "").split("/")) target = asObject(target)?.[part];
  return deref(target);
}

function operationOf(method: string, pathTemplate: string): JsonObject {
  const paths = asObject(load().document.paths);
  const item = asObject(paths?.[pathTemplate]);
  if (!item) throw new Error(`OpenAPI document has no path ${pathTemplate}`);
  const operation = asObject(item[method.toLowerCase()]);
  if (!operation) throw new Error(`OpenAPI document has no ${method.toUpperCase()} ${pathTemplate}`);
  return operation;
}

function check(schema: Json, body: unknown, what: string): void {
  const validate = validatorFor(schema);
  if (!validate(body))
    throw new Error(
      `${what} does not match the OpenAPI schema: ${JSON.stringify(validate.errors?.slice(0, 5))}\nbody: ${JSON.stringify(body)?.slice(0, 2000)}`,
    );
}

/**
 * Throws unless `body` (parsed JSON, or undefined for an empty body) is what the spec allows for
 * `status` of `METHOD pathTemplate` (e.g. "GET", "/v1/{prefix}/namespaces", 200). Statuses the
 * operation does not list fall back to its 4XX/5XX/default entry; no entry at all is an error.
 */
export function validateResponse(method: string, pathTemplate: string, status: number, body: unknown): void {
  const responses = asObject(operationOf(method, pathTemplate).responses) ?? {};
  const entry = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  const what = `${method.toUpperCase()} ${pathTemplate} ${status}`;
  if (entry === undefined) throw new Error(`${what}: status not allowed by the OpenAPI document`);
  const response = deref(entry);
  const schema = asObject(asObject(response?.content)?.["application/json"])?.schema;
  if (schema === undefined) {
    if (body !== undefined && body !== null && body !== "")
      throw new Error(`${what}: expected no body, got ${JSON.stringify(body)}`);
    return;
  }
  if (body === undefined) throw new Error(`${what}: expected a JSON body, got none`);
  const errorModelRef = asObject(schema)?.$ref === "#/components/schemas/ErrorModel";
  const wrapped = asObject(body as Json)?.error !== undefined;
  check(errorModelRef && wrapped ? { $ref: "#/components/schemas/IcebergErrorResponse" } : schema, body, what);
}

/** Throws unless `body` is a valid request body of `METHOD pathTemplate`. */
export function validateRequest(method: string, pathTemplate: string, body: unknown): void {
  const requestBody = deref(operationOf(method, pathTemplate).requestBody);
  const content = asObject(requestBody?.content);
  const media = asObject(content?.["application/json"]) ?? asObject(content?.["application/x-www-form-urlencoded"]);
  if (media?.schema === undefined) throw new Error(`${method.toUpperCase()} ${pathTemplate} takes no request body`);
  check(media.schema, body, `${method.toUpperCase()} ${pathTemplate} request`);
}

/** Throws unless `body` matches the named component schema (e.g. "TableMetadata"). */
export function validateSchema(name: string, body: unknown): void {
  check({ $ref: `#/components/schemas/${name}` }, body, `schema ${name}`);
}
