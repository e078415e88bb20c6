/**
 * Deterministic synthetic clicks generated entirely inside DuckDB: one SQL query over
 * `range(offset, offset + count)` whose every column is a pure function of (seed, day, row index),
 * so the same inputs give byte-identical rows on any machine and any DuckDB version (the
 * randomness is our own integer mixing, see mix32.ts; no random() or hash()), and any slice of a
 * day (offset/count) is exactly that slice of the whole day.
 *
 * Shape of the data:
 * - element_id: Zipf-like popularity (exponent 1) over `elements` ids by the inverse CDF of a
 *   power law (rank = floor((elements+1)^u)); ranks are scattered over 1..elements by an affine
 *   permutation so the popular ids are not simply the small ones.
 * - users: a bounded population (default perDay/5, at least 1000) drawn uniformly; a user's
 *   home city, coordinates and devices do not depend on the day, so users are stable across days.
 *   Each user has up to three devices (70/22/8% of their clicks); a device keeps its model and
 *   gets one IPv4 address per day.
 * - country/city: weighted (value-domains.ts); latitude/longitude = city centre + the user's home
 *   offset (±0.15°) + a per-click jitter (±0.01°), rounded to 5 decimals.
 * - event_time: inside the day, by quarter-hour buckets weighted with a diurnal curve, uniform
 *   within the bucket (µs precision).
 * - event_id: a version-4-looking UUID whose first 32 bits are a bijection of the row index, so
 *   event ids are unique within a day by construction.
 *
 * Measured (2 cores, DuckDB 1.5): see the note in generate.ts.
 */
import { badInput } from "../core/errors.ts";
import { mixLayersSql, streamInputSql, streamSalt, weightedLookup } from "./mix32.ts";
import { ALL_CITIES, DEVICE_MODELS, HOURLY_WEIGHTS } from "./value-domains.ts";

/** Inputs of the generator; the rows are a pure function of them. */
export interface ClickGeneratorOptions {
  /** The day the clicks happen on, "YYYY-MM-DD" (event_time falls inside it). */
  day: string;
  /** Clicks in the whole day (row indexes 0 .. perDay-1). */
  perDay: number;
  /** Number of distinct element ids (1 .. elements). */
  elements: number;
  /** Seed of all randomness (a safe non-negative integer). */
  seed: number;
  /** First row index to produce (default 0). */
  offset?: number;
  /** Rows to produce (default perDay - offset). */
  count?: number;
  /** Size of the user population (default max(1000, ceil(perDay / 5))). */
  users?: number;
}

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_QUARTER_HOUR = 900_000_000;
/** Devices per user are addressed as user * DEVICE_SLOTS + slot. */
const DEVICE_SLOTS = 4;
/** 2^32 as a double, to turn a 32-bit value into a uniform number in [0, 1). */
const TWO_32 = "4294967296.0";

/** Days since 1970-01-01 of "YYYY-MM-DD"; bad-input when the text is not a real calendar day. */
export function dayNumber(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw badInput(`click generator: day "${day}" is not a calendar day "YYYY-MM-DD"`);
  }
  return ms / 86_400_000;
}

/** "YYYY-MM-DD" of a day number (inverse of dayNumber). */
export const dayString = (days: number): string => new Date(days * 86_400_000).toISOString().slice(0, 10);

const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const sqlList = (items: readonly (string | number)[]): string =>
  `[${items.map((item) => (typeof item === "string" ? sqlString(item) : String(item))).join(", ")}]`;

function requireCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw badInput(`click generator: ${name} must be an integer >= ${min}, got ${value}`);
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** An affine permutation of 0..n-1 (multiplier coprime to n) derived from the seed. */
function rankPermutation(seed: number, n: number): { multiplier: number; shift: number } {
  if (n === 1) return { multiplier: 1, shift: 0 };
  let multiplier = (streamSalt(seed, 1000) % n) | 1;
  while (gcd(multiplier, n) !== 1) multiplier = (multiplier + 2) % n || 1;
  return { multiplier, shift: streamSalt(seed, 1001) % n };
}

/** Streams drawn per click, salted by seed and day. */
const EVENT_STREAMS = ["e1", "e2", "e3", "e4", "z", "usr", "slot", "t1", "t2", "jit"] as const;

