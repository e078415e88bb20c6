/**
 * Human-readable text of a partition value, as the reference implementation writes it into
 * partition paths (Java's toString forms): dates "2017-11-16", timestamps "2017-11-16T22:31:08"
 * (with "Z" for timestamptz), binary as base64, floats as Java prints them, null as "null".
 */
import {
  asDecimal,
  formatDate,
  formatDecimal,
  formatFloatJava,
  formatTimeJava,
  formatTimestampJava,
  parsePrimitive,
} from "../conversions.ts";
import { type IcebergType, type Value, isPrimitive } from "../types.ts";

/** The human-readable text of a value of `type`. */
export function valueToHuman(type: IcebergType, value: Value): string {
  if (value === null) return "null";
  if (!isPrimitive(type)) return String(value);
  const p = parsePrimitive(type);
  switch (p.kind) {
    case "date":
      return typeof value === "number" ? formatDate(value) : String(value);
    case "time":
      return typeof value === "bigint" ? formatTimeJava(value * 1000n) : String(value);
    case "timestamp":
    case "timestamptz":
    case "timestamp_ns":
    case "timestamptz_ns":
      return typeof value === "bigint"
        ? formatTimestampJava(value, p.kind.endsWith("_ns"), p.kind.startsWith("timestamptz"))
        : String(value);
    case "decimal":
      return typeof value === "bigint" ? formatDecimal(value, asDecimal(p)!.scale) : String(value);
    case "float":
    case "double":
      return typeof value === "number" ? formatFloatJava(value, p.kind === "float") : String(value);
    default:
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : String(value);
  }
}
