import assert from "node:assert/strict";
import { test } from "node:test";
import { validateRequest, validateResponse, validateSchema } from "../support/openapi-validator.ts";

test("the OpenAPI validator accepts conforming bodies and rejects the rest", () => {
  validateResponse("GET", "/v1/{prefix}/namespaces", 200, { namespaces: [["a"]], "next-page-token": null });
  assert.throws(() => validateResponse("GET", "/v1/{prefix}/namespaces", 200, { namespaces: "a" }), /does not match/);
  assert.throws(
    () => validateResponse("GET", "/v1/{prefix}/namespaces", 404, { message: "bare, not wrapped" }),
    /does not match/,
  );
  validateResponse("DELETE", "/v1/{prefix}/namespaces/{namespace}", 204, undefined);
  assert.throws(() => validateResponse("DELETE", "/v1/{prefix}/namespaces/{namespace}", 204, { a: 1 }), /no body/);
  assert.throws(() => validateResponse("GET", "/v1/{prefix}/namespaces/{namespace}", 304, undefined), /not allowed/);
  validateRequest("POST", "/v1/{prefix}/namespaces", { namespace: ["a"], properties: { k: "v" } });
  assert.throws(() => validateRequest("POST", "/v1/{prefix}/namespaces", { properties: {} }), /does not match/);
  assert.throws(() => validateSchema("TableUpdate", { action: "set-location" }), /does not match/);
});
