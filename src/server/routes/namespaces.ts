/**
 * Namespace routes of the REST catalog: list (with `parent` and pagination), create, load, exists
 * (HEAD), update properties and drop.
 */
import type { Hono } from "hono";
import { isFloeError } from "../../core/errors.ts";
import { formatNamespace } from "../../catalog/identifiers.ts";
import { type RouteDeps, type ServerContext, type ServerEnv, authorize, jsonResponse, operation } from "../context.ts";
import { RestError } from "../errors.ts";
import { paginate, parsePageSize } from "../pagination.ts";
import {
  asObject,
  namespaceFromJson,
  namespaceFromPath,
  optionalStringArray,
  optionalStringMap,
  parseBody,
} from "../request.ts";

const NO_SUCH_NAMESPACE = { notFound: "NoSuchNamespaceException" };

/** Registers the namespace routes on `app` (mounted at /v1 or /v1/{prefix}). */
export function registerNamespaceRoutes(app: Hono<ServerEnv>, deps: RouteDeps): void {
  const { catalog } = deps;

  app.get("/namespaces", async (c) => {
    operation(c, "listNamespaces", NO_SUCH_NAMESPACE);
    const parentText = c.req.query("parent");
    // An empty parent means absent, for older clients.
    const parent = parentText === undefined || parentText === "" ? undefined : namespaceFromPath(parentText);
    const pageSize = parsePageSize(c.req.query("pageSize"));
    await authorize(c, deps, "read", parent === undefined ? {} : { namespace: parent });
    const namespaces = await catalog.listNamespaces(parent);
    const page = paginate(namespaces, formatNamespace, c.req.query("pageToken"), pageSize);
    return jsonResponse(c, { namespaces: page.items, "next-page-token": page.nextPageToken });
  });

  app.post("/namespaces", async (c) => {
    operation(c, "createNamespace", NO_SUCH_NAMESPACE);
    const body = asObject(parseBody(await c.req.text(), "create namespace"), "create namespace request");
    const namespace = namespaceFromJson(body.namespace, "create namespace request");
    const properties = optionalStringMap(body, "properties", "create namespace request") ?? {};
    await authorize(c, deps, "admin", { namespace });
    await catalog.createNamespace(namespace, properties);
    return jsonResponse(c, { namespace, properties: await catalog.loadNamespaceProperties(namespace) });
  });

  const loadNamespace = async (c: ServerContext) => {
    const head = c.req.method === "HEAD";
    operation(c, head ? "namespaceExists" : "loadNamespace", NO_SUCH_NAMESPACE);
    const namespace = namespaceFromPath(c.req.param("namespace") ?? "");
    await authorize(c, deps, "read", { namespace });
    if (head) {
      if (!(await catalog.namespaceExists(namespace)))
        throw new RestError(404, "NoSuchNamespaceException", `namespace ${formatNamespace(namespace)} does not exist`);
      return c.body(null, 204);
    }
    return jsonResponse(c, { namespace, properties: await catalog.loadNamespaceProperties(namespace) });
  };
  // Hono answers HEAD with the GET route; the handler tells them apart.
  app.get("/namespaces/:namespace", loadNamespace);

  app.delete("/namespaces/:namespace", async (c) => {
    operation(c, "dropNamespace", NO_SUCH_NAMESPACE);
    const namespace = namespaceFromPath(c.req.param("namespace"));
    await authorize(c, deps, "admin", { namespace });
    try {
      await catalog.dropNamespace(namespace);
    } catch (error) {
      // The catalog reports a non-empty namespace as a validation failure; the spec wants 409.
      if (isFloeError(error, "validation")) throw new RestError(409, "NamespaceNotEmptyException", error.message);
      throw error;
    }
    return c.body(null, 204);
  });

  app.post("/namespaces/:namespace/properties", async (c) => {
    operation(c, "updateNamespaceProperties", NO_SUCH_NAMESPACE);
    const namespace = namespaceFromPath(c.req.param("namespace"));
    const where = "update namespace properties request";
    const body = asObject(parseBody(await c.req.text(), "update namespace properties"), where);
    const removals = optionalStringArray(body, "removals", where) ?? [];
    const updates = optionalStringMap(body, "updates", where) ?? {};
    const both = removals.filter((key) => Object.hasOwn(updates, key));
    if (both.length > 0)
      throw new RestError(
        422,
        "UnprocessableEntityException",
        `properties ${both.join(", ")} are both in removals and updates`,
        "bad-input",
      );
    await authorize(c, deps, "admin", { namespace });
    const result = await catalog.updateNamespaceProperties(namespace, removals, updates);
    return jsonResponse(c, { updated: result.updated, removed: result.removed, missing: result.missing });
  });
}
