/**
 * The queries both sides run, as SQL over a relation, and the raw-DuckDB side of every figure:
 * one zstd Parquet file per day written by a plain `COPY ... ORDER BY element_id, event_time`
 * (DuckDB's default row groups, no field ids, no Iceberg), queried with `read_parquet` over the
 * files of the days in range (a user picking day files by name) and the same predicates.
 */
import { stat } from "node:fs/promises";
import { dayNumber, dayString } from "../src/clicks/generator-sql.ts";
import type { Engine } from "../src/engine/duckdb.ts";
import { quoteString } from "../src/engine/sql/quoting.ts";

/** `TIMESTAMP 'YYYY-MM-DD 00:00:00'` of the day `offset` days after `day`. */
export const dayStart = (day: string, offset = 0): string =>
  `TIMESTAMP '${dayString(dayNumber(day) + offset)} 00:00:00'`;

/** Day query, count: how many clicks the relation holds. */
export const countSql = (relation: string): string => `SELECT count(*)::BIGINT AS clicks FROM (${relation})`;

/** Day query, aggregate: clicks per country. */
export const countryAggSql = (relation: string): string =>
  `SELECT country, count(*)::BIGINT AS clicks FROM (${relation}) GROUP BY country ORDER BY country`;

/** Element query, a dashboard's series: the element's clicks per day. */
export const perDaySql = (relation: string): string =>
  `SELECT CAST(event_time AS DATE) AS day, count(*)::BIGINT AS clicks FROM (${relation}) GROUP BY 1 ORDER BY 1`;

/** The raw files of one run: one per day, in day order. */
export interface RawFiles {
  dir: string;
  byDay: Map<string, string>;
}

/** `read_parquet` over the raw files of `days`. */
export function rawRead(files: RawFiles, days: readonly string[]): string {
  const paths = days.map((day) => {
    const file = files.byDay.get(day);
    if (!file) throw new Error(`bench: no raw file for ${day}`);
    return quoteString(file);
  });
  return `read_parquet([${paths.join(", ")}])`;
}

/** Raw relation of one day's clicks (all columns, or `columns`). */
export function rawDayRelation(files: RawFiles, day: string, columns = "*"): string {
  return `SELECT ${columns} FROM ${rawRead(files, [day])} WHERE event_time >= ${dayStart(day)} AND event_time < ${dayStart(day, 1)}`;
}

/** Raw relation of one element's clicks over the inclusive days `window` (first..last). */
export function rawElementRelation(files: RawFiles, window: readonly string[], elementId: bigint): string {
  const first = window[0];
  const last = window[window.length - 1];
  return `SELECT event_time FROM ${rawRead(files, window)}
          WHERE element_id = ${elementId} AND event_time >= ${dayStart(first)} AND event_time < ${dayStart(last, 1)}`;
}

/** Writes `source` sorted by (element_id, event_time) to a zstd Parquet file with a plain COPY; rows and bytes. */
export async function writeRawFile(
  engine: Engine,
  source: string,
  file: string,
): Promise<{ rows: number; bytes: number }> {
  const [row] = await engine.all<{ Count: bigint }>(
    `COPY (SELECT * FROM (${source}) ORDER BY element_id, event_time) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  return { rows: Number(row.Count), bytes: (await stat(file)).size };
}

/** An element the element queries look up, chosen by its popularity over the whole range. */
export interface ChosenElement {
  label: "hot" | "median" | "cold";
  elementId: bigint;
  /** Its clicks over the whole loaded range. */
  clicks: number;
  /** Its rank by clicks (1 = most clicked; ties by element id) among the elements clicked at all. */
  rank: number;
}

/**
 * The most clicked element, the one at the middle rank and the least clicked one (of those
 * clicked at all), ranked by clicks descending then element id: deterministic for a seed.
 */
export async function chooseElements(
  engine: Engine,
  files: RawFiles,
  days: readonly string[],
): Promise<ChosenElement[]> {
  const rows = await engine.all<{ element_id: bigint; clicks: bigint; rank: bigint; n: bigint }>(
    `WITH c AS (SELECT element_id, count(*) AS clicks FROM ${rawRead(files, days)} GROUP BY element_id),
          r AS (SELECT *, row_number() OVER (ORDER BY clicks DESC, element_id) AS rank, count(*) OVER () AS n FROM c)
     SELECT element_id, clicks, rank, n FROM r WHERE rank IN (1, (n + 1) // 2, n) ORDER BY rank`,
  );
  const labels: ChosenElement["label"][] = rows.length === 3 ? ["hot", "median", "cold"] : ["hot", "cold"];
  return rows.map((row, i) => ({
    label: labels[Math.min(i, labels.length - 1)],
    elementId: row.element_id,
    clicks: Number(row.clicks),
    rank: Number(row.rank),
  }));
}
