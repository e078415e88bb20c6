import assert from "node:assert/strict";
import { test } from "node:test";
import { coalesceRanges, normalizeRanges, rangeBytes, subtractRanges } from "../../src/engine/remote/byte-ranges.ts";

const r = (start: number, end: number) => ({ start, end });

test("normalizeRanges sorts, drops empty ranges and joins overlapping or touching ones", () => {
  assert.deepEqual(normalizeRanges([r(50, 60), r(0, 10), r(5, 20), r(20, 30), r(40, 40)]), [r(0, 30), r(50, 60)]);
  assert.deepEqual(normalizeRanges([]), []);
});

test("coalesceRanges merges across small gaps but never past the request size", () => {
  assert.deepEqual(coalesceRanges([r(0, 10), r(15, 20), r(100, 110)], 5, 1000), [r(0, 20), r(100, 110)]);
  assert.deepEqual(coalesceRanges([r(0, 10), r(15, 20)], 4, 1000), [r(0, 10), r(15, 20)]);
  // Merging would make a 20-byte request; the limit is 12.
  assert.deepEqual(coalesceRanges([r(0, 10), r(15, 20)], 5, 12), [r(0, 10), r(15, 20)]);
});

test("subtractRanges leaves exactly the bytes not held", () => {
  assert.deepEqual(subtractRanges([r(0, 100)], [r(10, 20), r(50, 60)]), [r(0, 10), r(20, 50), r(60, 100)]);
  assert.deepEqual(subtractRanges([r(0, 10), r(20, 30)], [r(0, 30)]), []);
  assert.deepEqual(subtractRanges([r(5, 15)], [r(0, 7), r(12, 40)]), [r(7, 12)]);
  assert.deepEqual(subtractRanges([r(5, 15)], []), [r(5, 15)]);
  assert.equal(rangeBytes(subtractRanges([r(0, 100)], [r(10, 20), r(50, 60)])), 80);
});

test("subtractRanges agrees with a byte-by-byte model on random inputs", () => {
  let seed = 12345;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const randomRanges = () =>
    Array.from({ length: next(6) }, () => {
      const start = next(200);
      return r(start, start + next(40));
    });
  for (let i = 0; i < 200; i++) {
    const wanted = randomRanges();
    const held = randomRanges();
    const bytes = new Set<number>();
    for (const w of wanted) for (let b = w.start; b < w.end; b++) bytes.add(b);
    for (const h of held) for (let b = h.start; b < h.end; b++) bytes.delete(b);
    const result = subtractRanges(wanted, held);
    const got = new Set<number>();
    for (const range of result) for (let b = range.start; b < range.end; b++) got.add(b);
    assert.deepEqual(
      [...got].sort((a, b) => a - b),
      [...bytes].sort((a, b) => a - b),
    );
    assert.deepEqual(result, normalizeRanges(result), "the result is sorted and disjoint");
  }
});
