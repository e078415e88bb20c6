/**
 * Avro binary encoding of primitive values into a growable buffer: zigzag varints for int and
 * long, little-endian IEEE floats, length-prefixed bytes and UTF-8 strings. Callers validate
 * ranges; this layer only encodes.
 */

const utf8 = new TextEncoder();
/** Below 2^52 a zigzagged value stays an exact double, so plain number arithmetic is safe. */
const FAST_LONG_LIMIT = 2 ** 52;
/** Strings this short encode to at most 63 bytes, so their length prefix is one byte. */
const SHORT_STRING = 21;

/** Appends Avro-encoded values to an in-memory buffer. */
export class AvroEncoder {
  private buffer: Uint8Array;
  private view: DataView;
  /** Number of bytes written so far. */
  length = 0;

  constructor(initialCapacity = 4096) {
    this.buffer = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buffer.buffer);
  }

  private ensure(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** Forgets the written bytes but keeps the allocated buffer. */
  reset(): void {
    this.length = 0;
  }

  /** Appends bytes as they are (no length prefix). */
  writeRaw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** One byte, 0 or 1. */
  writeBoolean(value: boolean): void {
    this.ensure(1);
    this.buffer[this.length++] = value ? 1 : 0;
  }

  /** A 32-bit signed integer as a zigzag varint (the caller checks the range). */
  writeInt(value: number): void {
    this.ensure(5);
    let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
    while (zigzag > 0x7f) {
      this.buffer[this.length++] = (zigzag & 0x7f) | 0x80;
      zigzag >>>= 7;
    }
    this.buffer[this.length++] = zigzag;
  }

  /** A 64-bit signed integer as a zigzag varint; a number must be a safe integer (the caller checks). */
  writeLong(value: bigint | number): void {
    const small = typeof value === "number" ? value : asSmallNumber(value);
    if (small !== undefined && small > -FAST_LONG_LIMIT && small < FAST_LONG_LIMIT) {
      this.writeSmallLong(small);
      return;
    }
    const big = BigInt(value);
    let zigzag = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
    this.ensure(10);
    while (zigzag > 0x7fn) {
      this.buffer[this.length++] = Number(zigzag & 0x7fn) | 0x80;
      zigzag >>= 7n;
    }
    this.buffer[this.length++] = Number(zigzag);
  }

  private writeSmallLong(value: number): void {
    this.ensure(10);
    let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
    while (zigzag > 0x7f) {
      this.buffer[this.length++] = (zigzag % 0x80) | 0x80;
      zigzag = Math.floor(zigzag / 0x80);
    }
    this.buffer[this.length++] = zigzag;
  }

  /** A 32-bit IEEE float, little-endian. */
  writeFloat(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  /** A 64-bit IEEE double, little-endian. */
  writeDouble(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Length-prefixed bytes. */
  writeBytes(bytes: Uint8Array): void {
    this.writeLong(bytes.length);
    this.writeRaw(bytes);
  }

  /** Length-prefixed UTF-8. */
  writeString(text: string): void {
    if (text.length <= SHORT_STRING) {
      // Encode in place after a one-byte length prefix, avoiding a temporary array.
      this.ensure(1 + text.length * 3);
      const start = this.length;
      const { written } = utf8.encodeInto(text, this.buffer.subarray(start + 1));
      this.buffer[start] = written * 2;
      this.length = start + 1 + written;
      return;
    }
    this.writeBytes(utf8.encode(text));
  }
}

const FAST_LONG_LIMIT_BIG = 2n ** 52n;

function asSmallNumber(value: bigint): number | undefined {
  return value > -FAST_LONG_LIMIT_BIG && value < FAST_LONG_LIMIT_BIG ? Number(value) : undefined;
}
