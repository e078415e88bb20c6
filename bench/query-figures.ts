/**
 * Query figures, floe beside raw DuckDB on the same data. floe's time is the whole library call a
 * caller makes: `queryDay`/`queryElement` (scan planning over the Iceberg metadata, row-group
 * explain, SQL building) plus running the SQL. Raw's time is running `read_parquet` SQL over the
 * day files of the range. Each query runs once per side to warm up, then `reps` times with the two
 * sides alternating so load on a shared machine lands on both; answers are checked equal.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { queryDay, queryElement } from "../src/clicks/queries.ts";
import type { Engine } from "../src/engine/duckdb.ts";
import { exportQuery } from "../src/engine/sql-query.ts";
import { quoteString } from "../src/engine/sql/quoting.ts";
import type { Table } from "../src/table/table.ts";
import { type Latency, latency } from "./stats.ts";
import {
  type ChosenElement,
  type RawFiles,
  countSql,
  countryAggSql,
  perDaySql,
  rawDayRelation,
  rawElementRelation,
} from "./workload.ts";

/** One query measured on both sides. */
export interface Compared {
  floe: Latency;
  raw: Latency;
  /** floe's preparation (planning, explain, SQL building) per run, ms. */
  floePrepare: Latency;
  /** floe's scan planning alone per run (the planner's own clock), ms. */
  floePlanning: Latency;
  /** Whether both sides returned the same answer. */
  same: boolean;
}

/** A side's run: its answer (as text, to compare) and floe's preparation times. */
interface Run {
  answer: string;
  prepareMs?: number;
  planningMs?: number;
}

const answerText = (rows: unknown[]): string =>
  JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value));

/** Warm-up, then `reps` alternating timed runs of both sides; `reset` runs untimed before every run. */
async function compare(
  reps: number,
  floe: () => Promise<Run>,
  raw: () => Promise<Run>,
  reset: () => Promise<void> = async () => {},
): Promise<Compared> {
  await reset();
  const floeAnswer = (await floe()).answer;
  await reset();
  const rawAnswer = (await raw()).answer;
  const times = { floe: [] as number[], raw: [] as number[], prepare: [] as number[], planning: [] as number[] };
  const once = async (which: "floe" | "raw") => {
    await reset();
    const started = performance.now();
    const run = await (which === "floe" ? floe() : raw());
    times[which].push(performance.now() - started);
    if (run.prepareMs !== undefined) times.prepare.push(run.prepareMs);
    if (run.planningMs !== undefined) times.planning.push(run.planningMs);
  };
  for (let i = 0; i < reps; i++) {
    const order: ("floe" | "raw")[] = i % 2 === 0 ? ["floe", "raw"] : ["raw", "floe"];
    for (const which of order) await once(which);
  }
  return {
    floe: latency(times.floe),
    raw: latency(times.raw),
    floePrepare: latency(times.prepare),
    floePlanning: latency(times.planning),
    same: floeAnswer === rawAnswer,
  };
}

/** Day query figures. */
export interface DayFigures {
  day: string;
  count: Compared;
  countryAgg: Compared;
  clicks: number;
}

/** Count and clicks-per-country of one day. */
export async function dayQueries(
  engine: Engine,
  table: Table,
  raw: RawFiles,
  day: string,
  reps: number,
): Promise<DayFigures> {
  let clicks = 0;
  const count = await compare(
    reps,
    async () => {
      const started = performance.now();
      const query = await queryDay(engine, table, day, { count: true });
      const prepareMs = performance.now() - started;
      const rows = await engine.all<{ count: bigint }>(query.sql);
      clicks = Number(rows[0].count);
      return { answer: String(rows[0].count), prepareMs, planningMs: query.explain.planningMs };
    },
    async () => {
      const rows = await engine.all<{ clicks: bigint }>(countSql(rawDayRelation(raw, day)));
      return { answer: String(rows[0].clicks) };
    },
  );
  const countryAgg = await compare(
    reps,
    async () => {
      const started = performance.now();
      const query = await queryDay(engine, table, day, { columns: ["country"] });
      const prepareMs = performance.now() - started;
      return {
        answer: answerText(await engine.all(countryAggSql(query.sql))),
        prepareMs,
        planningMs: query.explain.planningMs,
      };
    },
    async () => ({ answer: answerText(await engine.all(countryAggSql(rawDayRelation(raw, day, "country")))) }),
  );
  return { day, count, countryAgg, clicks };
}

