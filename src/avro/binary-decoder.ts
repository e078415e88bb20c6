/**
 * Avro binary decoding of primitive values from a byte array, with bounds checks on every read so
 * that truncated or corrupt input fails with a bad-input FloeError instead of garbage values.
 */
import { badInput } from "../core/errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Longest text decoded without TextDecoder (when it is all ASCII). */
const MAX_JS_DECODED = 256;

/** The 128 longs a one-byte varint encodes (-64..63), shared so decoding them allocates nothing. */
const ONE_BYTE_LONGS: readonly bigint[] = Array.from({ length: 128 }, (_, byte) => BigInt((byte >>> 1) ^ -(byte & 1)));

/** Reads Avro-encoded values sequentially; `what` names the data in error messages. */
export class AvroDecoder {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  /** Offset of the next byte to read. */
  position = 0;

  constructor(
    bytes: Uint8Array,
    readonly what: string,
  ) {
    // A plain Uint8Array view, so that slice() copies even when given a Node Buffer.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.bytes.length - this.position;
  }

  /** A corrupt-data error mentioning this decoder's subject and the current offset. */
  corrupt(problem: string): Error {
    return badInput(`${this.what} is corrupt at offset ${this.position}: ${problem}`);
  }

  private need(count: number): void {
    if (count > this.remaining)
      throw badInput(
        `${this.what} is truncated: needs ${count} bytes at offset ${this.position} but only ${this.remaining} remain`,
      );
  }

  /** The next `count` bytes as a view (no copy); valid while the input is. */
  readView(count: number): Uint8Array {
    this.need(count);
    const view = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return view;
  }

  /** A boolean byte; anything but 0 or 1 is corrupt. */
  readBoolean(): boolean {
    this.need(1);
    const byte = this.bytes[this.position];
    if (byte > 1) throw this.corrupt(`boolean byte is ${byte}`);
    this.position++;
    return byte === 1;
  }

  /** A zigzag varint that must fit a 32-bit signed int. */
  readInt(): number {
    // Most ints in metadata (counts, ids, union branches, enum indexes) take one byte.
    const position = this.position;
    if (position < this.bytes.length) {
      const byte = this.bytes[position];
      if (byte < 0x80) {
        this.position = position + 1;
        return (byte >>> 1) ^ -(byte & 1);
      }
    }
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1);
      const byte = this.bytes[this.position++];
      if (shift === 28 && byte > 0x0f) throw this.corrupt("int varint exceeds 32 bits");
      result |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        const zigzag = result >>> 0;
        return (zigzag >>> 1) ^ -(zigzag & 1);
      }
    }
    throw this.corrupt("int varint is longer than 5 bytes");
  }

  /** A zigzag varint that must fit a 64-bit signed long; always a bigint. */
  readLong(): bigint {
    const start = this.position;
    if (start < this.bytes.length) {
      const byte = this.bytes[start];
      if (byte < 0x80) {
        this.position = start + 1;
        return ONE_BYTE_LONGS[byte];
      }
    }
    const small = this.readSmallVarint();
    if (small !== undefined) return BigInt(small);
    this.position = start;
    let zigzag = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1);
      const byte = this.bytes[this.position++];
      if (shift === 63n && byte > 0x01) throw this.corrupt("long varint exceeds 64 bits");
      zigzag |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return (zigzag >> 1n) ^ -(zigzag & 1n);
    }
    throw this.corrupt("long varint is longer than 10 bytes");
  }

  /**
   * A long that must be a safe JS integer (block counts, lengths). Returns it as a number;
   * anything larger cannot be a real length in memory and is reported as corrupt.
   */
  readLongAsNumber(): number {
    const start = this.position;
    const small = this.readSmallVarint();
    if (small !== undefined) return small;
    this.position = start;
    const value = this.readLong();
    throw this.corrupt(`length or count ${value} is implausibly large`);
  }

  /**
   * Decodes a varint of at most 7 bytes (49 bits) with number arithmetic, the common case.
   * Returns undefined, with the position moved, when the varint is longer.
   */
  private readSmallVarint(): number | undefined {
    let zigzag = 0;
    let scale = 1;
    for (let index = 0; index < 7; index++) {
      if (this.position >= this.bytes.length) this.need(1);
      const byte = this.bytes[this.position++];
      zigzag += (byte & 0x7f) * scale;
      if (byte < 0x80) return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      scale *= 0x80;
    }
    return undefined;
  }

  /** A 32-bit little-endian IEEE float. */
  readFloat(): number {
    this.need(4);
    const value = this.view.getFloat32(this.position, true);
    this.position += 4;
    return value;
  }

  /** A 64-bit little-endian IEEE double. */
  readDouble(): number {
    this.need(8);
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  /** A length that must be non-negative and fit in the remaining input. */
  private readLength(kind: string): number {
    const length = this.readLongAsNumber();
    if (length < 0) throw this.corrupt(`${kind} length is negative (${length})`);
    return length;
  }

  /** Length-prefixed bytes, copied. */
  readBytes(): Uint8Array {
    return this.readFixed(this.readLength("bytes"));
  }

  /** Exactly `size` bytes, copied. */
  readFixed(size: number): Uint8Array {
    this.need(size);
    const copy = this.bytes.slice(this.position, this.position + size);
    this.position += size;
    return copy;
  }

  /** Length-prefixed UTF-8 text; invalid UTF-8 is corrupt. */
  readString(): string {
    const length = this.readLength("string");
    const view = this.readView(length);
    // Short ASCII text (names, formats, most paths) is decoded faster here than by a TextDecoder call.
    if (length <= MAX_JS_DECODED) {
      let ascii = true;
      for (let index = 0; index < length; index++)
        if (view[index] > 0x7f) {
          ascii = false;
          break;
        }
      if (ascii) return String.fromCharCode.apply(null, view as unknown as number[]);
    }
    try {
      return utf8.decode(view);
    } catch (error) {
      this.position -= length;
      throw badInput(`${this.what} is corrupt at offset ${this.position}: string is not valid UTF-8`, error);
    }
  }
}
