/**
 * Argument checks every FileIO shares, so all implementations reject the same inputs the same way.
 */
import { badInput } from "../core/errors.ts";

/**
 * Checks a readRange request. Semantics shared by all FileIOs: the result holds the bytes in
 * [offset, min(offset + length, size)), so a range running past the end is cut short and a range
 * starting at or beyond the end is empty (like POSIX pread); a missing file is still not-found.
 */
export function checkRange(path: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw badInput(`readRange of ${path}: offset ${offset} is not a non-negative integer`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw badInput(`readRange of ${path}: length ${length} is not a non-negative integer`);
  }
}

/** The bytes of `data` that a readRange(offset, length) returns under the shared semantics. */
export function sliceRange(data: Uint8Array, offset: number, length: number): Uint8Array {
  const start = Math.min(offset, data.length);
  return data.slice(start, Math.min(start + length, data.length));
}

/** A location ending in "/" names a directory (or S3 folder marker), never a file FileIO can write. */
export function checkFileLocation(path: string): void {
  if (path.endsWith("/")) throw badInput(`location ${path} ends with "/" and so cannot name a file`);
}
