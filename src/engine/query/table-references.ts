/**
 * Finds the Iceberg table references of a SELECT: qualified table names (`ns.table`,
 * `ns.sub.table`, optionally with DuckDB's time-travel clause `AT (VERSION => ...)` /
 * `AT (TIMESTAMP => ...)`) and `iceberg_scan(...)` calls. DuckDB's own parser
 * (json_serialize_sql) says where each table reference starts, so names inside strings, comments,
 * column references and CTE names are never mistaken for tables; a tokenizer then measures how far
 * each reference runs so it can be replaced by a scan relation.
 */
import { badInput } from "../../core/errors.ts";
import { type JsonValue, parseJson } from "../../core/json.ts";
import type { Engine } from "../duckdb.ts";
import { quoteString } from "../read/sql-text.ts";
import { type Token, closingParenEnd, identName, nextToken } from "./sql-tokens.ts";

/** A time-travel clause as written: `AT (VERSION => 42)`, `AT (VERSION => 'tag')`, `AT (TIMESTAMP => '...')`. */
export interface AtClause {
  unit: string;
  value: bigint | number | string;
}

/** A span of the SQL text to replace (character offsets, end exclusive). */
export interface Span {
  start: number;
  end: number;
}

/** A qualified table name in a FROM clause. */
export interface TableNameReference {
  kind: "table";
  /** Namespace parts as written (one or two), then the table name. */
  namespace: string[];
  name: string;
  /** Alias as written; empty when none. */
  alias: string;
  at?: AtClause;
  /** The name itself. */
  nameSpan: Span;
  /** The AT clause, when there is one. */
  atSpan?: Span;
}

/** An iceberg_scan(...) table function call. */
export interface IcebergScanReference {
  kind: "iceberg_scan";
  /** Positional arguments (constants). */
  args: (bigint | number | string | boolean | null)[];
  /** Named arguments (constants), by lower-case name. */
  named: Record<string, bigint | number | string | boolean | null>;
  /** From the function name to its closing parenthesis. */
  span: Span;
}

/** Any reference the rewriter acts on. */
export type TableReference = TableNameReference | IcebergScanReference;

