/**
 * The Catalog interface over an Iceberg REST catalog server (floe's own, or any other that follows
 * the REST spec). Opening it asks GET /v1/config first and merges the server's defaults and
 * overrides with the client properties; the result decides the route prefix, the namespace
 * separator and what S3 settings tables get. Commits send requirements and updates unchanged:
 * the server checks and applies them atomically. The config's `endpoints` list (when the server
 * sends one) says which optional routes exist, and `idempotency-key-lifetime` whether mutating
 * calls may carry Idempotency-Keys (and so be resent safely when an answer is lost).
 */
import { badInput, ioError, unsupported } from "../../core/errors.ts";
import type { JsonValue } from "../../core/json.ts";
import { syncDeferredWrites } from "../../io/deferred-sync.ts";
import type { FileIO } from "../../io/file-io.ts";
import { createFileIO } from "../../io/resolve-file-io.ts";
import { parseTableMetadata } from "../../spec/metadata-parser.ts";
import {
  createTableRequestToJson,
  parseLoadTableResult,
  tableRequirementToJson,
  tableUpdateToJson,
} from "../../spec/rest-json.ts";
import type { TableMetadata } from "../../spec/table-metadata.ts";
import type { TableRequirement, TableUpdate } from "../../spec/updates.ts";
import type {
  Catalog,
  CreateTableOptions,
  LoadedTable,
  Namespace,
  PropertiesUpdateResult,
  TableCommit,
  TableIdentifier,
} from "../catalog.ts";
import { formatTableIdentifier } from "../identifiers.ts";
import { type IdempotencyPolicy, RestHttpClient } from "./http-client.ts";
import { parseIsoDuration } from "./idempotency-key.ts";
import { ClientCredentialsTokenSource, type TokenSource, anonymous, staticToken } from "./oauth2-tokens.ts";
import { DEFAULT_NAMESPACE_SEPARATOR, RestPaths } from "./rest-paths.ts";
import { REST_PROPERTY, describeUri, mergeProperties, parseRestUri } from "./rest-options.ts";
import { sigV4SignerFromProperties } from "./sigv4-signer.ts";
import { TableFileIOFactory } from "./table-file-io.ts";

/** Options of RestCatalog.open. Explicit fields win over the URI's query parameters. */
export interface RestCatalogOptions {
  /** http(s)://host[:port][/base], optionally with client properties as query parameters. */
  uri: string;
  /** "client_id:client_secret" for OAuth2 client credentials. */
  credential?: string;
  /** A static bearer token. */
  token?: string;
  /** OAuth2 scope (default "catalog"). */
  scope?: string;
  /** Warehouse identifier sent to GET /v1/config. */
  warehouse?: string;
  /** Route prefix (normally supplied by the server's config). */
  prefix?: string;
  /** Further client properties (oauth2-server-uri, rest.sigv4-enabled, s3.*, ...). */
  properties?: Record<string, string>;
  /** FileIO for tables without vended credentials (default: local, S3 and memory by scheme). */
  io?: FileIO;
  /** Catalog name (default "rest"). */
  name?: string;
  /** fetch implementation (tests). */
  fetch?: typeof fetch;
  /** Clock in ms since the epoch for token expiry (tests). */
  now?: () => number;
}

const DELEGATION_HEADER = { "X-Iceberg-Access-Delegation": "vended-credentials" };

type JsonObject = { [key: string]: JsonValue };

function asObject(value: JsonValue | undefined, what: string): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value))
    throw ioError(`REST catalog answered ${what} with something other than a JSON object`);
  return value;
}

function stringMap(value: JsonValue | undefined, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(asObject(value, what))) out[key] = String(entry);
  return out;
}

function stringList(value: JsonValue | undefined, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw ioError(`REST catalog answered ${what} with something other than a list`);
  return value.map((entry) => String(entry));
}

function namespaceList(value: JsonValue | undefined, what: string): Namespace {
  if (!Array.isArray(value)) throw ioError(`REST catalog answered ${what} with a namespace that is not a list`);
  return value.map((level) => String(level));
}

