import assert from "node:assert/strict";
import { test } from "node:test";
import {
  metadataDirectory,
  newMetadataLocation,
  parseMetadataVersion,
  readMetadataFile,
  writeMetadataFile,
} from "../../src/catalog/metadata-files.ts";
import { MemoryFileIO } from "../../src/io/memory-file-io.ts";
import { newTableMetadata } from "../../src/spec/new-table.ts";
import { EVENTS_SCHEMA, assertRejectsKind } from "./conformance.ts";

const base = newTableMetadata({ schema: EVENTS_SCHEMA, location: "s3://bucket/wh/web/events" });

test("parseMetadataVersion reads the number before the first dash of the file name, -1 otherwise", () => {
  assert.equal(parseMetadataVersion(null), -1);
  assert.equal(parseMetadataVersion("s3://b/t/metadata/00000-5f0c1d2e-aaaa-bbbb-cccc-0123456789ab.metadata.json"), 0);
  assert.equal(parseMetadataVersion("/t/metadata/00041-uuid.metadata.json"), 41);
  assert.equal(parseMetadataVersion("/t/metadata/123456-uuid.gz.metadata.json"), 123456);
  assert.equal(parseMetadataVersion("/t-1/metadata/v3.metadata.json"), -1, "dashes in folders do not count");
  assert.equal(parseMetadataVersion("/t/metadata/abc-uuid.metadata.json"), -1);
});

test("newMetadataLocation is <location>/metadata/<5-digit next version>-<uuid>.metadata.json", () => {
  const first = newMetadataLocation(base, null);
  assert.match(first, /^s3:\/\/bucket\/wh\/web\/events\/metadata\/00000-[0-9a-f-]{36}\.metadata\.json$/);
  assert.match(newMetadataLocation(base, first), /\/00001-[0-9a-f-]{36}\.metadata\.json$/);
  assert.match(newMetadataLocation(base, "/x/metadata/00099-u.metadata.json"), /\/00100-/);
  assert.match(newMetadataLocation(base, "/x/metadata/v7.metadata.json"), /\/00000-/);
  assert.notEqual(newMetadataLocation(base, first), newMetadataLocation(base, first), "a fresh uuid each time");
});

test("write.metadata.path and gzip compression shape the location", () => {
  const moved = { ...base, properties: { "write.metadata.path": "s3://other/meta/" } };
  assert.equal(metadataDirectory(moved), "s3://other/meta");
  assert.match(newMetadataLocation(moved, null), /^s3:\/\/other\/meta\/00000-[0-9a-f-]{36}\.metadata\.json$/);
  const gzip = { ...base, properties: { "write.metadata.compression-codec": "gzip" } };
  assert.match(newMetadataLocation(gzip, null), /\/00000-[0-9a-f-]{36}\.gz\.metadata\.json$/);
});

test("metadata files round-trip through FileIO, plain and gzip, and are never overwritten", async () => {
  const io = new MemoryFileIO();
  const plain = "memory://wh/t/metadata/00000-a.metadata.json";
  await writeMetadataFile(io, plain, base);
  assert.deepEqual(await readMetadataFile(io, plain), base);
  await assertRejectsKind(writeMetadataFile(io, plain, base), "already-exists", plain);

  const compressed = "memory://wh/t/metadata/00001-b.gz.metadata.json";
  await writeMetadataFile(io, compressed, base);
  const raw = await io.read(compressed);
  assert.deepEqual([raw[0], raw[1]], [0x1f, 0x8b], "written gzip-compressed");
  assert.deepEqual(await readMetadataFile(io, compressed), base);
  await assertRejectsKind(readMetadataFile(io, "memory://wh/t/metadata/missing.metadata.json"), "not-found");
});
