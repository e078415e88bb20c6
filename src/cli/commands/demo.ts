/**
 * `floe demo` (what `npm start` runs): makes sure the clicks table holds data (loading a small,
 * fixed click set the first time) and runs both access patterns against it, printing results,
 * timings and what pruning left to read. Idempotent: a second run reuses the table's data. The
 * click and engine modules load when the command runs.
 */
import type { Command } from "commander";
import type { Catalog, TableIdentifier } from "../../catalog/catalog.ts";
import { formatTableIdentifier, parseTableIdentifier } from "../../catalog/identifiers.ts";
import { stringifyJson } from "../../core/json.ts";
import type { ClickQuery } from "../../clicks/queries.ts";
import type { Engine } from "../../engine/duckdb.ts";
import { formatBytes } from "../../ingest/progress.ts";
import type { Table } from "../../table/table.ts";
import { type Row, formatTable } from "../output.ts";
import { DEFAULT_CLICKS_TABLE, loadClicksWithProgress, loadSummary } from "./clicks.ts";
import { withContext } from "./run.ts";
import { positiveIntegerFlag, withEngine } from "./sql.ts";

/** The demo's click set unless --days / --per-day say otherwise. */
export const DEMO_LOAD = { days: 7, perDay: 100_000, start: "2025-01-01", seed: 20250101, elements: 100_000 };

/** Rows shown per sample. */
const SAMPLE_ROWS = 5;
const SAMPLE_COLUMNS = ["event_time", "element_id", "event_id", "user_id", "country", "city", "os"];

const round = (ms: number) => Math.round(ms * 10) / 10;

