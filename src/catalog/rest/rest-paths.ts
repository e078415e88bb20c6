/**
 * The routes of the Iceberg REST catalog API: /v1/{prefix}/namespaces/{namespace}/tables/{table}.
 * Namespace levels travel joined by the namespace separator (0x1F unless the server says
 * otherwise); every path segment is percent-encoded.
 */
import type { Namespace, TableIdentifier } from "../catalog.ts";

/** The default namespace separator, the unit separator byte. */
export const DEFAULT_NAMESPACE_SEPARATOR = "\u001f";

/** Builds route paths for one catalog prefix. */
export class RestPaths {
  private readonly root: string;
  private readonly separator: string;

  /** `prefix` may be empty; `separator` is the decoded namespace separator. */
  constructor(prefix: string | undefined, separator = DEFAULT_NAMESPACE_SEPARATOR) {
    const trimmed = (prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.root = trimmed === "" ? "/v1" : `/v1/${trimmed.split("/").map(encodeURIComponent).join("/")}`;
    this.separator = separator;
  }

  /** The namespace as one query parameter value (not yet URL-encoded). */
  namespaceParam(namespace: Namespace): string {
    return namespace.join(this.separator);
  }

  namespaces(): string {
    return `${this.root}/namespaces`;
  }

  namespace(namespace: Namespace): string {
    return `${this.root}/namespaces/${encodeURIComponent(this.namespaceParam(namespace))}`;
  }

  namespaceProperties(namespace: Namespace): string {
    return `${this.namespace(namespace)}/properties`;
  }

  tables(namespace: Namespace): string {
    return `${this.namespace(namespace)}/tables`;
  }

  register(namespace: Namespace): string {
    return `${this.namespace(namespace)}/register`;
  }

  table(identifier: TableIdentifier): string {
    return `${this.tables(identifier.namespace)}/${encodeURIComponent(identifier.name)}`;
  }

  rename(): string {
    return `${this.root}/tables/rename`;
  }

  transactionsCommit(): string {
    return `${this.root}/transactions/commit`;
  }
}
