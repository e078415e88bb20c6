/**
 * Cuts a byte stream into lines the way DuckDB's line reader cuts a file that uses one newline
 * style: "\n", "\r\n" and a lone "\r" each end a line; the terminators are not part of the line.
 * Works on bytes (a line's bytes are passed on untouched, whatever their encoding) and drops a
 * UTF-8 byte order mark at the very start, as the file reader does.
 */

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Incremental splitter: push chunks, take the lines they complete, end() for the last one. */
export class LineSplitter {
  private pending: Buffer[] = [];
  private afterReturn = false; // the previous chunk ended with "\r": a leading "\n" belongs to it
  private started = false;
  private head = Buffer.alloc(0); // the first bytes, until it is clear whether they start with a BOM

  /** The lines `chunk` completes, in order. */
  push(chunk: Uint8Array): Buffer[] {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.started) {
      this.head = Buffer.concat([this.head, data]);
      if (this.head.length < BOM.length && BOM.subarray(0, this.head.length).equals(this.head)) return [];
      this.started = true;
      data = this.head.subarray(0, BOM.length).equals(BOM) ? this.head.subarray(BOM.length) : this.head;
      this.head = Buffer.alloc(0);
    }
    const lines: Buffer[] = [];
    let position = 0;
    if (this.afterReturn && data.length > 0) {
      if (data[0] === NEWLINE) position = 1;
      this.afterReturn = false;
    }
    let nextReturn = -2; // the next "\r" at or after position (-1: none left; -2: not searched yet)
    while (position < data.length) {
      if (nextReturn !== -1 && nextReturn < position) nextReturn = data.indexOf(CARRIAGE_RETURN, position);
      const newline = data.indexOf(NEWLINE, position);
      const end = nextReturn < 0 ? newline : newline < 0 ? nextReturn : Math.min(newline, nextReturn);
      if (end < 0) {
        this.pending.push(data.subarray(position));
        break;
      }
      lines.push(this.take(data.subarray(position, end)));
      position = end + 1;
      if (data[end] === CARRIAGE_RETURN) {
        if (position === data.length) this.afterReturn = true;
        else if (data[position] === NEWLINE) position++;
      }
    }
    return lines;
  }

  /** The last line, when the input did not end with a line break. */
  end(): Buffer[] {
    if (!this.started && this.head.length > 0) {
      this.started = true;
      this.pending.push(this.head);
    }
    if (this.pending.length === 0) return [];
    return [this.take(Buffer.alloc(0))];
  }

  private take(tail: Buffer): Buffer {
    if (this.pending.length === 0) return Buffer.from(tail);
    const line = Buffer.concat([...this.pending, tail]);
    this.pending = [];
    return line;
  }
}