/** Rejects what cannot even be put into a URL: an empty namespace or an empty name. */
function checkNamespace(namespace: Namespace): void {
  if (!Array.isArray(namespace) || namespace.length === 0) throw badInput("namespace must have at least one level");
  if (namespace.some((level) => typeof level !== "string" || level === ""))
    throw badInput(`namespace ${JSON.stringify(namespace)} has an empty level`);
}

function checkIdentifier(identifier: TableIdentifier): void {
  checkNamespace(identifier.namespace);
  if (typeof identifier.name !== "string" || identifier.name === "")
    throw badInput(`table name in namespace ${identifier.namespace.join(".")} must be a non-empty string`);
}

const identifierJson = (identifier: TableIdentifier): JsonObject => ({
  namespace: [...identifier.namespace],
  name: identifier.name,
});

/** The endpoint of multi-table commits, as servers list it in their config. */
const TRANSACTIONS_ENDPOINT = "POST /v1/{prefix}/transactions/commit";

/** The body of a CommitTableRequest, or of one entry of a CommitTransactionRequest. */
const commitJson = (
  identifier: TableIdentifier,
  requirements: TableRequirement[],
  updates: TableUpdate[],
): JsonObject => ({
  identifier: identifierJson(identifier),
  requirements: requirements.map(tableRequirementToJson),
  updates: updates.map(tableUpdateToJson),
});

/** Idempotency support as GET /v1/config states it: absent field, no support. */
function idempotencyPolicy(config: JsonObject): IdempotencyPolicy | undefined {
  const lifetime = config["idempotency-key-lifetime"];
  if (lifetime === undefined || lifetime === null) return undefined;
  // A lifetime this client cannot read still announces support; resends then stop after a few tries.
  return { lifetimeMs: typeof lifetime === "string" ? parseIsoDuration(lifetime) : undefined };
}

/** A Catalog backed by an Iceberg REST catalog server. */
export class RestCatalog implements Catalog {
  readonly name: string;
  /** The merged catalog properties (server defaults, client properties, server overrides). */
  readonly properties: Readonly<Record<string, string>>;
  private readonly http: RestHttpClient;
  private readonly paths: RestPaths;
  private readonly files: TableFileIOFactory;
  /** The server's `endpoints` list; undefined when it sent none (then every route is tried). */
  private readonly endpoints: ReadonlySet<string> | undefined;
  /** The FileIO each loaded table got, so commits hand back the same one. */
  private readonly tableIO = new Map<string, FileIO>();

  private constructor(
    name: string,
    properties: Record<string, string>,
    http: RestHttpClient,
    paths: RestPaths,
    files: TableFileIOFactory,
    endpoints: ReadonlySet<string> | undefined,
  ) {
    this.name = name;
    this.properties = properties;
    this.http = http;
    this.paths = paths;
    this.files = files;
    this.endpoints = endpoints;
  }

