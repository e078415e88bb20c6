/**
 * Table routes of the REST catalog: list, create (and stage-create), register, load (ETag / 304,
 * `snapshots=refs`), exists (HEAD), commit, drop, rename and metrics reports.
 */
import type { Hono } from "hono";
import { badInput, isFloeError } from "../../core/errors.ts";
import type { CreateTableOptions } from "../../catalog/catalog.ts";
import { formatTableIdentifier, sameTable } from "../../catalog/identifiers.ts";
import {
  loadTableResultToJson,
  parseCreateTableRequest,
  parseTableRequirement,
  parseTableUpdate,
} from "../../spec/rest-json.ts";
import type { TableRequirement, TableUpdate } from "../../spec/updates.ts";
import { type RouteDeps, type ServerContext, type ServerEnv, authorize, jsonResponse, operation } from "../context.ts";
import { RestError } from "../errors.ts";
import { paginate, parsePageSize } from "../pagination.ts";
import {
  type JsonObject,
  asObject,
  namespaceFromPath,
  optionalBoolean,
  parseBody,
  requiredString,
  tableFromPath,
  tableIdentifierFromJson,
  tableIdentifierToJson,
} from "../request.ts";
import { commitTableBody, loadTableBody, matchesETag, parseSnapshotsMode, tableETag } from "../table-responses.ts";

const NO_SUCH_NAMESPACE = { notFound: "NoSuchNamespaceException" };
const NO_SUCH_TABLE = { notFound: "NoSuchTableException" };

/** The requirements and updates of a CommitTableRequest body. */
export function parseCommitChanges(
  body: JsonObject,
  where: string,
): { requirements: TableRequirement[]; updates: TableUpdate[] } {
  const list = (key: string) => {
    const value = body[key];
    if (!Array.isArray(value)) throw badInput(`${where}: ${key} must be an array`);
    return value;
  };
  return {
    requirements: list("requirements").map(parseTableRequirement),
    updates: list("updates").map(parseTableUpdate),
  };
}

