/** Building and inspecting sort orders (spec "Sorting"). */
import { validation } from "../core/errors.ts";
import { resolvePartitionSource } from "./partitioning.ts";
import { type NullOrder, type SortDirection, type SortField, type SortOrder, UNSORTED_ORDER } from "./sort-order.ts";
import { parseTransform } from "./transforms.ts";
import type { Schema } from "./types.ts";

/** One requested sort field for buildSortOrder. */
export interface SortFieldRequest {
  source: string | number;
  transform?: string;
  direction?: SortDirection;
  nullOrder?: NullOrder;
}

/**
 * Builds and validates a sort order. Defaults: identity transform, ascending, and nulls first
 * for ascending / nulls last for descending (so nulls sort as the smallest value either way).
 * No fields gives the unsorted order (id 0); id 0 is reserved for it, so a sorted order with id 0
 * is rejected. The id defaults to 1.
 */
export function buildSortOrder(schema: Schema, fields: SortFieldRequest[], orderId?: number): SortOrder {
  if (fields.length === 0) {
    if (orderId !== undefined && orderId !== 0)
      throw validation(`sort order ${orderId}: an unsorted order must have id 0`);
    return { ...UNSORTED_ORDER, fields: [] };
  }
  const id = orderId ?? 1;
  if (id === 0) throw validation("sort order id 0 is reserved for the unsorted order");
  const out: SortField[] = fields.map((request) => {
    const what = `sort order ${id}: ${request.transform ?? "identity"}(${request.source})`;
    const source = resolvePartitionSource(schema, request.source, what);
    const transform = parseTransform(request.transform ?? "identity");
    if (transform.name === "unknown") throw validation(`${what}: unknown transform ${request.transform}`);
    if (!transform.canTransform(source.type))
      throw validation(`${what}: transform ${transform} cannot apply to column of type ${String(source.type)}`);
    const direction = request.direction ?? "asc";
    if (direction !== "asc" && direction !== "desc") throw validation(`${what}: invalid direction ${direction}`);
    const nullOrder = request.nullOrder ?? (direction === "asc" ? "nulls-first" : "nulls-last");
    if (nullOrder !== "nulls-first" && nullOrder !== "nulls-last")
      throw validation(`${what}: invalid null order ${nullOrder}`);
    return { transform: transform.toString(), "source-id": source.id, direction, "null-order": nullOrder };
  });
  return { "order-id": id, fields: out };
}

/** True when the order has no fields (the unsorted order). */
export const isUnsorted = (order: SortOrder): boolean => order.fields.length === 0;

/**
 * Whether data sorted by `order` is also sorted by `other`: `other` is a prefix of `order`
 * field by field, with equal source, direction and null order and a transform whose order follows.
 */
export function sortOrderSatisfies(order: SortOrder, other: SortOrder): boolean {
  if (other.fields.length > order.fields.length) return false;
  return other.fields.every((wanted, i) => {
    const have = order.fields[i];
    return (
      have["source-id"] === wanted["source-id"] &&
      have.direction === wanted.direction &&
      have["null-order"] === wanted["null-order"] &&
      parseTransform(have.transform).satisfiesOrderOf(parseTransform(wanted.transform))
    );
  });
}
