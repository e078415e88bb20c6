/**
 * DuckDB values to plain JavaScript, following floe's Value table (spec/types.ts) wherever a
 * DuckDB type has an Iceberg counterpart, so rows read back from DuckDB compare directly with
 * partition values, bounds and transform results: no Date objects (they drop microseconds) and no
 * doubles for decimals (they drop digits).
 */
import {
  DuckDBArrayValue,
  DuckDBBitValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimeNSValue,
  DuckDBTimeTZValue,
  DuckDBTimeValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBUUIDValue,
  DuckDBUnionValue,
  type DuckDBValue,
} from "@duckdb/node-api";

/** A converted value: a spec Value, or a nested list / struct / map / interval of them. */
export type EngineValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | EngineValue[]
  | Map<EngineValue, EngineValue>
  | { [key: string]: EngineValue };

/**
 * Converts one DuckDB value. DATE → days since epoch (number); TIME, TIMESTAMP, TIMESTAMPTZ →
 * µs bigint (TIMESTAMP_NS → ns, TIMESTAMP_MS/_S → µs); DECIMAL → unscaled bigint; BLOB →
 * Uint8Array; UUID → lowercase string; INTERVAL → { months, days, micros }.
 */
export function toEngineValue(value: DuckDBValue): EngineValue {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof DuckDBDateValue) return value.days;
  if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) return value.micros;
  if (value instanceof DuckDBTimeValue) return value.micros;
  if (value instanceof DuckDBTimestampNanosecondsValue) return value.nanos;
  if (value instanceof DuckDBTimestampMillisecondsValue) return value.millis * 1000n;
  if (value instanceof DuckDBTimestampSecondsValue) return value.seconds * 1_000_000n;
  if (value instanceof DuckDBTimeNSValue) return value.nanos;
  if (value instanceof DuckDBTimeTZValue) return { micros: value.micros, offset: value.offset };
  if (value instanceof DuckDBDecimalValue) return value.value;
  // Plain Uint8Array, not the Buffer the binding hands out, so values compare equal to spec Values.
  if (value instanceof DuckDBBlobValue)
    return new Uint8Array(value.bytes.buffer, value.bytes.byteOffset, value.bytes.byteLength);
  if (value instanceof DuckDBUUIDValue) return value.toString();
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toEngineValue);
  if (value instanceof DuckDBStructValue) {
    const out: { [key: string]: EngineValue } = {};
    for (const [key, entry] of Object.entries(value.entries)) out[key] = toEngineValue(entry);
    return out;
  }
  if (value instanceof DuckDBMapValue)
    return new Map(value.entries.map((entry) => [toEngineValue(entry.key), toEngineValue(entry.value)]));
  if (value instanceof DuckDBIntervalValue) return { months: value.months, days: value.days, micros: value.micros };
  if (value instanceof DuckDBUnionValue) return { tag: value.tag, value: toEngineValue(value.value) };
  if (value instanceof DuckDBBitValue) return value.toString();
  return String(value);
}
