/**
 * Client credentials: random client ids and secrets, and scrypt hashes of the secrets so the
 * database never holds one in clear. The stored form names its parameters, so they can be raised
 * later without invalidating existing principals.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { ...params, maxmem: 256 * params.N * params.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A new client id: public, printed and stored in clear. */
export const newClientId = (): string => `floe-${randomBytes(9).toString("base64url")}`;

/** A new client secret: 256 random bits, shown once and then only kept as a hash. */
export const newClientSecret = (): string => randomBytes(32).toString("base64url");

/** "scrypt$N$r$p$salt$hash" (base64url salt and hash) of `secret`. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** True when `secret` matches a hash from hashSecret; false for any malformed stored hash. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5], "base64url");
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(secret, Buffer.from(parts[4], "base64url"), { N, r, p });
  return timingSafeEqual(actual, expected);
}
