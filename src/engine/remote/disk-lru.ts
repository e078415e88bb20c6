/**
 * Least-recently-used accounting of a cache directory by bytes: which keys a cache holds, how
 * large each is, and which to drop once the total passes the budget. The caller owns the files.
 */

/** Keys with sizes, least recently used first. */
export class DiskLru {
  private readonly entries = new Map<string, number>();
  private total = 0;

  constructor(
    /** Budget in bytes; entries in use may keep the total above it for a while. */
    readonly maxBytes: number,
  ) {}

  /** Bytes accounted for. */
  get bytes(): number {
    return this.total;
  }

  /** Whether `key` is held. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Records `key` with `bytes` as the most recently used entry. */
  set(key: string, bytes: number): void {
    this.total -= this.entries.get(key) ?? 0;
    this.entries.delete(key);
    this.entries.set(key, bytes);
    this.total += bytes;
  }

  /** Forgets `key`. */
  delete(key: string): void {
    const bytes = this.entries.get(key);
    if (bytes === undefined) return;
    this.entries.delete(key);
    this.total -= bytes;
  }

  /** Removes and returns the least recently used keys, skipping `pinned`, until the total fits the budget. */
  takeVictims(pinned: ReadonlySet<string>): string[] {
    const victims: string[] = [];
    for (const [key, bytes] of this.entries) {
      if (this.total <= this.maxBytes) break;
      if (pinned.has(key)) continue;
      this.entries.delete(key);
      this.total -= bytes;
      victims.push(key);
    }
    return victims;
  }
}
