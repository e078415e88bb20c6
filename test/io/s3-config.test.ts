import assert from "node:assert/strict";
import { test } from "node:test";
import { isFloeError } from "../../src/core/errors.ts";
import { s3ConfigFromEnv } from "../../src/io/s3-config.ts";

test("an empty environment gives an empty config", () => {
  assert.deepEqual(s3ConfigFromEnv({}), {});
});

test("standard AWS variables are read", () => {
  assert.deepEqual(
    s3ConfigFromEnv({
      AWS_ENDPOINT_URL_S3: "http://s3.example.test:9000",
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "token",
    }),
    {
      endpoint: "http://s3.example.test:9000",
      region: "eu-west-1",
      accessKeyId: "id",
      secretAccessKey: "secret",
      sessionToken: "token",
    },
  );
  assert.deepEqual(s3ConfigFromEnv({ AWS_DEFAULT_REGION: "us-west-2" }), { region: "us-west-2" });
});

test("floe's variables win over the AWS ones; empty values count as unset", () => {
  assert.deepEqual(
    s3ConfigFromEnv({
      FLOE_S3_ENDPOINT: "http://floe.example.test",
      AWS_ENDPOINT_URL_S3: "http://aws.example.test",
      FLOE_S3_REGION: "",
      AWS_REGION: "ap-south-1",
      FLOE_S3_PATH_STYLE: "true",
    }),
    { endpoint: "http://floe.example.test", region: "ap-south-1", forcePathStyle: true },
  );
});

test("FLOE_S3_PATH_STYLE accepts common boolean words and rejects others", () => {
  for (const word of ["1", "true", "YES", "on"])
    assert.equal(s3ConfigFromEnv({ FLOE_S3_PATH_STYLE: word }).forcePathStyle, true);
  for (const word of ["0", "false", "No", "off"])
    assert.equal(s3ConfigFromEnv({ FLOE_S3_PATH_STYLE: word }).forcePathStyle, false);
  assert.throws(
    () => s3ConfigFromEnv({ FLOE_S3_PATH_STYLE: "maybe" }),
    (error: unknown) => isFloeError(error, "bad-input") && error.message.includes("maybe"),
  );
});
