/**
 * Per-partition-field summaries for a manifest-list entry (spec "Manifest Lists", field_summary):
 * whether any value is null or NaN, and the lower / upper bound of the other values in the
 * single-value binary form. Scan planning skips a whole manifest with these.
 *
 * Every entry counts, deleted ones included, as in the reference implementation: the summary
 * describes the manifest's contents, and a bound that is too wide is only a lost optimisation.
 */
import { toBytes } from "../spec/conversions.ts";
import { compareValues } from "../spec/compare.ts";
import { type IcebergType, type StructType, type Value, isPrimitive } from "../spec/types.ts";
import type { FieldSummary } from "./types.ts";

interface FieldAccumulator {
  type: IcebergType;
  containsNull: boolean;
  containsNan: boolean;
  lower: Value;
  upper: Value;
}

/** Accumulates partition tuples and yields their field summaries. */
export class PartitionSummaryBuilder {
  private readonly fields: FieldAccumulator[];

  constructor(partitionType: StructType) {
    this.fields = partitionType.fields.map((field) => ({
      type: field.type,
      containsNull: false,
      containsNan: false,
      lower: null,
      upper: null,
    }));
  }

  /** Adds one partition tuple (values in the order of the partition type's fields). */
  add(partition: Value[]): void {
    this.fields.forEach((acc, index) => {
      const value = partition[index] ?? null;
      if (value === null) {
        acc.containsNull = true;
        return;
      }
      if (typeof value === "number" && Number.isNaN(value)) {
        acc.containsNan = true;
        return;
      }
      if (!isPrimitive(acc.type)) return;
      if (acc.lower === null || compareValues(acc.type, value, acc.lower) < 0) acc.lower = value;
      if (acc.upper === null || compareValues(acc.type, value, acc.upper) > 0) acc.upper = value;
    });
  }

  /** The summaries, one per partition field, in field order. */
  summaries(): FieldSummary[] {
    return this.fields.map((acc) => {
      const summary: FieldSummary = { containsNull: acc.containsNull, containsNan: acc.containsNan };
      if (acc.lower !== null && isPrimitive(acc.type)) summary.lowerBound = toBytes(acc.type, acc.lower);
      if (acc.upper !== null && isPrimitive(acc.type)) summary.upperBound = toBytes(acc.type, acc.upper);
      return summary;
    });
  }
}

/** Field summaries of a set of partition tuples. */
export function summarizePartitions(partitionType: StructType, tuples: Iterable<Value[]>): FieldSummary[] {
  const builder = new PartitionSummaryBuilder(partitionType);
  for (const tuple of tuples) builder.add(tuple);
  return builder.summaries();
}
