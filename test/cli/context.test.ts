// Where the CLI's settings come from: flags over the environment over the config file over defaults.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { readConfigFile } from "../../src/cli/config-file.ts";
import { resolveCatalogUri, resolveConfigFile, resolveS3Config, resolveWarehouse } from "../../src/cli/context.ts";
import { isFloeError } from "../../src/core/errors.ts";

const dir = mkdtempSync(path.join(tmpdir(), "floe-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const configFile = (name: string, content: unknown): string => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
};

test("the config file supplies warehouse, catalog and S3 settings when nothing else does", () => {
  const file = configFile("full.json", {
    warehouse: "s3://bucket/lake",
    catalog: "postgres://db/floe",
    s3: {
      endpoint: "http://127.0.0.1:9000",
      region: "eu-west-1",
      pathStyle: true,
      accessKeyId: "id",
      secretAccessKey: "key",
    },
  });
  const config = resolveConfigFile({ config: file }, {});
  assert.equal(resolveWarehouse({}, {}, config), "s3://bucket/lake");
  assert.equal(resolveCatalogUri({}, "s3://bucket/lake", {}, config), "postgres://db/floe");
  assert.deepEqual(resolveS3Config({}, {}, config), {
    endpoint: "http://127.0.0.1:9000",
    region: "eu-west-1",
    forcePathStyle: true,
    accessKeyId: "id",
    secretAccessKey: "key",
  });
  assert.deepEqual(resolveConfigFile({}, { FLOE_CONFIG: file }), config);
});

test("flags beat the environment, which beats the config file", () => {
  const config = readConfigFile(
    configFile("s3.json", { warehouse: "/from/file", s3: { region: "file-region", endpoint: "http://file" } }),
  );
  const env = { FLOE_WAREHOUSE: "/from/env", FLOE_S3_REGION: "env-region", AWS_ACCESS_KEY_ID: "env-id" };
  assert.equal(resolveWarehouse({}, env, config), "/from/env");
  assert.equal(resolveWarehouse({ warehouse: "/from/flag" }, env, config), "/from/flag");
  assert.deepEqual(resolveS3Config({ s3Region: "flag-region", s3PathStyle: true }, env, config), {
    endpoint: "http://file",
    region: "flag-region",
    forcePathStyle: true,
    accessKeyId: "env-id",
  });
});

test("a remote warehouse without a catalog is refused; a local one defaults to its SQLite file", () => {
  assert.throws(
    () => resolveCatalogUri({}, "s3://bucket/lake", {}),
    (e) => isFloeError(e, "bad-input"),
  );
  assert.equal(resolveCatalogUri({}, "/wh", {}), `sqlite:${path.join("/wh", "catalog.db")}`);
});

test("config file mistakes are bad-input errors that name the key", () => {
  const cases: [unknown, RegExp][] = [
    ["{ not json", /not valid JSON/],
    [[1, 2], /JSON object/],
    [{ wherehouse: "/x" }, /unknown key "wherehouse"/],
    [{ s3: { endpoints: "x" } }, /s3\.endpoints is not a known setting/],
    [{ s3: { pathStyle: "yes" } }, /s3\.pathStyle must be a boolean/],
    [{ catalog: 5 }, /catalog must be a string/],
  ];
  cases.forEach(([content, message], i) => {
    assert.throws(
      () => readConfigFile(configFile(`bad-${i}.json`, content)),
      (e) => isFloeError(e, "bad-input") && message.test(e.message),
    );
  });
  assert.throws(() => readConfigFile(path.join(dir, "missing.json")), /cannot read config file/);
});
