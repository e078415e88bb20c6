/**
 * A sanitized copy of an NDJSON file that read_json reads as exactly one record per line, numbered
 * like the exact checker numbers the original's lines: DuckDB reads the original with the exact
 * checker's own line reader and writes every line back followed by "\n", except that a line
 * read_json might trip over or read differently — blank, not starting with "{", not valid JSON, or
 * holding the placeholder key prefix — becomes a placeholder `{"__floe_skip": <size>,
 * "__floe_text": <the line as a JSON string>}` (size 0 for blank lines, which are no records). The
 * fast reader never certifies placeholders, so their lines go to the exact checker with their
 * original text.
 *
 * The copy is written in parallel and in line order (COPY keeps the order of its input), without
 * numbering lines: the numbering is implied by the order. Costs about one more read and one JSON
 * validation per line; used only for files that are not plain (ndjson-layout.ts) or that
 * read_json failed on.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Engine } from "../engine/duckdb.ts";
import { quoteString } from "../engine/sql/quoting.ts";
import { SKIP, SKIP_TEXT } from "./ndjson-fast-read.ts";
import { readLines } from "./record-sources.ts";

/** Writes the sanitized copy of `file` into `directory`; returns its path. */
export async function sanitizeNdjson(engine: Engine, file: string, directory: string): Promise<string> {
  const copy = path.join(directory, `sanitized-${randomUUID()}.ndjson`);
  const blank = quoteString(`{"${SKIP}":0}`);
  const placeholder = `'{"${SKIP}":' || (strlen(line) + 1) || ',"${SKIP_TEXT}":' || to_json(line) || '}'`;
  await engine.run(
    `COPY (SELECT CASE WHEN line IS NULL OR trim(line) = '' THEN ${blank}
        WHEN starts_with(line, '{') AND NOT contains(line, '"__floe_') AND json_valid(line) THEN line
        ELSE ${placeholder} END
      FROM ${readLines(file)})
     TO ${quoteString(copy)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u0001\u0002\u0003\u0004')`,
  );
  return copy;
}