  /** Connects: fetches a token when configured with a credential, then GET /v1/config. */
  static async open(options: RestCatalogOptions): Promise<RestCatalog> {
    const { baseUri, properties: fromUri } = parseRestUri(options.uri);
    const client: Record<string, string> = { ...fromUri, ...options.properties };
    const explicit: [string, string | undefined][] = [
      [REST_PROPERTY.credential, options.credential],
      [REST_PROPERTY.token, options.token],
      [REST_PROPERTY.scope, options.scope],
      [REST_PROPERTY.warehouse, options.warehouse],
      [REST_PROPERTY.prefix, options.prefix],
    ];
    for (const [key, value] of explicit) if (value !== undefined) client[key] = value;

    const tokens = tokenSource(baseUri, client, options);
    const bootstrap = new RestHttpClient({
      baseUri,
      tokens,
      signer: sigV4SignerFromProperties(client),
      fetch: options.fetch,
    });
    const config = asObject(
      (
        await bootstrap.send({
          method: "GET",
          path: "/v1/config",
          query: { warehouse: client[REST_PROPERTY.warehouse] },
        })
      ).body,
      "GET /v1/config",
    );
    const merged = mergeProperties(
      stringMap(config.defaults, "config defaults"),
      client,
      stringMap(config.overrides, "config overrides"),
    );
    const separator = merged[REST_PROPERTY.namespaceSeparator];
    const paths = new RestPaths(
      merged[REST_PROPERTY.prefix],
      separator ? decodeURIComponent(separator) : DEFAULT_NAMESPACE_SEPARATOR,
    );
    // A token the server hands out in its config replaces a static one; a credential flow keeps its own.
    const finalTokens =
      merged[REST_PROPERTY.token] !== undefined && client[REST_PROPERTY.credential] === undefined
        ? staticToken(merged[REST_PROPERTY.token])
        : tokens;
    const http = new RestHttpClient({
      baseUri,
      tokens: finalTokens,
      signer: sigV4SignerFromProperties(merged),
      fetch: options.fetch,
      idempotency: idempotencyPolicy(config),
    });
    const files = new TableFileIOFactory(options.io ?? createFileIO(), merged);
    const endpoints =
      config.endpoints === undefined || config.endpoints === null
        ? undefined
        : new Set(stringList(config.endpoints, "config endpoints").map((entry) => entry.trim().replace(/\s+/g, " ")));
    return new RestCatalog(options.name ?? "rest", merged, http, paths, files, endpoints);
  }

  /** The URI this catalog talks to, without credentials. */
  static describe(uri: string): string {
    return describeUri(parseRestUri(uri).baseUri);
  }

  // ---- namespaces ----

  async createNamespace(namespace: Namespace, properties: Record<string, string> = {}): Promise<void> {
    checkNamespace(namespace);
    await this.http.send({
      method: "POST",
      path: this.paths.namespaces(),
      body: { namespace: [...namespace], properties: { ...properties } },
      mutating: true,
    });
  }

  async listNamespaces(parent?: Namespace): Promise<Namespace[]> {
    if (parent !== undefined) checkNamespace(parent);
    const parentParam = parent === undefined ? undefined : this.paths.namespaceParam(parent);
    const out: Namespace[] = [];
    for await (const page of this.pages(this.paths.namespaces(), { parent: parentParam }))
      for (const entry of Array.isArray(page.namespaces) ? page.namespaces : [])
        out.push(namespaceList(entry, "list namespaces"));
    return out;
  }

  async namespaceExists(namespace: Namespace): Promise<boolean> {
    checkNamespace(namespace);
    return this.http.exists({ method: "HEAD", path: this.paths.namespace(namespace) });
  }

  async loadNamespaceProperties(namespace: Namespace): Promise<Record<string, string>> {
    checkNamespace(namespace);
    const { body } = await this.http.send({ method: "GET", path: this.paths.namespace(namespace) });
    return stringMap(asObject(body, "load namespace").properties, "namespace properties");
  }

  async updateNamespaceProperties(
    namespace: Namespace,
    removals: string[],
    updates: Record<string, string>,
  ): Promise<PropertiesUpdateResult> {
    checkNamespace(namespace);
    const { body } = await this.http.send({
      method: "POST",
      path: this.paths.namespaceProperties(namespace),
      body: { removals: [...removals], updates: { ...updates } },
      mutating: true,
    });
    const result = asObject(body, "update namespace properties");
    return {
      updated: stringList(result.updated, "updated properties"),
      removed: stringList(result.removed, "removed properties"),
      missing: stringList(result.missing, "missing properties"),
    };
  }

  async dropNamespace(namespace: Namespace): Promise<void> {
    checkNamespace(namespace);
    await this.http.send({ method: "DELETE", path: this.paths.namespace(namespace), mutating: true });
  }

  // ---- tables ----

  async listTables(namespace: Namespace): Promise<TableIdentifier[]> {
    checkNamespace(namespace);
    const out: TableIdentifier[] = [];
    for await (const page of this.pages(this.paths.tables(namespace), {}))
      for (const entry of Array.isArray(page.identifiers) ? page.identifiers : []) {
        const identifier = asObject(entry, "list tables");
        out.push({ namespace: namespaceList(identifier.namespace, "list tables"), name: String(identifier.name) });
      }
    return out;
  }

