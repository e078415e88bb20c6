/**
 * The removal rules and conflict rules of overwrite, delete and replace-partitions. Without
 * row-level deletes a file can only be removed whole, so a filter removes exactly the files whose
 * rows all match it (strict partition projection or strict metrics) and refuses a file that
 * matches only in part, rather than deleting rows the caller wanted kept or keeping rows they
 * wanted gone.
 */
import { validation } from "../core/errors.ts";
import { type DataFile, DataFileContent, ManifestContent, type ManifestFile } from "../manifest/types.ts";
import type { Expression } from "../expr/expressions.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { RemovalRule } from "./file-change-producer.ts";
import { type FileFilter, describeExpression, fileFilter } from "./file-filter.ts";
import { partitionKey } from "./partition-key.ts";
import type { ConflictRules } from "./validation.ts";

const kindOf = (file: DataFile): string =>
  file.content === DataFileContent.Data
    ? "data file"
    : file.content === DataFileContent.PositionDeletes
      ? "position delete file"
      : "equality delete file";

/** Removes whole files whose rows all match `expr`; fails on a data file that matches only in part. */
export function filterRemovalRule(
  metadata: TableMetadata,
  expr: Expression,
  caseSensitive: boolean,
  tableName: string,
): RemovalRule {
  const filter = fileFilter(metadata, expr, caseSensitive);
  return {
    mayRemoveFrom: (manifest) => filter.manifestMayMatch(manifest),
    shouldRemove: (file) => {
      // A delete file goes only when its whole partition goes; its metrics describe other columns.
      if (file.content !== DataFileContent.Data) return filter.partitionAllMatch(file);
      if (!filter.mayMatch(file)) return false;
      if (filter.allMatch(file)) return true;
      throw validation(
        `${tableName}: cannot delete data file ${file.filePath}: some of its rows match ${describeExpression(expr)} and others may not; files can only be removed whole (row-level deletes are not supported yet)`,
      );
    },
  };
}

/** Removes the live files with these paths; fails if one of them is not in the table. */
export function pathRemovalRule(paths: Set<string>, tableName: string, snapshotText: string): RemovalRule {
  return {
    mayRemoveFrom: (manifest) => manifest.content === ManifestContent.Data,
    shouldRemove: (file) => paths.has(file.filePath),
    checkComplete: (removed) => {
      const found = new Set(removed.map((file) => file.filePath));
      const missing = [...paths].filter((path) => !found.has(path));
      if (missing.length > 0)
        throw validation(`${tableName}: cannot delete ${missing.join(", ")}: not a live data file of ${snapshotText}`);
    },
  };
}

/** Removes every live file (data and delete) in the partitions of `keys` (see partitionKey). */
export function partitionRemovalRule(keys: Set<string>): RemovalRule {
  const specs = new Set([...keys].map((key) => Number(key.slice(0, key.indexOf("|")))));
  return {
    mayRemoveFrom: (manifest: ManifestFile) => specs.has(manifest.partitionSpecId),
    shouldRemove: (file) => keys.has(partitionKey(file.specId ?? 0, file.partition)),
  };
}

/** Either rule removes the file. */
export function eitherRule(rules: RemovalRule[]): RemovalRule | null {
  if (rules.length === 0) return null;
  if (rules.length === 1) return rules[0];
  return {
    mayRemoveFrom: (manifest) => rules.some((rule) => rule.mayRemoveFrom(manifest)),
    shouldRemove: (file) => rules.some((rule) => rule.shouldRemove(file)),
    checkComplete: (removed) => {
      for (const rule of rules) rule.checkComplete?.(removed);
    },
  };
}

/**
 * Conflicts of an action removing files by `filters` and `paths`: a concurrently added file that
 * may hold matching rows, or a concurrently removed file the action also meant to remove.
 */
export function removalConflictRules(
  what: string,
  metadata: TableMetadata,
  filters: Expression[],
  paths: Set<string>,
  caseSensitive: boolean,
): ConflictRules {
  const matchers: { expr: Expression; filter: FileFilter }[] = filters.map((expr) => ({
    expr,
    filter: fileFilter(metadata, expr, caseSensitive),
  }));
  const matching = (file: DataFile): Expression | undefined =>
    matchers.find(({ filter }) =>
      file.content === DataFileContent.Data ? filter.mayMatch(file) : filter.partitionMayMatch(file),
    )?.expr;
  return {
    what,
    added: (file) => {
      const expr = matching(file);
      return expr === undefined
        ? null
        : `it added ${kindOf(file)} ${file.filePath}, which may hold rows matching ${describeExpression(expr)}`;
    },
    removed: (file) => {
      if (paths.has(file.filePath)) return `it already removed ${kindOf(file)} ${file.filePath}`;
      if (file.content !== DataFileContent.Data) return null;
      const expr = matching(file);
      return expr === undefined
        ? null
        : `it removed ${kindOf(file)} ${file.filePath}, which may hold rows matching ${describeExpression(expr)}`;
    },
  };
}

/** Conflicts of replacing the partitions `keys`: a concurrent add or removal in one of them. */
export function partitionConflictRules(
  what: string,
  keys: Set<string>,
  describe: (file: DataFile) => string,
): ConflictRules {
  const inReplaced = (file: DataFile) => keys.has(partitionKey(file.specId ?? 0, file.partition));
  return {
    what,
    added: (file) =>
      inReplaced(file) ? `it added ${kindOf(file)} ${file.filePath} in replaced partition ${describe(file)}` : null,
    removed: (file) =>
      file.content === DataFileContent.Data && inReplaced(file)
        ? `it removed ${kindOf(file)} ${file.filePath} in replaced partition ${describe(file)}`
        : null,
  };
}
