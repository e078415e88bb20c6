/**
 * Table updates and requirements, named and shaped exactly as in the Iceberg REST spec
 * (`TableUpdate`, `TableRequirement` in rest-catalog-open-api.yaml), so the same objects travel
 * through the SQL catalog, the REST server and the REST client unchanged.
 */
import type { PartitionSpec } from "./partition-spec.ts";
import type { PartitionStatisticsFile, RefType, Snapshot, StatisticsFile } from "./snapshot.ts";
import type { SortOrder } from "./sort-order.ts";
import type { Schema } from "./types.ts";

export type TableUpdate =
  | { action: "assign-uuid"; uuid: string }
  | { action: "upgrade-format-version"; "format-version": number }
  | { action: "add-schema"; schema: Schema; "last-column-id"?: number }
  | { action: "set-current-schema"; "schema-id": number } // -1 means the last added schema
  | { action: "add-spec"; spec: PartitionSpec }
  | { action: "set-default-spec"; "spec-id": number } // -1 means the last added spec
  | { action: "add-sort-order"; "sort-order": SortOrder }
  | { action: "set-default-sort-order"; "sort-order-id": number } // -1 means the last added order
  | { action: "add-snapshot"; snapshot: Snapshot }
  | {
      action: "set-snapshot-ref";
      "ref-name": string;
      type: RefType;
      "snapshot-id": bigint;
      "max-ref-age-ms"?: number;
      "max-snapshot-age-ms"?: number;
      "min-snapshots-to-keep"?: number;
    }
  | { action: "remove-snapshots"; "snapshot-ids": bigint[] }
  | { action: "remove-snapshot-ref"; "ref-name": string }
  | { action: "set-location"; location: string }
  | { action: "set-properties"; updates: Record<string, string> }
  | { action: "remove-properties"; removals: string[] }
  | { action: "set-statistics"; "snapshot-id"?: bigint; statistics: StatisticsFile }
  | { action: "remove-statistics"; "snapshot-id": bigint }
  | { action: "set-partition-statistics"; "partition-statistics": PartitionStatisticsFile }
  | { action: "remove-partition-statistics"; "snapshot-id": bigint }
  | { action: "remove-partition-specs"; "spec-ids": number[] }
  | { action: "remove-schemas"; "schema-ids": number[] };

export type TableRequirement =
  | { type: "assert-create" }
  | { type: "assert-table-uuid"; uuid: string }
  | { type: "assert-ref-snapshot-id"; ref: string; "snapshot-id": bigint | null }
  | { type: "assert-last-assigned-field-id"; "last-assigned-field-id": number }
  | { type: "assert-current-schema-id"; "current-schema-id": number }
  | { type: "assert-last-assigned-partition-id"; "last-assigned-partition-id": number }
  | { type: "assert-default-spec-id"; "default-spec-id": number }
  | { type: "assert-default-sort-order-id"; "default-sort-order-id": number };

export type TableUpdateAction = TableUpdate["action"];
export type TableRequirementType = TableRequirement["type"];
