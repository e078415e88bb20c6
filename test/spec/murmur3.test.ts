import assert from "node:assert/strict";
import { test } from "node:test";
import { murmur3x86_32 } from "../../src/spec/murmur3.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const signed = (n: number) => n | 0;

test("murmur3 x86_32 matches published test vectors (all tail lengths)", () => {
  assert.equal(murmur3x86_32(new Uint8Array(0)), 0);
  assert.equal(murmur3x86_32(new Uint8Array(0), 1), signed(0x514e28b7));
  assert.equal(murmur3x86_32(new Uint8Array(0), 0xffffffff), signed(0x81f16f39));
  assert.equal(murmur3x86_32(Uint8Array.of(0, 0, 0, 0)), signed(0x2362f9de));
  assert.equal(murmur3x86_32(utf8("aaaa"), 0x9747b28c), signed(0x5a97808a));
  assert.equal(murmur3x86_32(utf8("aaa"), 0x9747b28c), signed(0x283e0130));
  assert.equal(murmur3x86_32(utf8("aa"), 0x9747b28c), signed(0x5d211726));
  assert.equal(murmur3x86_32(utf8("a"), 0x9747b28c), signed(0x7fa09ea6));
  assert.equal(murmur3x86_32(utf8("The quick brown fox jumps over the lazy dog")), signed(0x2e4ff723));
});

test("murmur3 gives the spec's Appendix B values for raw inputs", () => {
  // "iceberg" as UTF-8 and the bytes 00 01 02 03, both straight from the spec's table.
  assert.equal(murmur3x86_32(utf8("iceberg")), 1210000089);
  assert.equal(murmur3x86_32(Uint8Array.of(0, 1, 2, 3)), -188683207);
});