/** One access pattern's run: the count, a sample, timings and pruning. */
interface PatternRun {
  count: bigint;
  sample: Row[];
  planningMs: number;
  executionMs: number;
  sampleMs: number;
  files: ClickQuery["explain"]["files"];
  rowGroups: ClickQuery["explain"]["rowGroups"];
  bytesRead: bigint;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/** Counts with one query (timed: planning, execution) and shows a sample with another. */
async function runPattern(
  engine: Engine,
  build: (options: { count?: boolean; columns?: string[] }) => Promise<ClickQuery>,
): Promise<PatternRun> {
  const [countQuery, planningMs] = await timed(() => build({ count: true }));
  const [[{ count }], executionMs] = await timed(() => engine.all<{ count: bigint }>(countQuery.sql));
  const [sample, sampleMs] = await timed(async () => {
    const rows = await build({ columns: SAMPLE_COLUMNS });
    return engine.all<Row>(
      `SELECT COLUMNS(*)::VARCHAR FROM (${rows.sql}) AS sample ORDER BY event_time, event_id LIMIT ${SAMPLE_ROWS}`,
    );
  });
  const { explain } = countQuery;
  return {
    count,
    sample,
    planningMs: round(planningMs),
    executionMs: round(executionMs),
    sampleMs: round(sampleMs),
    files: explain.files,
    rowGroups: explain.rowGroups,
    bytesRead: explain.bytes,
  };
}

/** The days the table holds: from the generated-day markers of its snapshots, else from the data. */
async function daysHeld(engine: Engine, catalog: Catalog, table: Table, name: string): Promise<[string, string]> {
  const [{ GENERATED_DAY_SUMMARY }, { planSql }] = await Promise.all([
    import("../../clicks/load.ts"),
    import("../../engine/sql-query.ts"),
  ]);
  const days = table
    .snapshots()
    .map((s) => s.summary[GENERATED_DAY_SUMMARY])
    .filter((d): d is string => typeof d === "string")
    .sort();
  if (days.length > 0) return [days[0], days[days.length - 1]];
  const sql = await planSql(
    engine,
    catalog,
    `SELECT strftime(min(event_time), '%Y-%m-%d') AS first, strftime(max(event_time), '%Y-%m-%d') AS last FROM ${name}`,
  );
  const [row] = await engine.all<{ first: string; last: string }>(sql);
  return [row.first, row.last];
}

/** The most clicked element between two days (inclusive), and how long finding it took. */
async function topElement(
  engine: Engine,
  catalog: Catalog,
  name: string,
  first: string,
  last: string,
): Promise<{ elementId: bigint; clicks: bigint; ms: number }> {
  const { planSql } = await import("../../engine/sql-query.ts");
  const [[row], ms] = await timed(async () =>
    engine.all<{ element_id: bigint; clicks: bigint }>(
      await planSql(
        engine,
        catalog,
        `SELECT element_id, count(*) AS clicks FROM ${name}
         WHERE event_time >= TIMESTAMP '${first} 00:00:00' AND event_time < TIMESTAMP '${last} 00:00:00' + INTERVAL 1 DAY
         GROUP BY element_id ORDER BY clicks DESC, element_id LIMIT 1`,
      ),
    ),
  );
  return { elementId: row.element_id, clicks: row.clicks, ms: round(ms) };
}

function describePattern(run: PatternRun): string[] {
  const rowGroups = run.rowGroups
    ? `row groups read ${run.rowGroups.read} of ${run.rowGroups.considered} (${run.rowGroups.pruned} pruned)`
    : "row groups unknown (remote files)";
  return [
    `  count: ${run.count}`,
    `  planning ${run.planningMs} ms, execution ${run.executionMs} ms (sample ${run.sampleMs} ms)`,
    `  files read ${run.files.read} of ${run.files.considered} (${run.files.pruned} pruned), ${rowGroups}, ${formatBytes(
      Number(run.bytesRead),
    )} in files read`,
    ...(run.sample.length > 0
      ? formatTable(run.sample)
          .split("\n")
          .map((line) => `  ${line}`)
      : ["  (no rows)"]),
  ];
}

interface DemoFlags {
  days: string;
  perDay: string;
  table: string;
}

/** Ensures data, runs both patterns, prints the results. */
async function runDemo(
  engine: Engine,
  catalog: Catalog,
  identifier: TableIdentifier,
  flags: DemoFlags,
  json: boolean,
): Promise<void> {
  const print = (line: string) => {
    if (!json) process.stdout.write(`${line}\n`);
  };
  const [{ createClicksTable }, { queryDay, queryElement }] = await Promise.all([
    import("../../clicks/schema.ts"),
    import("../../clicks/queries.ts"),
  ]);
  const name = formatTableIdentifier(identifier);
  const table = await createClicksTable(catalog, identifier);
  const held = BigInt(table.currentSnapshot()?.summary["total-records"] ?? "0");
  let loaded: string | null = null;
  if (held === 0n) {
    const days = positiveIntegerFlag(flags.days, "--days");
    const perDay = positiveIntegerFlag(flags.perDay, "--per-day");
    print(`${name} is empty: loading ${days} days x ${perDay} clicks from ${DEMO_LOAD.start} (seed ${DEMO_LOAD.seed})`);
    const result = await loadClicksWithProgress(engine, catalog, identifier, { ...DEMO_LOAD, days, perDay });
    loaded = loadSummary(name, result);
    print(loaded);
    await table.refresh();
  } else {
    print(`${name} already holds ${held} clicks: reusing them (drop the table to start over)`);
  }
  const total = BigInt(table.currentSnapshot()?.summary["total-records"] ?? "0");
  const [first, last] = await daysHeld(engine, catalog, table, name);

  print("");
  print(`Pattern 1 (ML jobs): every click of one day, ${first}`);
  const day = await runPattern(engine, (options) => queryDay(engine, table, first, options));
  for (const line of describePattern(day)) print(line);

  const top = await topElement(engine, catalog, name, first, last);
  print("");
  print(
    `Pattern 2 (dashboards): element ${top.elementId}, the most clicked from ${first} to ${last} (found in ${top.ms} ms)`,
  );
  const element = await runPattern(engine, (options) =>
    queryElement(engine, table, top.elementId, { ...options, from: first, to: last }),
  );
  for (const line of describePattern(element)) print(line);

  if (json) {
    process.stdout.write(
      `${stringifyJson(
        {
          table: name,
          loaded,
          reused: loaded === null,
          rows: total,
          days: { first, last },
          day: { day: first, ...day },
          element: { elementId: top.elementId, from: first, to: last, findMs: top.ms, ...element },
        },
        2,
      )}\n`,
    );
  }
}

/** Registers `floe demo`. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      `load a small click set into the clicks table if it is empty (${DEMO_LOAD.days} days x ${DEMO_LOAD.perDay} from ${DEMO_LOAD.start}), then run both access patterns with timings`,
    )
    .option("--days <n>", "days to load when the table is empty", String(DEMO_LOAD.days))
    .option("--per-day <n>", "clicks per day to load when the table is empty", String(DEMO_LOAD.perDay))
    .option("--table <ns.table>", "the clicks table", DEFAULT_CLICKS_TABLE)
    .action((flags: DemoFlags, command: Command) =>
      withContext(command, async ({ catalog, output }) => {
        const identifier = parseTableIdentifier(flags.table);
        const opened = await catalog();
        await withEngine((engine) => runDemo(engine, opened, identifier, flags, output.json));
      }),
    );
}
