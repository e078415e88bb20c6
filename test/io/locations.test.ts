import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { joinLocation, locationHead, parseLocation } from "../../src/io/locations.ts";

test("local paths and file: URLs parse to the filesystem path", () => {
  const expected = { scheme: "file", key: "/data/t/x.parquet", path: "/data/t/x.parquet" };
  assert.deepEqual(parseLocation("/data/t/x.parquet"), expected);
  assert.deepEqual(parseLocation("file:///data/t/x.parquet"), expected);
  assert.deepEqual(parseLocation("file:/data/t/x.parquet"), expected);
  assert.deepEqual(parseLocation("file://localhost/data/t/x.parquet"), expected);
  assert.deepEqual(parseLocation("FILE:///data/t/x.parquet"), expected);
});

test("s3, s3a and s3n parse to bucket and key", () => {
  const expected = {
    scheme: "s3",
    bucket: "bucket",
    key: "warehouse/db/t/data/f.parquet",
    path: "/warehouse/db/t/data/f.parquet",
  };
  assert.deepEqual(parseLocation("s3://bucket/warehouse/db/t/data/f.parquet"), expected);
  assert.deepEqual(parseLocation("s3a://bucket/warehouse/db/t/data/f.parquet"), expected);
  assert.deepEqual(parseLocation("s3n://bucket/warehouse/db/t/data/f.parquet"), expected);
  assert.deepEqual(parseLocation("s3://bucket"), { scheme: "s3", bucket: "bucket", key: "", path: "/" });
  assert.deepEqual(parseLocation("s3://bucket/"), { scheme: "s3", bucket: "bucket", key: "", path: "/" });
  // Only one slash separates bucket and key: S3 keys may start with "/".
  assert.equal(parseLocation("s3://bucket//odd").key, "/odd");
});

test("memory locations parse to store name and key", () => {
  assert.deepEqual(parseLocation("memory://x/y/z"), { scheme: "memory", bucket: "x", key: "y/z", path: "/y/z" });
});

test("nothing is percent-decoded: escapes are part of the name", () => {
  assert.equal(parseLocation("s3://b/t/data/name=a%20b/f.parquet").key, "t/data/name=a%20b/f.parquet");
  assert.equal(parseLocation("file:///t/name=a%2Fb/f").path, "/t/name=a%2Fb/f");
  assert.equal(parseLocation("/t/x?y#z").path, "/t/x?y#z");
});

test("unknown schemes, remote file hosts, relative paths and missing buckets are refused", () => {
  const kind = (location: string) => {
    try {
      parseLocation(location);
    } catch (error) {
      assert.ok(isFloeError(error), String(error));
      assert.ok(error.message.includes(location), error.message);
      return error.kind;
    }
    return "parsed";
  };
  assert.equal(kind("gs://bucket/key"), "unsupported");
  assert.equal(kind("hdfs://namenode/x"), "unsupported");
  assert.equal(kind("file://server/share/x"), "unsupported");
  assert.equal(kind("relative/path"), "bad-input");
  assert.equal(kind(""), "bad-input");
  assert.equal(kind("s3:///key"), "bad-input");
  assert.equal(kind("memory:///key"), "bad-input");
});

test("joinLocation puts exactly one slash between parts and keeps the scheme", () => {
  assert.equal(joinLocation("s3://b/warehouse", "db", "t"), "s3://b/warehouse/db/t");
  assert.equal(joinLocation("s3://b/warehouse/", "/db/", "/t"), "s3://b/warehouse/db/t");
  assert.equal(joinLocation("s3://b", "k"), "s3://b/k");
  assert.equal(joinLocation("s3://b/", "k"), "s3://b/k");
  assert.equal(joinLocation("s3a://b/x", "y"), "s3a://b/x/y");
  assert.equal(joinLocation("file:///tmp/w", "a//b", "c"), "file:///tmp/w/a/b/c");
  assert.equal(joinLocation("file:///", "a"), "file:///a");
  assert.equal(joinLocation("file:/tmp/w/", "a"), "file:/tmp/w/a");
  assert.equal(joinLocation("/tmp/w///", "a"), "/tmp/w/a");
  assert.equal(joinLocation("/", "a"), "/a");
  assert.equal(joinLocation("memory://m", "a", "", "b"), "memory://m/a/b");
  assert.equal(joinLocation("s3://b/x/"), "s3://b/x/");
  assert.equal(joinLocation("s3://b/x", "", "/"), "s3://b/x");
});

test("locationHead is what precedes the key, so listings can answer in the caller's style", () => {
  assert.equal(locationHead("s3a://b/prefix"), "s3a://b/");
  assert.equal(locationHead("s3://b"), "s3://b/");
  assert.equal(locationHead("file:///tmp/x"), "file://");
  assert.equal(locationHead("file:/tmp/x"), "file:");
  assert.equal(locationHead("/tmp/x"), "");
  assert.equal(locationHead("memory://m/k"), "memory://m/");
});
