/**
 * Replacing the table's default sort order. Columns are resolved by name against the schema the
 * commit applies to (so a retry after a concurrent rename fails clearly instead of sorting by a
 * stale id); an order equal to an existing one is reused rather than added again.
 */
import type { NullOrder, SortOrder } from "../spec/sort-order.ts";
import { type SortFieldRequest, buildSortOrder } from "../spec/sort-orders.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableUpdate } from "../spec/updates.ts";
import { BaseAction, type CommitContext } from "./action.ts";
import { currentSchema } from "./snapshot-producer.ts";

/** Options of one sort field: a transform other than identity, and the null order. */
export interface SortFieldOptions {
  transform?: string;
  nullOrder?: NullOrder;
}

const sameFields = (a: SortOrder, b: SortOrder): boolean =>
  a.fields.length === b.fields.length &&
  a.fields.every(
    (field, i) =>
      field["source-id"] === b.fields[i]["source-id"] &&
      field.transform === b.fields[i].transform &&
      field.direction === b.fields[i].direction &&
      field["null-order"] === b.fields[i]["null-order"],
  );

/** Fluent builder: `table.replaceSortOrder().asc("element_id").desc("event_time").commit()`. */
export class ReplaceSortOrder extends BaseAction {
  readonly description = "replace-sort-order";
  private readonly fields: SortFieldRequest[] = [];

  /** Sorts ascending by `column` (nulls first unless told otherwise). */
  asc(column: string, options: SortFieldOptions = {}): this {
    this.fields.push({ source: column, direction: "asc", ...options });
    return this;
  }

  /** Sorts descending by `column` (nulls last unless told otherwise). */
  desc(column: string, options: SortFieldOptions = {}): this {
    this.fields.push({ source: column, direction: "desc", ...options });
    return this;
  }

  async prepare(base: TableMetadata, _ctx: CommitContext): Promise<TableUpdate[]> {
    const nextId = Math.max(0, ...base["sort-orders"].map((order) => order["order-id"])) + 1;
    const order = buildSortOrder(currentSchema(base), this.fields, this.fields.length === 0 ? 0 : nextId);
    const existing = base["sort-orders"].find((candidate) => sameFields(candidate, order));
    if (existing) {
      if (existing["order-id"] === base["default-sort-order-id"]) return [];
      return [{ action: "set-default-sort-order", "sort-order-id": existing["order-id"] }];
    }
    return [
      { action: "add-sort-order", "sort-order": order },
      { action: "set-default-sort-order", "sort-order-id": -1 },
    ];
  }
}
