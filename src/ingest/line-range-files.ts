/**
 * Splits a file whose lines end with "\n" (a plain NDJSON file or a sanitized copy) into one
 * temporary file per line range, so that each batch of a large input is a file read_json reads on
 * its own. Files are produced one at a time, as the caller asks for the next, so at most one piece
 * sits on disk beside the input.
 */
import { createReadStream } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { LineRange } from "./ingest-summary.ts";

/** One piece: its file and the input lines it holds. */
export interface LineRangeFile {
  file: string;
  range: LineRange;
}

const NEWLINE = 10;

/**
 * Yields a file per range (ranges in order, tiling from line 1); the last one also takes any lines
 * after its range. Each file is deleted when the caller asks for the next one or stops.
 */
export async function* lineRangeFiles(
  file: string,
  ranges: LineRange[],
  directory: string,
): AsyncGenerator<LineRangeFile> {
  if (ranges.length === 0) return;
  let index = 0;
  let line = 1; // the line the next byte belongs to
  let current: { handle: FileHandle; path: string } | undefined;
  const start = async () => {
    const piece = path.join(directory, `lines-${randomUUID()}.ndjson`);
    current = { handle: await open(piece, "w"), path: piece };
  };
  const finish = async (): Promise<LineRangeFile> => {
    const done = current!;
    await done.handle.close();
    current = undefined;
    return { file: done.path, range: ranges[index] };
  };
  try {
    await start();
    for await (const data of createReadStream(file, { highWaterMark: 1 << 20 })) {
      const chunk = data as Buffer;
      let position = 0;
      while (position < chunk.length) {
        const isLast = index === ranges.length - 1;
        if (isLast) {
          await current!.handle.write(chunk.subarray(position));
          break;
        }
        // Find the end of the range's last line in this chunk.
        let end = position - 1;
        while (line <= ranges[index].last) {
          end = chunk.indexOf(NEWLINE, end + 1);
          if (end < 0) break;
          line++;
        }
        if (end < 0) {
          await current!.handle.write(chunk.subarray(position));
          break;
        }
        await current!.handle.write(chunk.subarray(position, end + 1));
        position = end + 1;
        const piece = await finish();
        try {
          yield piece;
        } finally {
          await rm(piece.file, { force: true });
        }
        index++;
        await start();
      }
    }
    const piece = await finish();
    try {
      yield piece;
    } finally {
      await rm(piece.file, { force: true });
    }
  } finally {
    if (current) {
      await current.handle.close().catch(() => undefined);
      await rm(current.path, { force: true });
    }
  }
}
