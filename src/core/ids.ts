/** Identifier helpers: snapshot ids, UUIDs, file names. */
import { randomBytes, randomUUID } from "node:crypto";

/**
 * A new snapshot id: a random positive int64. Java's reference implementation also uses random
 * positive longs; uniqueness across concurrent writers matters more than order.
 */
export function newSnapshotId(): bigint {
  const bytes = randomBytes(8);
  bytes[0] &= 0x7f;
  const id = bytes.readBigInt64BE(0);
  return id === 0n ? 1n : id;
}

export const newUuid = (): string => randomUUID();
