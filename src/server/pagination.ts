/**
 * Pagination of list routes as the REST spec describes it: without `pageToken` everything comes
 * back in one response (next-page-token null); with it (empty for the first page) at most
 * `pageSize` items follow the item the token names. The token is the last returned item's key
 * (base64url), so a page boundary stays stable when items are added or removed meanwhile.
 */
import { badInput } from "../core/errors.ts";

/** One page and the token of the next (null on the last page). */
export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

/** Parses the `pageSize` query parameter: absent, or an integer of at least 1. */
export function parsePageSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw badInput(`pageSize must be an integer of at least 1, got "${text}"`);
  return Number(text);
}

const encodeToken = (key: string): string => Buffer.from(key, "utf8").toString("base64url");

function decodeToken(token: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(token)) throw badInput(`pageToken "${token}" is not a token this server issued`);
  return Buffer.from(token, "base64url").toString("utf8");
}

/**
 * The page of `items` (any order; sorted here by key) that `pageToken` and `pageSize` select.
 * `keyOf` must be unique per item.
 */
export function paginate<T>(
  items: T[],
  keyOf: (item: T) => string,
  pageToken: string | undefined,
  pageSize: number | undefined,
): Page<T> {
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  if (pageToken === undefined) return { items: sorted, nextPageToken: null };
  const after = pageToken === "" ? undefined : decodeToken(pageToken);
  const rest = after === undefined ? sorted : sorted.filter((item) => compare(keyOf(item), after) > 0);
  if (pageSize === undefined || rest.length <= pageSize) return { items: rest, nextPageToken: null };
  const page = rest.slice(0, pageSize);
  return { items: page, nextPageToken: encodeToken(keyOf(page[page.length - 1])) };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
