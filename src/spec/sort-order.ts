/** Sort orders as plain data mirroring the spec JSON. */

export type SortDirection = "asc" | "desc";
export type NullOrder = "nulls-first" | "nulls-last";

export interface SortField {
  transform: string;
  "source-id": number;
  "source-ids"?: number[];
  direction: SortDirection;
  "null-order": NullOrder;
}

export interface SortOrder {
  "order-id": number;
  fields: SortField[];
}

/** Order id 0 is reserved for the unsorted order. */
export const UNSORTED_ORDER: SortOrder = { "order-id": 0, fields: [] };
