/**
 * Literal conversion: a caller's JS literal becomes a Value of the bound column's type, and back.
 *
 * Strings are read in the spec's JSON single-value form (dates "2024-01-31", timestamps
 * "2024-01-31T10:00:00" / with an offset for timestamptz, decimals "14.20", binary as hex), plus
 * two conveniences: a bare date for any timestamp type (midnight) and a timestamptz without offset
 * (UTC). Numbers and bigints convert to any numeric, date or time type. A literal outside the
 * column type's range converts to ABOVE_MAX or BELOW_MIN, which binding turns into a constant
 * (x < 2^40 on an int column is always true), as the reference implementation does.
 */
import { isFloeError, validation } from "../core/errors.ts";
import {
  asDecimal,
  bytesToHex,
  decimalDigits,
  fixedLength,
  formatDecimal,
  fromJsonValue,
  hexToBytes,
  parseDate,
  parseDecimal,
  parsePrimitive,
  toJsonValue,
  uuidFromBytes,
} from "../spec/conversions.ts";
import type { PrimitiveType, Value } from "../spec/types.ts";
import type { Literal } from "./bound.ts";
import type { LiteralInput } from "./expressions.ts";

/** A literal greater than every value of the column type. */
export const ABOVE_MAX: unique symbol = Symbol("above-max");
/** A literal less than every value of the column type. */
export const BELOW_MIN: unique symbol = Symbol("below-min");
/** The result of converting a literal: a value, or a marker for out-of-range literals. */
export type ConvertedLiteral = Literal | typeof ABOVE_MAX | typeof BELOW_MIN;

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?Infinity$/;
const DATE_ONLY = /^[+-]?\d{4,}-\d{2}-\d{2}$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const describe = (input: LiteralInput): string =>
  input instanceof Uint8Array
    ? `bytes ${bytesToHex(input)}`
    : typeof input === "string"
      ? JSON.stringify(input)
      : `${typeof input} ${String(input)}`;

/** Converts a caller's literal to a value of `type` for column `column`; validation error when it cannot. */
export function toLiteral(type: PrimitiveType, input: LiteralInput, column: string): ConvertedLiteral {
  const fail = (reason?: string, cause?: unknown): never => {
    throw validation(
      `cannot use ${describe(input)} as a ${type} literal for column ${column}${reason ? `: ${reason}` : ""}`,
      cause,
    );
  };
  if (typeof input === "number" && Number.isNaN(input)) fail("NaN is not a literal, use is-nan / not-nan");
  const p = parsePrimitive(type);
  try {
    switch (p.kind) {
      case "boolean":
        if (typeof input === "boolean") return input;
        if (typeof input === "string" && /^(true|false)$/i.test(input)) return input.toLowerCase() === "true";
        return fail();
      case "int":
        return inRange(integerOf(input) ?? fail("not an integer"), INT_MIN, INT_MAX, Number);
      case "long":
        return inRange(integerOf(input) ?? fail("not an integer"), LONG_MIN, LONG_MAX, (v) => v);
      case "float":
      case "double": {
        const n = floatOf(input) ?? fail("not a number");
        // The column stores float32, so compare against the float32 nearest the literal (as the
        // reference implementation casts).
        return p.kind === "float" ? Math.fround(n) : n;
      }
      case "decimal": {
        const { precision, scale } = asDecimal(p)!;
        const unscaled = decimalOf(input, scale) ?? fail();
        if (decimalDigits(unscaled) > precision) return unscaled < 0n ? BELOW_MIN : ABOVE_MAX;
        return unscaled;
      }
      case "date":
        if (typeof input === "string") return parseDate(input);
        return inRange(integerOf(input) ?? fail("not a day count"), INT_MIN, INT_MAX, Number);
      case "time":
        if (typeof input === "string") return fromJsonValue(type, input) as bigint;
        return inRange(integerOf(input) ?? fail("not a microsecond count"), LONG_MIN, LONG_MAX, (v) => v);
      case "timestamp":
      case "timestamptz":
      case "timestamp_ns":
      case "timestamptz_ns": {
        if (typeof input !== "string")
          return inRange(integerOf(input) ?? fail("not a timestamp"), LONG_MIN, LONG_MAX, (v) => v);
        let text = DATE_ONLY.test(input) ? `${input}T00:00:00` : input;
        if (p.kind.startsWith("timestamptz") && !HAS_OFFSET.test(text)) text += "+00:00";
        return fromJsonValue(type, text) as bigint;
      }
      case "string":
        return typeof input === "string" ? input : fail();
      case "uuid":
        if (input instanceof Uint8Array) return uuidFromBytes(input);
        return typeof input === "string" && UUID_TEXT.test(input) ? input.toLowerCase() : fail();
      case "fixed":
      case "binary": {
        const bytes = input instanceof Uint8Array ? input : typeof input === "string" ? hexToBytes(input) : fail();
        const length = fixedLength(p);
        if (length !== undefined && bytes.length !== length) fail(`needs ${length} bytes`);
        return bytes;
      }
      default:
        return fail("columns of this type cannot be filtered");
    }
  } catch (error) {
    if (isFloeError(error, "validation")) throw error;
    return fail(error instanceof Error ? error.message : undefined, error);
  }
}

