/**
 * Partition and sort transforms (spec "Partition Transforms"): identity, bucket[N], truncate[W],
 * year, month, day, hour, void. A transform string this code does not know parses to an
 * "unknown" transform: readers keep and ignore it (required in v3), writers must refuse it.
 */
import { badInput, unsupported } from "../core/errors.ts";
import { parsePrimitive } from "./conversions.ts";
import { hashValue } from "./transforms/bucket-hash.ts";
import { valueToHuman } from "./transforms/human-string.ts";
import {
  TIME_UNIT_RANK,
  type TimeUnit,
  applyTimeUnit,
  isDateLike,
  isTimestamp,
  timeUnitToHuman,
} from "./transforms/time-units.ts";
import { type IcebergType, type Value, isPrimitive } from "./types.ts";

/** A parsed transform; instances are immutable and compare equal by `toString()`. */
export interface Transform {
  readonly name: "identity" | "bucket" | "truncate" | "year" | "month" | "day" | "hour" | "void" | "unknown";
  /** N of bucket[N], W of truncate[W]. */
  readonly param?: number;
  /** Whether a <= b implies t(a) <= t(b). */
  readonly preservesOrder: boolean;
  /** The exact spec spelling, e.g. "bucket[16]"; unknown transforms keep their original text. */
  toString(): string;
  /** Whether this transform accepts values of `source`. */
  canTransform(source: IcebergType): boolean;
  /** The type of the transformed values. */
  resultType(source: IcebergType): IcebergType;
  /** Transforms one value (null in, null out). */
  apply(source: IcebergType, value: Value): Value;
  /** Partition-path text of a transformed value (day → "2025-01-01", null → "null"). */
  toHumanString(resultType: IcebergType, value: Value): string;
  /** Whether data ordered by this transform is also ordered by `other`. */
  satisfiesOrderOf(other: Transform): boolean;
}

const kindOf = (t: IcebergType): string => (isPrimitive(t) ? parsePrimitive(t).kind : t.type);

const NOT_IDENTITY = new Set(["geometry", "geography", "variant", "struct", "list", "map"]);
const BUCKETABLE = new Set([
  "int",
  "long",
  "decimal",
  "date",
  "time",
  "timestamp",
  "timestamptz",
  "timestamp_ns",
  "timestamptz_ns",
  "string",
  "uuid",
  "fixed",
  "binary",
]);
const TRUNCATABLE = new Set(["int", "long", "decimal", "string", "binary"]);

function requireSource(t: Transform, source: IcebergType): void {
  if (!t.canTransform(source)) throw badInput(`transform ${t} cannot be applied to type ${JSON.stringify(source)}`);
}

abstract class BaseTransform implements Transform {
  abstract readonly name: Transform["name"];
  readonly param?: number;
  abstract readonly preservesOrder: boolean;
  abstract canTransform(source: IcebergType): boolean;
  abstract resultType(source: IcebergType): IcebergType;
  protected abstract applyNonNull(source: IcebergType, value: Exclude<Value, null>): Value;

  apply(source: IcebergType, value: Value): Value {
    if (value === null || value === undefined) return null;
    requireSource(this, source);
    return this.applyNonNull(source, value);
  }

  toHumanString(resultType: IcebergType, value: Value): string {
    return valueToHuman(resultType, value);
  }

  satisfiesOrderOf(other: Transform): boolean {
    return this.toString() === other.toString();
  }

  toString(): string {
    return this.param === undefined ? this.name : `${this.name}[${this.param}]`;
  }
}

class IdentityTransform extends BaseTransform {
  readonly name = "identity";
  readonly preservesOrder = true;
  canTransform(source: IcebergType): boolean {
    return !NOT_IDENTITY.has(kindOf(source));
  }
  resultType(source: IcebergType): IcebergType {
    return source;
  }
  protected applyNonNull(_source: IcebergType, value: Exclude<Value, null>): Value {
    return value;
  }
  // Ordering by the value itself implies ordering by any order-preserving function of it.
  override satisfiesOrderOf(other: Transform): boolean {
    return other.preservesOrder;
  }
}

class BucketTransform extends BaseTransform {
  readonly name = "bucket";
  readonly preservesOrder = false;
  constructor(override readonly param: number) {
    super();
  }
  canTransform(source: IcebergType): boolean {
    return BUCKETABLE.has(kindOf(source));
  }
  resultType(): IcebergType {
    return "int";
  }
  protected applyNonNull(source: IcebergType, value: Exclude<Value, null>): Value {
    return (hashValue(source as string, value) & 0x7fffffff) % this.param;
  }
}

/** Takes the first `width` code points (not UTF-16 units) of a string. */
function truncateCodePoints(text: string, width: number): string {
  if (text.length <= width) return text;
  let units = 0;
  let count = 0;
  for (const ch of text) {
    if (count === width) break;
    units += ch.length;
    count++;
  }
  return text.slice(0, units);
}

