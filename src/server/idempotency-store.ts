/**
 * Where the server keeps Idempotency-Keys and the responses they finalized: the table
 * floe_idempotency_keys in the catalog database, next to the auth tables, so every server over
 * one PostgreSQL database replays what any of them answered. Like the auth tables it uses only
 * string columns and parameters, so the same statements run on SQLite and PostgreSQL.
 *
 * A key goes through two states. A request first *claims* it (an insert: the primary key lets
 * exactly one of several concurrent requests win); the winner runs the operation and then either
 * *finishes* the key with the response to replay, or *releases* it when the answer must not be
 * replayed (a server error), so a retry runs again. A claim nobody finished within a while belongs
 * to a server that died mid-request and may be taken over.
 */
import { randomUUID } from "node:crypto";
import type { SqlDialect, SqlRow } from "../catalog/sql-dialect.ts";

/** One row per (principal, key). */
export const IDEMPOTENCY_TABLE = "floe_idempotency_keys";

const DDL =
  `CREATE TABLE ${IDEMPOTENCY_TABLE} (` +
  "principal VARCHAR(255) NOT NULL, " +
  "idempotency_key VARCHAR(36) NOT NULL, " +
  "request_hash VARCHAR(64) NOT NULL, " +
  "key_state VARCHAR(10) NOT NULL, " +
  "claim_id VARCHAR(36) NOT NULL, " +
  "claimed_at VARCHAR(40) NOT NULL, " +
  "expires_at VARCHAR(40) NOT NULL, " +
  "response_status VARCHAR(5), " +
  "response_headers TEXT, " +
  "response_body TEXT, " +
  "PRIMARY KEY (principal, idempotency_key))";

/** A finalized response, as it is replayed. */
export interface StoredResponse {
  status: number;
  /** The headers worth replaying (content type, ETag). */
  headers: Record<string, string>;
  /** The body text; empty for 204. */
  body: string;
}

/** What claiming a key found. */
export type IdempotencyClaim =
  /** The key was free (or expired, or abandoned): the caller runs the request, then finishes or releases. */
  | { outcome: "claimed"; claimId: string }
  /** A request with this key was finalized: replay `response` (if `requestHash` matches). */
  | { outcome: "finished"; requestHash: string; response: StoredResponse }
  /** A request with this key is running right now. */
  | { outcome: "in-flight"; requestHash: string };

/** A claim attempt. */
export interface ClaimRequest {
  /** Principal name ("" for anonymous callers): keys of different callers never meet. */
  principal: string;
  /** The key, lower-cased. */
  key: string;
  /** Digest of what was asked (method, path, body): a key must not be reused for another request. */
  requestHash: string;
  /** Now, ms since the epoch. */
  now: number;
  /** How long from its first claim the key is honoured. */
  lifetimeMs: number;
  /** After this long an unfinished claim is considered abandoned. */
  abandonedAfterMs: number;
}

/** The key store the idempotency middleware needs. */
export interface IdempotencyStore {
  claim(request: ClaimRequest): Promise<IdempotencyClaim>;
  /** Stores the response to replay; does nothing when the claim was taken over meanwhile. */
  finish(principal: string, key: string, claimId: string, response: StoredResponse): Promise<void>;
  /** Gives the key up (the response is not replayable), so a retry runs the request again. */
  release(principal: string, key: string, claimId: string): Promise<void>;
  /** Deletes keys whose lifetime ended before `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Claims are re-examined a few times when another request changes the row between two statements. */
const MAX_CLAIM_ROUNDS = 8;

/** IdempotencyStore on the catalog's SQL database. */
export class SqlIdempotencyStore implements IdempotencyStore {
  private constructor(private readonly dialect: SqlDialect) {}