/** An integral literal as a bigint, or undefined when the input is not a whole number. */
function integerOf(input: LiteralInput): bigint | undefined {
  if (typeof input === "bigint") return input;
  if (typeof input === "number") return Number.isInteger(input) ? BigInt(input) : undefined;
  if (typeof input === "string" && INTEGER_TEXT.test(input.trim())) return BigInt(input.trim());
  return undefined;
}

/** A floating point literal, or undefined. */
function floatOf(input: LiteralInput): number | undefined {
  if (typeof input === "number") return input;
  if (typeof input === "bigint") return Number(input);
  if (typeof input === "string" && FLOAT_TEXT.test(input.trim())) return Number(input.trim());
  return undefined;
}

function inRange<T>(
  value: bigint,
  min: bigint,
  max: bigint,
  to: (v: bigint) => T,
): T | typeof ABOVE_MAX | typeof BELOW_MIN {
  if (value > max) return ABOVE_MAX;
  if (value < min) return BELOW_MIN;
  return to(value);
}

/**
 * The unscaled decimal of a literal. Text must be exact at the scale (a literal with more digits
 * would silently change the predicate); numbers round half-up as the reference implementation does.
 */
function decimalOf(input: LiteralInput, scale: number): bigint | undefined {
  const factor = 10n ** BigInt(Math.max(scale, 0));
  if (typeof input === "bigint") return scale >= 0 ? input * factor : roundHalfUp(String(input), scale);
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return undefined;
    return Number.isInteger(input) && scale >= 0 ? BigInt(input) * factor : roundHalfUp(String(input), scale);
  }
  // parseDecimal refuses text with more fraction digits than the scale.
  if (typeof input === "string") return parseDecimal(input, scale);
  return undefined;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Decimal text (plain or scientific) rounded half away from zero to `scale` fraction digits. */
function roundHalfUp(text: string, scale: number): bigint {
  const m = DECIMAL_TEXT.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw validation(`not a decimal: ${text}`);
  const fraction = m[3] ?? "";
  let unscaled = BigInt(m[2] + fraction || "0");
  const shift = scale + Number(m[4] ?? 0) - fraction.length;
  if (shift >= 0) unscaled *= 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    const remainder = unscaled % divisor;
    unscaled /= divisor;
    if (remainder * 2n >= divisor) unscaled += 1n;
  }
  return m[1] === "-" ? -unscaled : unscaled;
}

/**
 * A caller-style literal for a value of `type`, such that toLiteral(type, it) gives the value back.
 * Decimals become their exact text (a bigint would read as a whole number); dates, times,
 * timestamps become their ISO text so projected and residual expressions read well; the rest stay.
 */
export function literalFromValue(type: PrimitiveType, value: Literal): LiteralInput {
  const p = parsePrimitive(type);
  if (p.kind === "decimal" && typeof value === "bigint") return formatDecimal(value, asDecimal(p)!.scale);
  if (p.kind === "date" || p.kind === "time" || p.kind.startsWith("timestamp")) {
    try {
      const json = toJsonValue(type, value);
      if (typeof json === "string") return json;
    } catch {
      // Out of the type's range (a projected bound past the last day): the raw count reads back the same.
    }
  }
  return value;
}

/** Whether a value of this type can be NaN. */
export const isFloatingType = (type: PrimitiveType): boolean => {
  const kind = parsePrimitive(type).kind;
  return kind === "float" || kind === "double";
};

/** A readable literal for explain output: strings quoted, temporal values and decimals as ISO/decimal text. */
export function formatValue(type: PrimitiveType | undefined, value: Value | LiteralInput): string {
  if (value === null) return "null";
  if (value instanceof Uint8Array) return `X'${bytesToHex(value)}'`;
  if (type !== undefined) {
    const text = literalFromValue(type, value);
    if (typeof text === "string" && parsePrimitive(type).kind !== "string" && parsePrimitive(type).kind !== "uuid")
      return text;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