class TruncateTransform extends BaseTransform {
  readonly name = "truncate";
  readonly preservesOrder = true;
  constructor(override readonly param: number) {
    super();
  }
  canTransform(source: IcebergType): boolean {
    return TRUNCATABLE.has(kindOf(source));
  }
  resultType(source: IcebergType): IcebergType {
    return source;
  }
  protected applyNonNull(source: IcebergType, value: Exclude<Value, null>): Value {
    const w = this.param;
    switch (kindOf(source)) {
      case "int":
        if (typeof value !== "number") break;
        // The remainder must be non-negative so negative values round down, not toward zero.
        return value - (((value % w) + w) % w);
      case "long":
      case "decimal": {
        if (typeof value !== "bigint") break;
        const bw = BigInt(w);
        return value - (((value % bw) + bw) % bw);
      }
      case "string":
        if (typeof value !== "string") break;
        return truncateCodePoints(value, w);
      case "binary":
        if (!(value instanceof Uint8Array)) break;
        return value.length <= w ? value : value.slice(0, w);
    }
    throw badInput(`truncate cannot apply to ${String(value)} of type ${JSON.stringify(source)}`);
  }
}

class TimeTransform extends BaseTransform {
  readonly preservesOrder = true;
  constructor(readonly name: TimeUnit) {
    super();
  }
  canTransform(source: IcebergType): boolean {
    if (!isPrimitive(source) || !BUCKETABLE.has(kindOf(source))) return false;
    return this.name === "hour" ? isTimestamp(source) : isDateLike(source);
  }
  // day results are dates, as the reference implementation types them; the others are ints.
  resultType(): IcebergType {
    return this.name === "day" ? "date" : "int";
  }
  protected applyNonNull(source: IcebergType, value: Exclude<Value, null>): Value {
    return applyTimeUnit(this.name, source as string, value);
  }
  override toHumanString(_resultType: IcebergType, value: Value): string {
    return typeof value === "number" ? timeUnitToHuman(this.name, value) : valueToHuman("int", value);
  }
  // Finer units order coarser ones: data sorted by hour is sorted by day, month and year.
  override satisfiesOrderOf(other: Transform): boolean {
    if (!(other instanceof TimeTransform)) return false;
    return TIME_UNIT_RANK[this.name] <= TIME_UNIT_RANK[other.name];
  }
}

class VoidTransform extends BaseTransform {
  readonly name = "void";
  readonly preservesOrder = false;
  canTransform(): boolean {
    return true;
  }
  resultType(source: IcebergType): IcebergType {
    return source;
  }
  protected applyNonNull(): Value {
    return null;
  }
}

class UnknownTransform extends BaseTransform {
  readonly name = "unknown";
  readonly preservesOrder = false;
  constructor(private readonly text: string) {
    super();
  }
  // Any source is accepted so metadata with future transforms still loads; apply refuses.
  canTransform(): boolean {
    return true;
  }
  resultType(): IcebergType {
    return "string";
  }
  protected applyNonNull(): Value {
    throw unsupported(`unknown partition transform ${this.text} cannot be applied`);
  }
  override toString(): string {
    return this.text;
  }
}

const PARAMETERIZED = /^(bucket|truncate)\[\s*(\d+)\s*\]$/;
const SIMPLE: Record<string, Transform> = {
  identity: new IdentityTransform(),
  year: new TimeTransform("year"),
  month: new TimeTransform("month"),
  day: new TimeTransform("day"),
  hour: new TimeTransform("hour"),
  void: new VoidTransform(),
};

const parsedCache = new Map<string, Transform>();

/** Parses a transform string ("bucket[16]", "day", ...); unknown names give an "unknown" transform. */
export function parseTransform(text: string): Transform {
  let transform = parsedCache.get(text);
  if (!transform) {
    transform = parseUncached(text);
    // Transforms are immutable; the cache only needs a bound against unbounded distinct inputs.
    if (parsedCache.size < 10_000) parsedCache.set(text, transform);
  }
  return transform;
}

function parseUncached(text: string): Transform {
  const normalized = text.trim().toLowerCase();
  const simple = SIMPLE[normalized];
  if (simple) return simple;
  const m = PARAMETERIZED.exec(normalized);
  if (m) {
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n) || n <= 0 || n > 2 ** 31 - 1)
      throw badInput(
        `invalid transform ${text}: ${m[1] === "bucket" ? "bucket count" : "width"} must be a positive int`,
      );
    return m[1] === "bucket" ? new BucketTransform(n) : new TruncateTransform(n);
  }
  return new UnknownTransform(text);
}

/** The identity transform. */
export const IDENTITY: Transform = SIMPLE.identity;
/** The void (always null) transform. */
export const VOID: Transform = SIMPLE.void;

/** Whether the transform is one of year/month/day/hour (at most one of them per source column). */
export const isTimeTransform = (t: Transform): boolean =>
  t.name === "year" || t.name === "month" || t.name === "day" || t.name === "hour";
