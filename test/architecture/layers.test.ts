// Keeps the import arrows of ARCHITECTURE.md true: a module may import only the modules listed for it.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const SRC = path.join(import.meta.dirname, "..", "..", "src");

/** Direct imports allowed per module; the closure (transitive) is computed below. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  spec: ["core"],
  avro: ["core"],
  expr: ["spec"],
  io: ["core"],
  manifest: ["spec", "avro", "io"],
  scan: ["expr", "manifest"],
  catalog: ["spec", "io"],
  table: ["scan", "manifest", "catalog"],
  engine: ["scan", "table"],
  ingest: ["table", "engine"],
  clicks: ["ingest", "engine"],
  maintenance: ["table", "engine"],
  server: ["core", "spec", "avro", "expr", "io", "manifest", "scan", "catalog", "table", "engine", "ingest", "clicks", "maintenance"],
  cli: ["core", "spec", "avro", "expr", "io", "manifest", "scan", "catalog", "table", "engine", "ingest", "clicks", "maintenance", "server"],
};

function closure(module: string, seen = new Set<string>()): Set<string> {
  for (const dep of ALLOWED[module] ?? []) {
    if (!seen.has(dep)) {
      seen.add(dep);
      closure(dep, seen);
    }
  }
  return seen;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (name.endsWith(".ts")) yield full;
  }
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

test("every module imports only what the architecture allows", () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const module = path.relative(SRC, file).split(path.sep)[0];
    assert.ok(module in ALLOWED, `unknown module ${module}: add it to ARCHITECTURE.md and this test`);
    const allowed = closure(module);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const spec = match[1] ?? match[2];
      if (!spec.startsWith(".")) continue;
      const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep)[0];
      if (target !== module && !allowed.has(target)) violations.push(`${path.relative(SRC, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test("the layer check catches a forbidden import", () => {
  assert.ok(!closure("spec").has("catalog"));
  assert.ok(closure("table").has("spec"));
  assert.ok(!closure("catalog").has("table"));
});