/** Registers the table routes on `app` (mounted at /v1 or /v1/{prefix}). */
export function registerTableRoutes(app: Hono<ServerEnv>, deps: RouteDeps): void {
  const { catalog } = deps;
  const table = (c: ServerContext) => tableFromPath(c.req.param("namespace") ?? "", c.req.param("table") ?? "");

  app.get("/namespaces/:namespace/tables", async (c) => {
    operation(c, "listTables", NO_SUCH_NAMESPACE);
    const namespace = namespaceFromPath(c.req.param("namespace"));
    const pageSize = parsePageSize(c.req.query("pageSize"));
    await authorize(c, deps, "read", { namespace });
    const tables = await catalog.listTables(namespace);
    const page = paginate(tables, (t) => t.name, c.req.query("pageToken"), pageSize);
    return jsonResponse(c, {
      identifiers: page.items.map(tableIdentifierToJson),
      "next-page-token": page.nextPageToken,
    });
  });

  app.post("/namespaces/:namespace/tables", async (c) => {
    operation(c, "createTable", NO_SUCH_NAMESPACE);
    const namespace = namespaceFromPath(c.req.param("namespace"));
    const request = parseCreateTableRequest(parseBody(await c.req.text(), "create table"));
    const identifier = tableFromPath(c.req.param("namespace"), request.name);
    await authorize(c, deps, "write", { namespace, table: request.name });
    const options: CreateTableOptions = { schema: request.schema };
    if (request.partitionSpec !== undefined) options.partitionSpec = request.partitionSpec;
    if (request.writeOrder !== undefined) options.sortOrder = request.writeOrder;
    if (request.properties !== undefined) options.properties = request.properties;
    if (request.location !== undefined) options.location = request.location;
    if (request.stageCreate) {
      if (catalog.stageCreateTable === undefined)
        throw new RestError(406, "UnsupportedOperationException", `catalog ${catalog.name} cannot stage table creates`);
      const metadata = await catalog.stageCreateTable(identifier, options);
      // Nothing is written: the metadata has no location until the create commits (assert-create).
      return jsonResponse(c, loadTableResultToJson({ metadataLocation: null, metadata, config: {} }));
    }
    const created = await catalog.createTable(identifier, options);
    return jsonResponse(c, loadTableBody(created), 200, { ETag: tableETag(created.metadataLocation) });
  });

  app.post("/namespaces/:namespace/register", async (c) => {
    operation(c, "registerTable", NO_SUCH_NAMESPACE);
    const namespace = namespaceFromPath(c.req.param("namespace"));
    const where = "register table request";
    const body = asObject(parseBody(await c.req.text(), "register table"), where);
    const name = requiredString(body, "name", where);
    const metadataLocation = requiredString(body, "metadata-location", where);
    if (optionalBoolean(body, "overwrite", where))
      throw new RestError(406, "UnsupportedOperationException", "register with overwrite is not supported");
    const identifier = tableFromPath(c.req.param("namespace"), name);
    await authorize(c, deps, "write", { namespace, table: name });
    const registered = await catalog.registerTable(identifier, metadataLocation);
    return jsonResponse(c, loadTableBody(registered), 200, { ETag: tableETag(registered.metadataLocation) });
  });

  // Hono answers HEAD with the GET route; the handler tells them apart.
  app.get("/namespaces/:namespace/tables/:table", async (c) => {
    const head = c.req.method === "HEAD";
    operation(c, head ? "tableExists" : "loadTable", NO_SUCH_TABLE);
    const identifier = table(c);
    const mode = head ? "all" : parseSnapshotsMode(c.req.query("snapshots"));
    await authorize(c, deps, "read", { namespace: identifier.namespace, table: identifier.name });
    if (head) {
      if (!(await catalog.tableExists(identifier)))
        throw new RestError(404, "NoSuchTableException", `table ${formatTableIdentifier(identifier)} does not exist`);
      return c.body(null, 204);
    }
    const loaded = await catalog.loadTable(identifier);
    const etag = tableETag(loaded.metadataLocation, mode);
    if (matchesETag(c.req.header("If-None-Match"), etag)) return c.body(null, 304, { ETag: etag });
    return jsonResponse(c, loadTableBody(loaded, mode), 200, { ETag: etag });
  });

  app.post("/namespaces/:namespace/tables/:table", async (c) => {
    operation(c, "commitTable", { ...NO_SUCH_TABLE, commit: true });
    const identifier = table(c);
    const where = "commit table request";
    const body = asObject(parseBody(await c.req.text(), "commit table"), where);
    if (body.identifier !== undefined && body.identifier !== null) {
      const named = tableIdentifierFromJson(body.identifier, `${where} identifier`);
      if (!sameTable(named, identifier))
        throw badInput(
          `${where}: identifier ${formatTableIdentifier(named)} does not match the path's table ${formatTableIdentifier(identifier)}`,
        );
    }
    const { requirements, updates } = parseCommitChanges(body, where);
    await authorize(c, deps, "write", { namespace: identifier.namespace, table: identifier.name });
    const committed = await catalog.commitTable(identifier, requirements, updates);
    return jsonResponse(c, commitTableBody(committed), 200, { ETag: tableETag(committed.metadataLocation) });
  });

  app.delete("/namespaces/:namespace/tables/:table", async (c) => {
    operation(c, "dropTable", NO_SUCH_TABLE);
    const identifier = table(c);
    const purgeText = c.req.query("purgeRequested");
    if (purgeText !== undefined && purgeText !== "true" && purgeText !== "false")
      throw badInput(`purgeRequested must be true or false, got "${purgeText}"`);
    await authorize(c, deps, "write", { namespace: identifier.namespace, table: identifier.name });
    await catalog.dropTable(identifier, { purge: purgeText === "true" });
    return c.body(null, 204);
  });

  app.post("/tables/rename", async (c) => {
    operation(c, "renameTable", NO_SUCH_TABLE);
    const where = "rename table request";
    const body = asObject(parseBody(await c.req.text(), "rename table"), where);
    const source = tableIdentifierFromJson(body.source, `${where} source`);
    const destination = tableIdentifierFromJson(body.destination, `${where} destination`);
    await authorize(
      c,
      deps,
      "write",
      { namespace: source.namespace, table: source.name },
      { namespace: destination.namespace, table: destination.name },
    );
    try {
      await catalog.renameTable(source, destination);
    } catch (error) {
      // Either the source table or the destination namespace is missing: say which.
      if (isFloeError(error, "not-found") && (await catalog.tableExists(source)))
        throw new RestError(404, "NoSuchNamespaceException", error.message);
      throw error;
    }
    return c.body(null, 204);
  });

  app.post("/namespaces/:namespace/tables/:table/metrics", async (c) => {
    operation(c, "reportMetrics", NO_SUCH_TABLE);
    const identifier = table(c);
    const where = "report metrics request";
    const body = asObject(parseBody(await c.req.text(), "report metrics"), where);
    const reportType = requiredString(body, "report-type", where);
    await authorize(c, deps, "read", { namespace: identifier.namespace, table: identifier.name });
    if (!(await catalog.tableExists(identifier)))
      throw new RestError(404, "NoSuchTableException", `table ${formatTableIdentifier(identifier)} does not exist`);
    const snapshotId = body["snapshot-id"];
    deps.logger.info(
      {
        requestId: c.get("state").requestId,
        table: formatTableIdentifier(identifier),
        reportType,
        snapshotId: typeof snapshotId === "bigint" || typeof snapshotId === "number" ? String(snapshotId) : undefined,
        operation: typeof body.operation === "string" ? body.operation : undefined,
        metrics: body.metrics,
      },
      "metrics report",
    );
    return c.body(null, 204);
  });
}
