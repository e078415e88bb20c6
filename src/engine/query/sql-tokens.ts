/**
 * A small SQL tokenizer, just enough to find where a table reference ends once DuckDB's parser has
 * said where it starts: identifiers (bare or double-quoted), string literals (single-quoted,
 * E'..', dollar-quoted), numbers and punctuation, with whitespace and comments skipped. It never
 * decides what a query means; it only measures spans.
 */
import { badInput } from "../../core/errors.ts";

/** One token and where it sits in the SQL text (character offsets, end exclusive). */
export interface Token {
  kind: "ident" | "quoted-ident" | "string" | "number" | "punct";
  text: string;
  start: number;
  end: number;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Offset of the first character after whitespace and comments from `i`. */
function skipTrivia(sql: string, i: number): number {
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith("--", i)) {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (sql.startsWith("/*", i)) {
      let depth = 1;
      i += 2;
      while (i < sql.length && depth > 0) {
        if (sql.startsWith("/*", i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith("*/", i)) {
          depth--;
          i += 2;
        } else i++;
      }
    } else return i;
  }
}

/** End offset of a quoted run starting at `i` (the quote char doubles to escape itself). */
function quotedEnd(sql: string, i: number, quote: string): number {
  let j = i + 1;
  for (;;) {
    const next = sql.indexOf(quote, j);
    if (next === -1)
      throw badInput(`unterminated ${quote === "'" ? "string" : "quoted identifier"} in SQL at offset ${i}`);
    if (sql[next + 1] === quote) j = next + 2;
    else return next + 1;
  }
}

/** The token starting at or after `from`, or undefined at the end of the text. */
export function nextToken(sql: string, from: number): Token | undefined {
  const start = skipTrivia(sql, from);
  if (start >= sql.length) return undefined;
  const c = sql[start];
  const token = (kind: Token["kind"], end: number): Token => ({ kind, text: sql.slice(start, end), start, end });
  if (c === '"') return token("quoted-ident", quotedEnd(sql, start, '"'));
  if (c === "'") return token("string", quotedEnd(sql, start, "'"));
  if ((c === "E" || c === "e") && sql[start + 1] === "'") {
    // Backslash escapes inside E'' strings: skip escaped characters.
    let j = start + 2;
    for (;;) {
      if (j >= sql.length) throw badInput(`unterminated string in SQL at offset ${start}`);
      if (sql[j] === "\\") j += 2;
      else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
      else if (sql[j] === "'") return token("string", j + 1);
      else j++;
    }
  }
  const dollar = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 64));
  if (dollar) {
    const close = sql.indexOf(dollar[0], start + dollar[0].length);
    if (close === -1) throw badInput(`unterminated dollar-quoted string in SQL at offset ${start}`);
    return token("string", close + dollar[0].length);
  }
  if (IDENT_START.test(c)) {
    let j = start + 1;
    while (j < sql.length && IDENT_PART.test(sql[j])) j++;
    return token("ident", j);
  }
  if (/[0-9]/.test(c)) {
    let j = start + 1;
    while (j < sql.length && /[0-9A-Za-z_.]/.test(sql[j])) j++;
    return token("number", j);
  }
  if (sql.startsWith("=>", start) || sql.startsWith("::", start)) return token("punct", start + 2);
  return token("punct", start + 1);
}

/** The unquoted name an identifier token stands for. */
export const identName = (token: Token): string =>
  token.kind === "quoted-ident" ? token.text.slice(1, -1).replaceAll('""', '"') : token.text;

/** The offset just after the parenthesis closing the one at `open` (nested parentheses and strings skipped). */
export function closingParenEnd(sql: string, open: Token): number {
  if (open.text !== "(") throw badInput(`expected ( at offset ${open.start} of the SQL text`);
  let depth = 0;
  let token: Token | undefined = open;
  while (token) {
    if (token.text === "(") depth++;
    else if (token.text === ")" && --depth === 0) return token.end;
    token = nextToken(sql, token.end);
  }
  throw badInput(`unbalanced parentheses from offset ${open.start} of the SQL text`);
}