type JsonObject = { [key: string]: JsonValue };
const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** The constant an argument expression holds (a constant, a cast of one, or a negated number). */
function constantOf(expr: JsonValue | undefined, what: string): bigint | number | string | boolean | null {
  if (!isObject(expr)) throw badInput(`${what} must be a constant`);
  if (expr.class === "CONSTANT" && isObject(expr.value)) {
    const value = expr.value;
    if (value.is_null === true) return null;
    const v = value.value;
    if (typeof v === "string" || typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return v;
  }
  if (expr.class === "CAST") {
    // The parser writes `true` as CAST('t' AS BOOLEAN).
    const inner = constantOf(expr.child, what);
    const target = isObject(expr.cast_type) ? String(expr.cast_type.id) : "";
    if (target === "BOOLEAN" && typeof inner === "string") {
      if (/^(t|true)$/i.test(inner)) return true;
      if (/^(f|false)$/i.test(inner)) return false;
    }
    return inner;
  }
  if (
    expr.class === "FUNCTION" &&
    expr.function_name === "-" &&
    Array.isArray(expr.children) &&
    expr.children.length === 1
  ) {
    const inner = constantOf(expr.children[0], what);
    if (typeof inner === "number") return -inner;
    if (typeof inner === "bigint") return -inner;
  }
  throw badInput(`${what} must be a constant, not an expression`);
}

/** Maps DuckDB's byte offsets (UTF-8) to string offsets. */
function byteToCharMapper(sql: string): (byteOffset: number) => number {
  if (Buffer.byteLength(sql) === sql.length) return (b) => b;
  const bytes = Buffer.from(sql);
  return (b) => bytes.subarray(0, b).toString("utf8").length;
}

function expectToken(sql: string, from: number, what: string): Token {
  const token = nextToken(sql, from);
  if (!token) throw badInput(`SQL ended where ${what} was expected`);
  return token;
}

/** Measures `a.b[.c] [[AS] alias [(cols)]] [AT (...)]` from `start`. */
function measureTableName(
  sql: string,
  start: number,
  parts: number,
  hasAlias: boolean,
  hasColumnAliases: boolean,
  hasAt: boolean,
): { nameSpan: Span; atSpan?: Span } {
  let token = expectToken(sql, start, "a table name");
  let end = token.end;
  for (let i = 1; i < parts; i++) {
    const dot = expectToken(sql, end, "'.'");
    if (dot.text !== ".") throw badInput(`expected '.' at offset ${dot.start} of the SQL text`);
    token = expectToken(sql, dot.end, "a name");
    end = token.end;
  }
  const nameSpan = { start, end };
  if (!hasAt) return { nameSpan };
  let cursor = end;
  if (hasAlias) {
    let alias = expectToken(sql, cursor, "an alias");
    if (alias.kind === "ident" && alias.text.toUpperCase() === "AS") alias = expectToken(sql, alias.end, "an alias");
    cursor = alias.end;
    if (hasColumnAliases) cursor = closingParenEnd(sql, expectToken(sql, cursor, "("));
  }
  const at = expectToken(sql, cursor, "AT");
  if (at.kind !== "ident" || at.text.toUpperCase() !== "AT")
    throw badInput(`expected AT at offset ${at.start} of the SQL text`);
  return { nameSpan, atSpan: { start: at.start, end: closingParenEnd(sql, expectToken(sql, at.end, "(")) } };
}

/**
 * Every catalog-table and iceberg_scan reference of `sql`, which must be one SELECT statement
 * (bad-input FloeError with DuckDB's parser message otherwise).
 */
export async function findTableReferences(engine: Engine, sql: string): Promise<TableReference[]> {
  // The parser wants a constant, not a parameter.
  const [row] = await engine.all<{ j: string }>(`SELECT json_serialize_sql(${quoteString(sql)}) AS j`);
  const parsed = parseJson(row.j, "parsed SQL");
  if (!isObject(parsed)) throw badInput("cannot parse the SQL text");
  if (parsed.error === true)
    throw badInput(`cannot run this SQL: ${String(parsed.error_message ?? "it is not a SELECT statement")}`);
  const statements = Array.isArray(parsed.statements) ? parsed.statements : [];
  if (statements.length !== 1) throw badInput(`expected one SELECT statement, got ${statements.length}`);

  const toChar = byteToCharMapper(sql);
  const references: TableReference[] = [];
  const visit = (node: JsonValue): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!isObject(node)) return;
    if (node.type === "BASE_TABLE" && typeof node.schema_name === "string" && node.schema_name !== "") {
      const namespace = node.catalog_name ? [String(node.catalog_name), node.schema_name] : [node.schema_name];
      const atClause = isObject(node.at_clause) ? node.at_clause : undefined;
      const alias = typeof node.alias === "string" ? node.alias : "";
      const columnAliases = Array.isArray(node.column_name_alias) && node.column_name_alias.length > 0;
      const start = toChar(Number(node.query_location));
      const spans = measureTableName(sql, start, namespace.length + 1, alias !== "", columnAliases, !!atClause);
      const reference: TableNameReference = {
        kind: "table",
        namespace,
        name: String(node.table_name),
        alias,
        nameSpan: spans.nameSpan,
      };
      if (atClause) {
        const unit = String(atClause.unit).toUpperCase();
        const value = constantOf(atClause.expr, `AT (${unit} => ...)`);
        if (typeof value !== "bigint" && typeof value !== "number" && typeof value !== "string")
          throw badInput(`AT (${unit} => ${String(value)}): expected a snapshot id, a ref name or a timestamp`);
        reference.at = { unit, value };
        reference.atSpan = spans.atSpan;
      }
      references.push(reference);
    }
    if (node.type === "TABLE_FUNCTION" && isObject(node.function)) {
      const fn = node.function;
      if (String(fn.function_name).toLowerCase() === "iceberg_scan") {
        const args: IcebergScanReference["args"] = [];
        const named: IcebergScanReference["named"] = {};
        for (const child of Array.isArray(fn.children) ? fn.children : []) {
          const name = isObject(child) && typeof child.alias === "string" ? child.alias : "";
          const value = constantOf(child, `iceberg_scan argument ${name || args.length + 1}`);
          if (name) named[name.toLowerCase()] = value;
          else args.push(value);
        }
        const start = toChar(Number(fn.query_location));
        const nameToken = expectToken(sql, start, "iceberg_scan");
        if (nameToken.kind !== "ident" || identName(nameToken).toLowerCase() !== "iceberg_scan")
          throw badInput(`expected iceberg_scan at offset ${start} of the SQL text`);
        const end = closingParenEnd(sql, expectToken(sql, nameToken.end, "("));
        references.push({ kind: "iceberg_scan", args, named, span: { start, end } });
      }
    }
    for (const value of Object.values(node)) if (typeof value === "object" && value !== null) visit(value);
  };
  visit(statements[0]);
  return references;
}