  async createTable(identifier: TableIdentifier, options: CreateTableOptions): Promise<LoadedTable> {
    checkIdentifier(identifier);
    const { body } = await this.sendCreate(identifier, options, false);
    return this.loadedTable(identifier, body, "create table");
  }

  /**
   * The metadata the server would create, without creating anything (`stage-create`). The table
   * comes into being with a commitTable (or commitTransaction) whose requirements hold assert-create.
   */
  async stageCreateTable(identifier: TableIdentifier, options: CreateTableOptions): Promise<TableMetadata> {
    checkIdentifier(identifier);
    const { body } = await this.sendCreate(identifier, options, true);
    const result = parseLoadTableResult(body ?? null);
    // Credentials vended for the staged location serve the commit that creates the table.
    this.tableIO.set(
      formatTableIdentifier(identifier),
      this.files.forTable(result.metadata.location, result.config, result.storageCredentials),
    );
    return result.metadata;
  }

  private sendCreate(identifier: TableIdentifier, options: CreateTableOptions, stageCreate: boolean) {
    const properties = { ...options.properties };
    // The REST create request has no format version field: Iceberg clients pass it as this property.
    if (options.formatVersion !== undefined) properties["format-version"] = String(options.formatVersion);
    return this.http.send({
      method: "POST",
      path: this.paths.tables(identifier.namespace),
      headers: DELEGATION_HEADER,
      body: createTableRequestToJson({
        name: identifier.name,
        schema: options.schema,
        ...(options.location === undefined ? {} : { location: options.location }),
        ...(options.partitionSpec === undefined ? {} : { partitionSpec: options.partitionSpec }),
        ...(options.sortOrder === undefined ? {} : { writeOrder: options.sortOrder }),
        ...(stageCreate ? { stageCreate: true } : {}),
        properties,
      }),
      mutating: true,
    });
  }

  async loadTable(identifier: TableIdentifier): Promise<LoadedTable> {
    checkIdentifier(identifier);
    const { body } = await this.http.send({
      method: "GET",
      path: this.paths.table(identifier),
      headers: DELEGATION_HEADER,
    });
    return this.loadedTable(identifier, body, "load table");
  }

  async tableExists(identifier: TableIdentifier): Promise<boolean> {
    checkIdentifier(identifier);
    return this.http.exists({ method: "HEAD", path: this.paths.table(identifier) });
  }

  async renameTable(from: TableIdentifier, to: TableIdentifier): Promise<void> {
    checkIdentifier(from);
    checkIdentifier(to);
    await this.http.send({
      method: "POST",
      path: this.paths.rename(),
      body: { source: identifierJson(from), destination: identifierJson(to) },
      mutating: true,
    });
    this.tableIO.delete(formatTableIdentifier(from));
  }

  async dropTable(identifier: TableIdentifier, options: { purge?: boolean } = {}): Promise<void> {
    checkIdentifier(identifier);
    await this.http.send({
      method: "DELETE",
      path: this.paths.table(identifier),
      query: { purgeRequested: options.purge ? "true" : undefined },
      mutating: true,
    });
    this.tableIO.delete(formatTableIdentifier(identifier));
  }

  async registerTable(identifier: TableIdentifier, metadataLocation: string): Promise<LoadedTable> {
    checkIdentifier(identifier);
    const { body } = await this.http.send({
      method: "POST",
      path: this.paths.register(identifier.namespace),
      headers: DELEGATION_HEADER,
      body: { name: identifier.name, "metadata-location": metadataLocation },
      mutating: true,
    });
    return this.loadedTable(identifier, body, "register table");
  }

