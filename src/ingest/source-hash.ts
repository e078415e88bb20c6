/** The content hash that identifies an input file across runs (idempotent re-ingest). */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { ioError } from "../core/errors.ts";

/** Hex sha256 of a file's bytes, streamed (multi-GB files never sit in memory). */
export async function sha256File(file: string, onBytes?: (bytes: number) => void): Promise<string> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      onBytes?.((chunk as Buffer).length);
    }
  } catch (error) {
    throw ioError(`ingest: cannot read ${file}: ${(error as Error).message}`, error);
  }
  return hash.digest("hex");
}
