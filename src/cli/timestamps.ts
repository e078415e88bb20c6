/** Points in time given on the command line. */
import { badInput } from "../core/errors.ts";

/**
 * A point in time as epoch milliseconds: an integer is epoch ms; otherwise an ISO date or timestamp
 * ("2025-01-31", "2025-01-31 12:00:00", "...T12:00:00+02:00"), UTC unless it carries an offset.
 * `accepted` completes the error message ("`what` must be `accepted`").
 */
export function parseTimestampMs(value: string, what: string, accepted: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  let iso = text.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += "T00:00:00";
  if (!/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(iso)) iso += "Z";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw badInput(`${what} must be ${accepted}, got "${value}"`);
  return ms;
}