  async commitTable(
    identifier: TableIdentifier,
    requirements: TableRequirement[],
    updates: TableUpdate[],
  ): Promise<LoadedTable> {
    checkIdentifier(identifier);
    // The server publishes what this process wrote (manifests, data files): make it durable first.
    await syncDeferredWrites();
    const { body } = await this.http.send({
      method: "POST",
      path: this.paths.table(identifier),
      body: commitJson(identifier, requirements, updates),
      mutating: true,
      commit: true,
    });
    const response = asObject(body, "commit table");
    const metadataLocation = response["metadata-location"];
    if (typeof metadataLocation !== "string")
      throw ioError(
        `REST catalog answered the commit to ${formatTableIdentifier(identifier)} without a metadata-location`,
      );
    const metadata = parseTableMetadata(response.metadata ?? null);
    const io = this.tableIO.get(formatTableIdentifier(identifier)) ?? this.files.forTable(metadata.location, {}, []);
    return {
      identifier: { namespace: [...identifier.namespace], name: identifier.name },
      metadataLocation,
      metadata,
      io,
    };
  }

  /**
   * Commits to several tables atomically (POST /v1/{prefix}/transactions/commit). The server
   * answers 204 without metadata, so each table is loaded afterwards: what comes back is the
   * table as it is then, which a later commit by someone else may already have moved past.
   */
  async commitTransaction(commits: TableCommit[]): Promise<LoadedTable[]> {
    for (const commit of commits) checkIdentifier(commit.identifier);
    if (this.endpoints !== undefined && !this.endpoints.has(TRANSACTIONS_ENDPOINT))
      throw unsupported(
        `REST catalog ${this.name} does not support multi-table commits: its config does not list ${TRANSACTIONS_ENDPOINT}`,
      );
    if (commits.length === 0) return [];
    await syncDeferredWrites();
    await this.http.send({
      method: "POST",
      path: this.paths.transactionsCommit(),
      body: {
        "table-changes": commits.map((commit) => commitJson(commit.identifier, commit.requirements, commit.updates)),
      },
      mutating: true,
      commit: true,
    });
    const tables: LoadedTable[] = [];
    for (const commit of commits) tables.push(await this.loadTable(commit.identifier));
    return tables;
  }

  async close(): Promise<void> {
    this.tableIO.clear();
  }

  // ---- helpers ----

  /** A LoadTableResult as a LoadedTable, its FileIO built from the vended settings. */
  private loadedTable(identifier: TableIdentifier, body: JsonValue | undefined, what: string): LoadedTable {
    const result = parseLoadTableResult(body ?? null);
    if (result.metadataLocation === null)
      throw ioError(`REST catalog answered ${what} ${formatTableIdentifier(identifier)} without a metadata-location`);
    const io = this.files.forTable(result.metadata.location, result.config, result.storageCredentials);
    this.tableIO.set(formatTableIdentifier(identifier), io);
    return {
      identifier: { namespace: [...identifier.namespace], name: identifier.name },
      metadataLocation: result.metadataLocation,
      metadata: result.metadata,
      io,
    };
  }

  /** Every page of a paginated list route (servers that do not paginate send one). */
  private async *pages(path: string, query: Record<string, string | undefined>): AsyncIterable<JsonObject> {
    let pageToken: string | undefined;
    const seen = new Set<string>();
    do {
      const { body } = await this.http.send({ method: "GET", path, query: { ...query, pageToken } });
      const page = asObject(body, `GET ${path}`);
      yield page;
      const next = page["next-page-token"];
      pageToken = typeof next === "string" && next !== "" ? next : undefined;
      if (pageToken !== undefined) {
        if (seen.has(pageToken)) throw ioError(`REST catalog repeated page token ${pageToken} for GET ${path}`);
        seen.add(pageToken);
      }
    } while (pageToken !== undefined);
  }
}

/** The token source the client properties ask for: credential flow, static token, or none. */
function tokenSource(baseUri: string, client: Record<string, string>, options: RestCatalogOptions): TokenSource {
  const credential = client[REST_PROPERTY.credential];
  if (credential !== undefined && credential !== "")
    return new ClientCredentialsTokenSource({
      credential,
      tokenEndpoint: client[REST_PROPERTY.oauth2ServerUri] ?? `${baseUri}/v1/oauth/tokens`,
      scope: client[REST_PROPERTY.scope],
      fetch: options.fetch,
      now: options.now,
    });
  const token = client[REST_PROPERTY.token];
  if (token !== undefined && token !== "") return staticToken(token);
  return anonymous;
}
