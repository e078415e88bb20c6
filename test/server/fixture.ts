/**
 * A REST catalog server over a SqlCatalog on SQLite in a temp warehouse, on a free port, plus a
 * small HTTP helper whose responses can be checked against the OpenAPI document in one call.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Catalog } from "../../src/catalog/catalog.ts";
import { openCatalog } from "../../src/catalog/open-catalog.ts";
import { LocalFileIO } from "../../src/io/local-file-io.ts";
import { type StartServerOptions, startServer } from "../../src/server/serve.ts";
import { validateRequest, validateResponse } from "../support/openapi-validator.ts";

/** Parsed JSON as tests read it: every field is reachable, none is trusted. */
export type JsonBody = { [key: string]: JsonBody };

/** A response, its body read as text and (when JSON) parsed. */
export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON (JSON.parse: fine for assertions; int64 exactness is tested separately). */
  json: JsonBody;
}

/** A running test server. */
export interface TestServer {
  url: string;
  catalog: Catalog;
  warehouse: string;
  /** Sends a request; `body` objects are JSON-encoded, strings sent as they are. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<CallResult>;
  /**
   * Sends a request, validates the request body and the response against the OpenAPI operation
   * `template` (e.g. "/v1/{prefix}/namespaces"), and returns the response.
   */
  checked(
    method: string,
    template: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<CallResult>;
  /**
   * Sends a body the OpenAPI document rejects (asserted), and validates the (error) response
   * against the operation `template`.
   */
  rejected(method: string, template: string, path: string, body: unknown): Promise<CallResult>;
  close(): Promise<void>;
}

/** Starts a server; extra options (prefix, authorizer, audit, ...) are passed to startServer. */
export async function startTestServer(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const warehouse = await mkdtemp(path.join(tmpdir(), "floe-rest-server-"));
  const catalog = options.catalog ?? (await openCatalog("sqlite:", { warehouse, io: new LocalFileIO() }));
  const server = await startServer({ ...options, catalog, port: 0 });
  const call = async (method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["Content-Type"] ??= "application/json";
    }
    const response = await fetch(`${server.url}${urlPath}`, init);
    const text = await response.text();
    let json: JsonBody = {};
    if (text !== "") {
      try {
        json = JSON.parse(text) as JsonBody;
      } catch {
        json = {};
      }
    }
    return { status: response.status, headers: response.headers, text, json };
  };
  return {
    url: server.url,
    catalog,
    warehouse,
    call,
    async checked(method, template, urlPath, body, headers) {
      if (body !== undefined && typeof body !== "string") validateRequest(method, template, body);
      const result = await call(method, urlPath, body, headers);
      if (result.text !== "")
        assert.doesNotThrow(() => JSON.parse(result.text), `response is not JSON: ${result.text}`);
      validateResponse(method, template, result.status, result.text === "" ? undefined : result.json);
      return result;
    },
    async rejected(method, template, urlPath, body) {
      if (typeof body !== "string")
        assert.throws(() => validateRequest(method, template, body), /does not match/, "the request should be invalid");
      const result = await call(method, urlPath, body);
      validateResponse(method, template, result.status, result.text === "" ? undefined : result.json);
      return result;
    },
    async close() {
      await server.close();
      await catalog.close();
      await rm(warehouse, { recursive: true, force: true });
    },
  };
}

/** A two-column schema in the REST JSON form. */
export const EVENTS_SCHEMA = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "id", type: "long", required: true },
    { id: 2, name: "ts", type: "timestamptz", required: false },
  ],
};

/** Asserts an IcebergErrorResponse with the status and type. */
export function assertError(result: CallResult, status: number, type: string): void {
  assert.equal(result.status, status, `expected ${status} ${type}, got ${result.status}: ${result.text}`);
  assert.equal(result.json?.error?.type, type, result.text);
  assert.equal(result.json.error.code, status);
  assert.equal(typeof result.json.error.message, "string");
  assert.ok(!/\n\s+at /.test(result.text), `no stack trace in responses: ${result.text}`);
}