/** The SQL query producing the clicks of one day (or a slice of it) in CLICK_SCHEMA's column order. */
export function clickGeneratorSql(options: ClickGeneratorOptions): string {
  const { perDay, elements, seed } = options;
  const offset = options.offset ?? 0;
  const count = options.count ?? perDay - offset;
  const users = options.users ?? Math.max(1000, Math.ceil(perDay / 5));
  const day = dayNumber(options.day);
  requireCount("perDay", perDay, 0);
  requireCount("elements", elements, 1);
  requireCount("seed", seed, 0);
  requireCount("offset", offset, 0);
  requireCount("count", count, 0);
  requireCount("users", users, 1);
  if (offset + count > perDay) {
    throw badInput(`click generator: rows ${offset}..${offset + count} exceed the day's ${perDay} clicks`);
  }
  if (perDay > 2 ** 32 || elements > 2 ** 31 || users > 2 ** 30) {
    throw badInput(`click generator: perDay ${perDay}, elements ${elements} or users ${users} too large`);
  }

  // Stage 1: per-click streams keyed by the row index.
  const eventInputs = EVENT_STREAMS.map((name, k) => `${streamInputSql("i", streamSalt(seed, k, day))} AS ${name}`);
  const events = mixLayersSql(`(SELECT i, ${eventInputs.join(", ")} FROM range(${offset}, ${offset + count}) r(i))`, [
    ...EVENT_STREAMS,
  ]);

  // Stage 2: per-user streams (not salted by day: a user stays who they are) and per-device ones.
  const slot = `CASE WHEN slot % 100 < 70 THEN 0 WHEN slot % 100 < 92 THEN 1 ELSE 2 END`;
  const userKey = `usr % ${users}`;
  const deviceKey = `(usr % ${users}) * ${DEVICE_SLOTS} + ${slot}`;
  const stage2 = {
    uid: streamInputSql(userKey, streamSalt(seed, 100)),
    home: streamInputSql(userKey, streamSalt(seed, 101)),
    ucity: streamInputSql(userKey, streamSalt(seed, 102)),
    did: streamInputSql(deviceKey, streamSalt(seed, 103)),
    dmodel: streamInputSql(deviceKey, streamSalt(seed, 104)),
    ip: streamInputSql(deviceKey, streamSalt(seed, 105, day)),
  };
  const keyed = `(SELECT *, ${Object.entries(stage2)
    .map(([name, sql]) => `${sql} AS ${name}`)
    .join(", ")} FROM ${events})`;
  const mixed = mixLayersSql(keyed, Object.keys(stage2));

  const cityLookup = sqlList(weightedLookup(ALL_CITIES.map((c) => c.weight)));
  const modelLookup = sqlList(weightedLookup(DEVICE_MODELS.map((d) => d.weight)));
  const quarterWeights = HOURLY_WEIGHTS.flatMap((w) => [w, w, w, w]);
  const quarterLookup = sqlList(weightedLookup(quarterWeights));
  const { multiplier, shift } = rankPermutation(seed, elements);

  // List literals are 1-based; the lookups give 0-based indexes into the domain lists.
  const cityIndex = `${cityLookup}[(ucity & 1023)::BIGINT + 1] + 1`;
  const modelIndex = `${modelLookup}[(dmodel & 1023)::BIGINT + 1] + 1`;
  const rank = `least(floor(pow(${elements + 1}, z / ${TWO_32}))::BIGINT, ${elements})`;
  const signed16 = (bits: string) => `((${bits}) / 65536.0 - 0.5)`;
  const latitude = `${sqlList(ALL_CITIES.map((c) => c.latitude))}[ci] + ${signed16("home >> 16")} * 0.3 + ${signed16("jit >> 16")} * 0.02`;
  const longitude = `${sqlList(ALL_CITIES.map((c) => c.longitude))}[ci] + ${signed16("home & 65535")} * 0.3 + ${signed16("jit & 65535")} * 0.02`;
  const ipFirst = `1 + (ip >> 24) % 223`;
  const micros = `${day * MICROS_PER_DAY} + ${quarterLookup}[(t1 & 1023)::BIGINT + 1]::BIGINT * ${MICROS_PER_QUARTER_HOUR} + (t2 % ${MICROS_PER_QUARTER_HOUR})::BIGINT`;

  return `SELECT
  printf('%08x-%04x-4%03x-%04x-%04x%08x', e1, e2 >> 16, e2 & 4095, ((e3 >> 16) & 16383) | 32768, e3 & 65535, e4) AS event_id,
  printf('u-%08x', uid) AS user_id,
  printf('d-%08x', did) AS device_id,
  ((${rank} - 1) * ${multiplier} + ${shift}) % ${elements} + 1 AS element_id,
  round(greatest(-90.0, least(90.0, ${latitude})), 5) AS latitude,
  round(greatest(-180.0, least(180.0, ${longitude})), 5) AS longitude,
  ${sqlList(ALL_CITIES.map((c) => c.country))}[ci] AS country,
  make_timestamp(${micros}) AS event_time,
  printf('%d.%d.%d.%d', CASE WHEN ${ipFirst} IN (10, 127) THEN ${ipFirst} + 1 ELSE ${ipFirst} END, (ip >> 16) & 255, (ip >> 8) & 255, 1 + (ip & 255) % 254) AS ip_address,
  ${sqlList(ALL_CITIES.map((c) => c.name))}[ci] AS city,
  ${sqlList(DEVICE_MODELS.map((d) => d.os))}[mi] AS os,
  ${sqlList(DEVICE_MODELS.map((d) => d.model))}[mi] AS device_model
FROM (SELECT *, ${cityIndex} AS ci, ${modelIndex} AS mi FROM ${mixed})`;
}
