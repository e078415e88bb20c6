/**
 * Resolving the inputs of an ingest: plain paths and glob patterns (`*`, `?`, `**`, `[abc]`,
 * `{a,b}`) to a sorted, de-duplicated list of local files, and each file's format from its
 * extension (after a compression suffix) unless the caller names one. Node 20 has no fs.glob, so
 * patterns are matched here: walk from the pattern's literal prefix, test paths with a RegExp.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../core/errors.ts";
import type { IngestFormat } from "./record-sources.ts";

/** One input file to ingest. */
export interface InputFile {
  /** Absolute path. */
  path: string;
  format: IngestFormat;
  /** Size in bytes. */
  bytes: number;
}

const GLOB_CHARS = /[*?[{]/;
const COMPRESSION_SUFFIX = /\.(gz|gzip|zst|zstd)$/i;
const FORMAT_BY_EXTENSION: Record<string, IngestFormat> = {
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".json": "ndjson",
  ".csv": "csv",
  ".parquet": "parquet",
  ".pq": "parquet",
};

/** Whether a file name ends in a compression suffix (.gz, .zst) that DuckDB's readers decompress. */
export const isCompressed = (file: string): boolean => COMPRESSION_SUFFIX.test(file);

/** The format a file name implies, or undefined. Compressed text files (x.ndjson.gz) keep their format. */
export function formatOf(file: string): IngestFormat | undefined {
  const name = file.replace(COMPRESSION_SUFFIX, "");
  return FORMAT_BY_EXTENSION[path.extname(name).toLowerCase()];
}

/** A RegExp matching whole paths against a glob pattern ("**" spans directories, "*" does not). */
export function globToRegExp(pattern: string): RegExp {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*" && pattern[i + 1] === "*") {
      // "**/" matches zero or more directories; a trailing "**" anything.
      if (pattern[i + 2] === "/") {
        out += "(?:.*/)?";
        i += 2;
      } else {
        out += ".*";
        i += 1;
      }
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\");
        out += `[${body}]`;
        i = end;
      }
    } else if (c === "{") {
      const end = pattern.indexOf("}", i + 1);
      if (end < 0) out += "\\{";
      else {
        out += `(?:${pattern
          .slice(i + 1, end)
          .split(",")
          .map((alt) =>
            alt
              .replace(/[.+^$()|\\]/g, "\\$&")
              .replace(/\*/g, "[^/]*")
              .replace(/\?/g, "[^/]"),
          )
          .join("|")})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries: import("node:fs").Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

async function expandGlob(pattern: string): Promise<string[]> {
  const absolute = path.resolve(pattern).split(path.sep).join("/");
  const parts = absolute.split("/");
  const firstGlob = parts.findIndex((part) => GLOB_CHARS.test(part));
  const base = parts.slice(0, firstGlob).join("/") || "/";
  const regex = globToRegExp(absolute);
  const matches: string[] = [];
  for await (const file of walk(base)) {
    if (regex.test(file.split(path.sep).join("/"))) matches.push(file);
  }
  return matches;
}

/**
 * The files named by `inputs` (paths or globs), sorted and de-duplicated, with their formats.
 * bad-input when a path does not exist, a glob matches nothing, or a format cannot be told.
 */
export async function resolveInputs(inputs: string[], format?: IngestFormat): Promise<InputFile[]> {
  if (inputs.length === 0) throw badInput("ingest needs at least one input file or glob");
  const paths = new Set<string>();
  for (const input of inputs) {
    if (GLOB_CHARS.test(input) && !(await stat(input).catch(() => undefined))) {
      const matched = await expandGlob(input);
      if (matched.length === 0) throw badInput(`ingest: no files match ${input}`);
      for (const file of matched) paths.add(file);
    } else {
      const info = await stat(input).catch(() => undefined);
      if (!info) throw badInput(`ingest: input file ${input} does not exist`);
      // A directory means the files in it (recursively) whose extension names a format.
      if (info.isDirectory()) {
        for await (const file of walk(path.resolve(input))) if (format || formatOf(file)) paths.add(file);
      } else paths.add(path.resolve(input));
    }
  }
  const files: InputFile[] = [];
  for (const file of [...paths].sort()) {
    const detected = format ?? formatOf(file);
    if (!detected) throw badInput(`ingest: cannot tell the format of ${file}; name it (ndjson, csv or parquet)`);
    files.push({ path: file, format: detected, bytes: (await stat(file)).size });
  }
  return files;
}
