/**
 * Retrying optimistic commits. A commit-conflict means another writer moved the table first; the
 * caller refreshes, re-validates against the new state and tries again after a backoff that
 * doubles per attempt (capped), with jitter so that writers which collided once do not collide
 * again in lockstep. The limits are the reference implementation's `commit.retry.*` properties.
 */
import { FloeError } from "../core/errors.ts";
import {
  COMMIT_MAX_RETRY_WAIT_MS,
  COMMIT_MAX_RETRY_WAIT_MS_DEFAULT,
  COMMIT_MIN_RETRY_WAIT_MS,
  COMMIT_MIN_RETRY_WAIT_MS_DEFAULT,
  COMMIT_NUM_RETRIES,
  COMMIT_NUM_RETRIES_DEFAULT,
  COMMIT_TOTAL_RETRY_TIME_MS,
  COMMIT_TOTAL_RETRY_TIME_MS_DEFAULT,
  propertyInt,
} from "../spec/table-properties.ts";

/** How often and how patiently a commit is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (so numRetries + 1 attempts at most). */
  numRetries: number;
  minWaitMs: number;
  maxWaitMs: number;
  /** No new attempt starts once this much time has passed since the first. */
  totalTimeoutMs: number;
}

/** The retry policy configured by a table's properties. */
export function retryPolicyFromProperties(properties: Readonly<Record<string, string>>): RetryPolicy {
  return {
    numRetries: Math.max(0, propertyInt(properties, COMMIT_NUM_RETRIES, COMMIT_NUM_RETRIES_DEFAULT)),
    minWaitMs: Math.max(0, propertyInt(properties, COMMIT_MIN_RETRY_WAIT_MS, COMMIT_MIN_RETRY_WAIT_MS_DEFAULT)),
    maxWaitMs: Math.max(0, propertyInt(properties, COMMIT_MAX_RETRY_WAIT_MS, COMMIT_MAX_RETRY_WAIT_MS_DEFAULT)),
    totalTimeoutMs: Math.max(
      0,
      propertyInt(properties, COMMIT_TOTAL_RETRY_TIME_MS, COMMIT_TOTAL_RETRY_TIME_MS_DEFAULT),
    ),
  };
}

/** The wait before retry number `retry` (1-based): exponential, capped, plus up to 10% jitter. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const base = Math.min(policy.minWaitMs * 2 ** Math.max(0, retry - 1), policy.maxWaitMs);
  return Math.round(base + Math.random() * 0.1 * base);
}

/** Whether an error means "try again": a retryable FloeError (a commit-conflict). */
export const isRetryable = (error: unknown): boolean => error instanceof FloeError && error.retryable;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt(n)` (n = 0 for the first try) until it succeeds, fails with a non-retryable error,
 * or the policy's retries or total time are used up; then the last error is thrown.
 */
export async function runWithRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!isRetryable(error) || n >= policy.numRetries) throw error;
      const wait = backoffMs(policy, n + 1);
      if (Date.now() - started + wait > policy.totalTimeoutMs) throw error;
      await sleep(wait);
    }
  }
}