  /** Opens the store, creating its table when missing (safe from several processes at once). */
  static async open(dialect: SqlDialect): Promise<SqlIdempotencyStore> {
    if (!(await dialect.tableExists(IDEMPOTENCY_TABLE))) {
      try {
        await dialect.execute(DDL);
      } catch (error) {
        // Another process may have created it between the check and the CREATE; that is success.
        if (!(await dialect.tableExists(IDEMPOTENCY_TABLE))) throw error;
      }
    }
    return new SqlIdempotencyStore(dialect);
  }

  async claim(request: ClaimRequest): Promise<IdempotencyClaim> {
    const { principal, key, now } = request;
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round += 1) {
      const row = await this.row(principal, key);
      if (row === undefined) {
        const claimId = randomUUID();
        try {
          await this.dialect.execute(
            `INSERT INTO ${IDEMPOTENCY_TABLE} (principal, idempotency_key, request_hash, key_state, claim_id, ` +
              "claimed_at, expires_at) VALUES (?, ?, ?, 'pending', ?, ?, ?)",
            [principal, key, request.requestHash, claimId, iso(now), iso(now + request.lifetimeMs)],
          );
          return { outcome: "claimed", claimId };
        } catch (error) {
          // A concurrent request claimed the key first: look at what it left.
          if (this.dialect.isUniqueViolation(error)) continue;
          throw error;
        }
      }
      const requestHash = String(row.request_hash);
      if (String(row.expires_at) <= iso(now)) {
        // Past its lifetime the key is new again; only the request that sees the old row deletes it.
        await this.dialect.execute(
          `DELETE FROM ${IDEMPOTENCY_TABLE} WHERE principal = ? AND idempotency_key = ? AND claim_id = ?`,
          [principal, key, String(row.claim_id)],
        );
        continue;
      }
      if (row.key_state === "done")
        return {
          outcome: "finished",
          requestHash,
          response: {
            status: Number(row.response_status),
            headers: JSON.parse(String(row.response_headers ?? "{}")) as Record<string, string>,
            body: String(row.response_body ?? ""),
          },
        };
      if (String(row.claimed_at) > iso(now - request.abandonedAfterMs)) return { outcome: "in-flight", requestHash };
      // Claimed long ago and never finished: its server is gone. Take it over, unless someone else just did.
      const claimId = randomUUID();
      const taken = await this.dialect.execute(
        `UPDATE ${IDEMPOTENCY_TABLE} SET claim_id = ?, claimed_at = ? ` +
          "WHERE principal = ? AND idempotency_key = ? AND claim_id = ? AND key_state = 'pending'",
        [claimId, iso(now), principal, key, String(row.claim_id)],
      );
      if (taken === 1) return { outcome: "claimed", claimId };
    }
    return { outcome: "in-flight", requestHash: request.requestHash };
  }

  async finish(principal: string, key: string, claimId: string, response: StoredResponse): Promise<void> {
    await this.dialect.execute(
      `UPDATE ${IDEMPOTENCY_TABLE} SET key_state = 'done', response_status = ?, response_headers = ?, ` +
        "response_body = ? WHERE principal = ? AND idempotency_key = ? AND claim_id = ? AND key_state = 'pending'",
      [String(response.status), JSON.stringify(response.headers), response.body, principal, key, claimId],
    );
  }

  async release(principal: string, key: string, claimId: string): Promise<void> {
    await this.dialect.execute(
      `DELETE FROM ${IDEMPOTENCY_TABLE} WHERE principal = ? AND idempotency_key = ? AND claim_id = ? ` +
        "AND key_state = 'pending'",
      [principal, key, claimId],
    );
  }

  async purgeExpired(now: number): Promise<number> {
    return this.dialect.execute(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE expires_at <= ?`, [iso(now)]);
  }

  private async row(principal: string, key: string): Promise<SqlRow | undefined> {
    const rows = await this.dialect.query(
      `SELECT request_hash, key_state, claim_id, claimed_at, expires_at, response_status, response_headers, ` +
        `response_body FROM ${IDEMPOTENCY_TABLE} WHERE principal = ? AND idempotency_key = ?`,
      [principal, key],
    );
    return rows[0];
  }
}
