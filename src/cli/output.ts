/**
 * Output for humans and machines: `--json` prints exact JSON (int64 as bare integers), otherwise
 * aligned text tables. Commands hand rows over; they never format by hand.
 */
import { stringifyJson } from "../core/json.ts";

export type Row = Record<string, unknown>;

export interface Output {
  json: boolean;
  /** Prints a list of rows: a JSON array, or a table with the given columns. */
  rows(rows: Row[], columns?: string[]): void;
  /** Prints one object: JSON, or "key: value" lines. */
  object(value: Row): void;
  /** Prints a confirmation line (JSON: {"ok":true,...details}). */
  done(message: string, details?: Row): void;
}

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  if (typeof value === "object" && !(value instanceof Date)) return stringifyJson(value);
  return String(value);
};

/** "key: value", or "key:" followed by indented lines for lists and records. */
function describeEntry(key: string, value: unknown): string {
  if (Array.isArray(value))
    return value.length ? [`${key}:`, ...value.map((v) => `  - ${cell(v)}`)].join("\n") : `${key}: (none)`;
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    const entries = Object.entries(value);
    return entries.length ? [`${key}:`, ...entries.map(([k, v]) => `  ${k}: ${cell(v)}`)].join("\n") : `${key}: (none)`;
  }
  return `${key}: ${cell(value)}`;
}

export function formatTable(rows: Row[], columns = rows.length ? Object.keys(rows[0]) : []): string {
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [
    line(columns),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
  ].join("\n");
}

export function createOutput(
  json: boolean,
  write: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): Output {
  return {
    json,
    rows(rows, columns) {
      if (json) write(stringifyJson(rows, 2));
      else if (rows.length === 0) write("(none)");
      else write(formatTable(rows, columns));
    },
    object(value) {
      if (json) write(stringifyJson(value, 2));
      else for (const [k, v] of Object.entries(value)) write(describeEntry(k, v));
    },
    done(message, details = {}) {
      if (json) write(stringifyJson({ ok: true, message, ...details }));
      else write(message);
    },
  };
}
