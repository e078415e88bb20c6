/**
 * Column metrics of one data file as the evaluators read them, keyed by field id (structurally a
 * subset of the manifest module's DataFile), and the facts both metrics evaluators derive.
 */
import type { PrimitiveType } from "../spec/types.ts";
import type { Literal } from "./bound.ts";
import { decodeBound } from "./bounds.ts";
import { isFloatingType } from "./literals.ts";

/** Record count and per-column metrics of a data file. */
export interface FileMetricsLike {
  recordCount: bigint;
  valueCounts?: Map<number, bigint>;
  nullValueCounts?: Map<number, bigint>;
  nanValueCounts?: Map<number, bigint>;
  lowerBounds?: Map<number, Uint8Array>;
  upperBounds?: Map<number, Uint8Array>;
}

/** What a file's metrics say about one column. Absent metrics say nothing. */
export class ColumnFacts {
  constructor(
    private readonly file: FileMetricsLike,
    private readonly id: number,
    private readonly type: PrimitiveType,
  ) {}

  private get valueCount(): bigint | undefined {
    return this.file.valueCounts?.get(this.id);
  }
  private get nullCount(): bigint | undefined {
    return this.file.nullValueCounts?.get(this.id);
  }
  private get nanCount(): bigint | undefined {
    return this.file.nanValueCounts?.get(this.id);
  }

  /** Every value is null (value counts include nulls and NaNs). */
  get onlyNulls(): boolean {
    const values = this.valueCount;
    const nulls = this.nullCount;
    return values !== undefined && nulls !== undefined && values - nulls === 0n;
  }
  /** Every value is NaN. */
  get onlyNaNs(): boolean {
    const values = this.valueCount;
    const nans = this.nanCount;
    return values !== undefined && nans !== undefined && nans === values;
  }
  /** Known to hold no null. */
  get noNulls(): boolean {
    return this.nullCount === 0n;
  }
  /** Known to hold no NaN: a non-float column never does; a float column needs a NaN count of zero. */
  get noNaNs(): boolean {
    return !isFloatingType(this.type) || this.nanCount === 0n;
  }
  /** The raw lower bound bytes. */
  get lowerBytes(): Uint8Array | undefined {
    return this.file.lowerBounds?.get(this.id);
  }
  /** The raw upper bound bytes. */
  get upperBytes(): Uint8Array | undefined {
    return this.file.upperBounds?.get(this.id);
  }
  /** The decoded lower bound (undefined when absent or unreadable). */
  get lower(): Literal | undefined {
    return decodeBound(this.type, this.lowerBytes);
  }
  /** The decoded upper bound (undefined when absent or unreadable). */
  get upper(): Literal | undefined {
    return decodeBound(this.type, this.upperBytes);
  }
}
