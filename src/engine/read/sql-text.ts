/**
 * Small SQL text builders the read path shares, on top of the engine's quoting rules
 * (sql/quoting.ts): every name and string from metadata or a caller is quoted, so a column called
 * `select` or a path with a quote cannot change a query.
 */
import { quoteIdentifier, quoteString } from "../sql/quoting.ts";

export { quoteIdentifier as quoteIdent, quoteString };

/** A DuckDB list literal of strings: ['a', 'b']. */
export const stringList = (items: readonly string[]): string => `[${items.map(quoteString).join(", ")}]`;

/** A column reference through nested struct fields: "s"."inner"."x", optionally qualified by a relation alias. */
export const columnPath = (names: readonly string[], qualifier?: string): string =>
  [...(qualifier ? [qualifier] : []), ...names].map(quoteIdentifier).join(".");
