/** Partition specs as plain data mirroring the spec JSON. Functions over them live beside. */

export interface PartitionField {
  "source-id": number;
  /** v3: multi-argument transforms; when present, source-id equals source-ids[0]. */
  "source-ids"?: number[];
  /** Partition field ids start at 1000 in v2 (v1 specs may omit them; ids are then assigned from 1000). */
  "field-id": number;
  name: string;
  /** The transform string as in the spec: "identity", "bucket[16]", "truncate[4]", "day", ... */
  transform: string;
}

export interface PartitionSpec {
  "spec-id": number;
  fields: PartitionField[];
}

/** The first partition field id; ids below belong to schema columns. */
export const PARTITION_DATA_ID_START = 1000;
