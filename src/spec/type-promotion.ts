/**
 * Primitive type promotions allowed by schema evolution (spec "Schema Evolution"): int → long,
 * float → double, decimal(P,S) → decimal(P',S) with P' > P, and from v3 date → timestamp /
 * timestamp_ns and unknown → anything. Everything else would change how existing files read.
 */
import { asDecimal, normalizePrimitive, parsePrimitive } from "./conversions.ts";
import type { PrimitiveType } from "./types.ts";

/**
 * Whether a column of type `from` may become `to` in a table of `formatVersion` (default 2, the
 * strict set; pass 3 for the v3 additions). Identical types count as allowed (a no-op).
 */
export function isPromotionAllowed(from: PrimitiveType, to: PrimitiveType, formatVersion = 2): boolean {
  if (normalizePrimitive(from) === normalizePrimitive(to)) return true;
  const a = parsePrimitive(from);
  const b = parsePrimitive(to);
  if (a.kind === "int") return b.kind === "long";
  if (a.kind === "float") return b.kind === "double";
  if (a.kind === "decimal" && b.kind === "decimal") {
    const da = asDecimal(a)!;
    const db = asDecimal(b)!;
    return da.scale === db.scale && db.precision >= da.precision;
  }
  if (formatVersion >= 3) {
    if (a.kind === "date") return b.kind === "timestamp" || b.kind === "timestamp_ns";
    if (a.kind === "unknown") return true;
  }
  return false;
}