/** Element query figures over one window, pooled over the chosen elements. */
export interface ElementFigures {
  windowDays: number;
  from: string;
  to: string;
  pooled: Compared;
  perElement: { label: string; elementId: string; clicksInWindow: number; floeP50: number; rawP50: number }[];
}

/** The chosen elements' clicks per day over `window` (inclusive days). */
export async function elementQueries(
  engine: Engine,
  table: Table,
  raw: RawFiles,
  window: readonly string[],
  elements: readonly ChosenElement[],
  reps: number,
): Promise<ElementFigures> {
  const from = window[0];
  const to = window[window.length - 1];
  const all: Compared[] = [];
  const perElement: ElementFigures["perElement"] = [];
  for (const element of elements) {
    let clicksInWindow = 0;
    const compared = await compare(
      reps,
      async () => {
        const started = performance.now();
        const query = await queryElement(engine, table, element.elementId, { from, to, columns: ["event_time"] });
        const prepareMs = performance.now() - started;
        const rows = await engine.all<{ clicks: bigint }>(perDaySql(query.sql));
        clicksInWindow = rows.reduce((sum, r) => sum + Number(r.clicks), 0);
        return { answer: answerText(rows), prepareMs, planningMs: query.explain.planningMs };
      },
      async () => ({
        answer: answerText(await engine.all(perDaySql(rawElementRelation(raw, window, element.elementId)))),
      }),
    );
    all.push(compared);
    perElement.push({
      label: element.label,
      elementId: String(element.elementId),
      clicksInWindow,
      floeP50: compared.floe.p50,
      rawP50: compared.raw.p50,
    });
  }
  const pool = (pick: (c: Compared) => Latency) => latency(all.flatMap((c) => pick(c).samples));
  return {
    windowDays: window.length,
    from,
    to,
    pooled: {
      floe: pool((c) => c.floe),
      raw: pool((c) => c.raw),
      floePrepare: pool((c) => c.floePrepare),
      floePlanning: pool((c) => c.floePlanning),
      same: all.every((c) => c.same),
    },
    perElement,
  };
}

/** One day exported to a zstd Parquet file. */
export interface ExportFigures {
  floe: Latency;
  raw: Latency;
  rows: number;
}

/** floe: queryDay + exportQuery (a COPY of the day's scan); raw: COPY of the day's read_parquet. */
export async function dayExport(
  engine: Engine,
  table: Table,
  raw: RawFiles,
  day: string,
  reps: number,
  scratchDir: string,
): Promise<ExportFigures> {
  await mkdir(scratchDir, { recursive: true });
  const output = path.join(scratchDir, "export.parquet");
  let rows = 0;
  const compared = await compare(
    reps,
    async () => {
      const query = await queryDay(engine, table, day);
      rows = Number(await exportQuery(engine, query.sql, { format: "parquet", output }));
      return { answer: String(rows) };
    },
    async () => {
      const [row] = await engine.all<{ Count: bigint }>(
        `COPY (${rawDayRelation(raw, day)}) TO ${quoteString(output)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      return { answer: String(row.Count) };
    },
    () => rm(output, { force: true }),
  );
  await rm(output, { force: true });
  if (!compared.same) throw new Error("bench: floe and raw exported different row counts");
  return { floe: compared.floe, raw: compared.raw, rows };
}
