/**
 * Access tokens: HMAC-SHA256 signed JWTs (via jose) naming the principal's client id, with an
 * expiry. Verification failures never echo the token: messages only say what was wrong with it.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, errors, jwtVerify } from "jose";
import { FloeError } from "../../core/errors.ts";

/** The `iss` claim of floe's tokens. */
export const TOKEN_ISSUER = "floe";
/** Default token lifetime: one hour. */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** What a verified token says. */
export interface TokenClaims {
  clientId: string;
  scope?: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

/** Signs a token for `clientId` valid `ttlSeconds` from `nowMs`. */
export async function issueAccessToken(
  key: Uint8Array,
  options: { clientId: string; scope?: string; ttlSeconds: number; nowMs: number },
): Promise<string> {
  const issuedAt = Math.floor(options.nowMs / 1000);
  return new SignJWT(options.scope === undefined ? {} : { scope: options.scope })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(options.clientId)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + options.ttlSeconds)
    .sign(key);
}

/** Verifies signature, issuer and expiry; unauthorized FloeError otherwise. */
export async function verifyAccessToken(key: Uint8Array, token: string, nowMs: number): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ["HS256"],
      issuer: TOKEN_ISSUER,
      currentDate: new Date(nowMs),
      requiredClaims: ["sub", "exp"],
    });
    return {
      clientId: String(payload.sub),
      scope: typeof payload.scope === "string" ? payload.scope : undefined,
      expiresAt: Number(payload.exp),
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new FloeError("unauthorized", "the bearer token has expired");
    // The cause is dropped on purpose: jose errors may carry the claims or the token itself.
    throw new FloeError("unauthorized", "the bearer token is not valid (bad signature, format or issuer)");
  }
}
