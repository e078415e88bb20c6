// Shared setup of the write tests: a click-style schema with nested columns, day(event_time)
// partitioning, an (element_id, event_time) sort order, and a generated source query.
import type { PartitionSpec } from "../../src/spec/partition-spec.ts";
import type { SortOrder } from "../../src/spec/sort-order.ts";
import type { Schema } from "../../src/spec/types.ts";

export const SCHEMA: Schema = {
  type: "struct",
  "schema-id": 0,
  fields: [
    { id: 1, name: "element_id", required: true, type: "long" },
    { id: 2, name: "event_time", required: true, type: "timestamp" },
    { id: 3, name: "page", required: false, type: "string" },
    { id: 4, name: "duration", required: false, type: "double" },
    {
      id: 5,
      name: "ctx",
      required: false,
      type: {
        type: "struct",
        fields: [
          { id: 6, name: "referrer", required: false, type: "string" },
          { id: 7, name: "score", required: false, type: "decimal(9,2)" },
        ],
      },
    },
    {
      id: 8,
      name: "tags",
      required: false,
      type: { type: "list", "element-id": 9, element: "string", "element-required": false },
    },
    {
      id: 10,
      name: "attrs",
      required: false,
      type: { type: "map", "key-id": 11, key: "string", "value-id": 12, value: "int", "value-required": false },
    },
    { id: 13, name: "session", required: false, type: "uuid" },
    { id: 14, name: "received", required: false, type: "timestamptz" },
    { id: 15, name: "payload", required: false, type: "binary" },
    { id: 16, name: "ratio", required: false, type: "float" },
    { id: 17, name: "seen", required: false, type: "date" },
    { id: 18, name: "flag", required: false, type: "boolean" },
  ],
};

export const DAY_SPEC: PartitionSpec = {
  "spec-id": 0,
  fields: [{ "source-id": 2, "field-id": 1000, name: "event_time_day", transform: "day" }],
};

export const SORT_ORDER: SortOrder = {
  "order-id": 1,
  fields: [
    { transform: "identity", "source-id": 1, direction: "asc", "null-order": "nulls-first" },
    { transform: "identity", "source-id": 2, direction: "asc", "null-order": "nulls-first" },
  ],
};

/** `rows` generated click rows over four days, the first before 1970; NaNs, nulls and long strings included. */
export function clickSource(rows: number): string {
  return `SELECT (i * 7919 % 500)::BIGINT AS element_id,
      TIMESTAMP '1969-12-31 00:00:00' + to_microseconds((i * 345600000000 // ${rows})::BIGINT) AS event_time,
      CASE WHEN i % 10 = 0 THEN NULL ELSE 'page-' || repeat('é', (i % 40)::INT) END AS page,
      CASE WHEN i % 13 = 0 THEN 'nan'::DOUBLE WHEN i % 11 = 0 THEN NULL ELSE i / 3.0 - 1000 END AS duration,
      CASE WHEN i % 17 = 0 THEN NULL ELSE {'referrer': 'r' || (i % 5), 'score': ((i % 1000) - 500)::DECIMAL(9,2) / 10} END AS ctx,
      CASE WHEN i % 7 = 0 THEN NULL WHEN i % 7 = 1 THEN [] ELSE ['a', 'b' || i, NULL] END AS tags,
      MAP {'k': i::INT} AS attrs,
      ('00000000-0000-4000-8000-' || lpad(printf('%x', i), 12, '0'))::UUID AS session,
      TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_microseconds(i::BIGINT * 1000) AS received,
      CASE WHEN i % 3 = 0 THEN NULL ELSE unhex(printf('%04x', i % 65536)) END AS payload,
      CASE WHEN i % 19 = 0 THEN 'nan'::FLOAT ELSE (i % 100)::FLOAT / 8 END AS ratio,
      DATE '1960-01-01' + (i % 30000)::INT AS seen,
      i % 2 = 0 AS flag
    FROM range(${rows}) t(i)`;
}
