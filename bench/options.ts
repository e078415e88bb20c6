/** Command-line options of the benchmark (`npm run bench -- --days D --per-day N ...`). */
import { badInput } from "../src/core/errors.ts";

/** What one benchmark run measures, and where it writes. */
export interface BenchOptions {
  /** Days of clicks loaded (floe and raw). */
  days: number;
  /** Clicks per day. */
  perDay: number;
  /** Distinct element ids. */
  elements: number;
  seed: number;
  /** First day, "YYYY-MM-DD". */
  start: string;
  /** Timed repetitions per query (after one warm-up run). */
  queries: number;
  /** Metadata-only appends made to the commit table (commit and planning figures). */
  commits: number;
  /** Directory of the JSON results (`latest.json` is updated there too). */
  out: string;
  /** Scratch directory for the warehouse and raw files (default: a fresh temp dir, removed after). */
  work?: string;
  /** Keep the scratch directory. */
  keep: boolean;
  /** DuckDB threads (default: one per core). */
  threads?: number;
  /** Measure the REST server's figures (loadTable, commit, concurrent commits); default on. */
  http: boolean;
  /** Days of the S3 one-element lookup figure (off unless given; the figure is 365). */
  s3Days?: number;
  /** Clicks per day of the S3 lookup table. */
  s3PerDay: number;
}

const DEFAULTS: BenchOptions = {
  days: 7,
  perDay: 1_000_000,
  elements: 100_000,
  seed: 42,
  start: "2025-01-01",
  queries: 20,
  commits: 1000,
  out: "bench/results",
  keep: false,
  http: true,
  s3PerDay: 20_000,
};

const USAGE =
  "usage: npm run bench -- --days D --per-day N [--elements K] [--seed S] [--start YYYY-MM-DD] [--queries Q] [--commits C] [--out DIR] [--work DIR] [--keep] [--threads T] [--no-http] [--s3-days D [--s3-per-day N]]";

function positive(flag: string, text: string | undefined, min = 1): number {
  const value = Number(text);
  if (text === undefined || !Number.isSafeInteger(value) || value < min)
    throw badInput(`bench: ${flag} needs an integer >= ${min}, got ${text ?? "nothing"}\n${USAGE}`);
  return value;
}

/** Parses `argv` (the arguments after the script name). */
export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = (): string | undefined => argv[++i];
    switch (flag) {
      case "--no-http":
        options.http = false;
        break;
      case "--s3-days":
        options.s3Days = positive(flag, next());
        break;
      case "--s3-per-day":
        options.s3PerDay = positive(flag, next());
        break;
      case "--days":
        options.days = positive(flag, next());
        break;
      case "--per-day":
        options.perDay = positive(flag, next());
        break;
      case "--elements":
        options.elements = positive(flag, next());
        break;
      case "--seed":
        options.seed = positive(flag, next(), 0);
        break;
      case "--start": {
        const start = next();
        if (!start || !/^\d{4}-\d{2}-\d{2}$/.test(start)) throw badInput(`bench: --start needs YYYY-MM-DD\n${USAGE}`);
        options.start = start;
        break;
      }
      case "--queries":
        options.queries = positive(flag, next());
        break;
      case "--commits":
        options.commits = positive(flag, next(), 2);
        break;
      case "--out":
        options.out = next() ?? DEFAULTS.out;
        break;
      case "--work":
        options.work = next();
        break;
      case "--keep":
        options.keep = true;
        break;
      case "--threads":
        options.threads = positive(flag, next());
        break;
      default:
        throw badInput(`bench: unknown argument ${flag}\n${USAGE}`);
    }
  }
  return options;
}
