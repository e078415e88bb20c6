/**
 * Idempotency keys of the REST catalog client. A server that advertises `idempotency-key-lifetime`
 * in GET /v1/config promises that a mutating request retried with the same Idempotency-Key has no
 * further effect: it answers with the response it stored the first time. The client then sends a
 * fresh key with every mutating call and may safely resend it when the answer was lost.
 */
import { randomBytes } from "node:crypto";

/**
 * A UUIDv7 (RFC 9562), the key format the REST spec asks for: 48 bits of Unix milliseconds, then
 * the version, 74 random bits and the variant. Time-ordered keys keep the server's key index local.
 */
export function newIdempotencyKey(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  const time = BigInt(Math.max(0, Math.floor(nowMs))) & 0xffff_ffff_ffffn;
  for (let i = 0; i < 6; i += 1) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Milliseconds of an ISO-8601 duration of days and time ("PT30M", "PT24H", "P1D", "PT1H30M"), or
 * undefined for anything else (years and months have no fixed length and are not accepted).
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim().toUpperCase());
  if (match === null || text.trim().toUpperCase().endsWith("T") || match.slice(1).every((part) => part === undefined))
    return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}
