/**
 * Cross-checks floe's Avro files against independent implementations: the Apache Avro Python
 * library (Debian `python3-avro`, module `avro`) and the Avro C tools (Debian `avro-bin`:
 * `avrocat`, `avropipe`, `avromod`, `avroappend`). Neither shares code with floe.
 *
 * If they are missing, every helper throws an error saying how to install them, so tests FAIL
 * instead of silently skipping. Install: `apt-get install -y avro-bin python3-avro`.
 *
 * Value encoding returned by readWithIndependentAvro (and accepted by writeWithIndependentAvro) is
 * floe's own JS value mapping, so results compare directly with readAvroContainer's via
 * assert.deepStrictEqual:
 *   null -> null, boolean -> boolean, int -> number, long -> bigint (exact over the full int64
 *   range), float/double -> number (NaN, +-Infinity and -0 preserved), bytes and fixed ->
 *   Uint8Array, string and enum -> string, array -> array, map -> Map<string, unknown>,
 *   record -> plain object in field order, union -> the branch's value.
 * Logical types are NOT converted (a date stays its int, a decimal its bytes), matching floe.
 * Internally the Python side prints JSON in which the ambiguous values are tagged single-key
 * objects: {"$long": "<decimal>"}, {"$double": "NaN" | "Infinity" | "-Infinity" | "-0"},
 * {"$bytes": "<lowercase hex>"}, {"$map": [[key, value], ...]}; "$" cannot occur in Avro names,
 * so a tag is never mistaken for a record.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parseJson } from "../../src/core/json.ts";

const run = promisify(execFile);
const MAX_OUTPUT = 1 << 30;
const INSTALL_HINT =
  "the independent Avro implementation is not installed: install the Debian packages with " +
  "`apt-get update && apt-get install -y avro-bin python3-avro` (or set FLOE_AVRO_PYTHON to a python3 that can `import avro`)";

/** What the independent reader found in a file. */
export interface IndependentAvroFile {
  /** The `avro.schema` header entry, parsed losslessly (exactly what the file holds). */
  schema: unknown;
  /** Every header entry as UTF-8 text, including `avro.schema` and `avro.codec`. */
  metadata: Record<string, string>;
  /** The records in floe's JS value mapping (see the file comment). */
  records: unknown[];
}

// Python: reads with the library's DatumReader, but (1) records which union branch each value
// came from and (2) skips logical-type conversion, so values can be tagged exactly per schema.
const READ_SCRIPT = `
import json, math, sys
import avro.datafile, avro.io, avro.schema

class Branch:
    def __init__(self, index, value):
        self.index, self.value = index, value

class RawDatumReader(avro.io.DatumReader):
    def read_data(self, writers_schema, readers_schema, decoder):
        if isinstance(writers_schema, avro.schema.UnionSchema):
            index = int(decoder.read_long())
            if not 0 <= index < len(writers_schema.schemas):
                raise ValueError("union branch index %d out of range" % index)
            branch = writers_schema.schemas[index]
            return Branch(index, self.read_data(branch, branch, decoder))
        kind = writers_schema.type
        if kind == "int": return decoder.read_int()
        if kind == "long": return decoder.read_long()
        if kind == "bytes": return decoder.read_bytes()
        if kind == "string": return decoder.read_utf8()
        if kind == "fixed": return decoder.read(writers_schema.size)
        return super().read_data(writers_schema, writers_schema, decoder)

def tag(schema, value):
    if isinstance(schema, avro.schema.UnionSchema):
        return tag(schema.schemas[value.index], value.value)
    kind = schema.type
    if kind in ("null", "boolean", "int", "string", "enum"): return value
    if kind == "long": return {"$long": str(value)}
    if kind in ("float", "double"):
        if math.isnan(value): return {"$double": "NaN"}
        if math.isinf(value): return {"$double": "Infinity" if value > 0 else "-Infinity"}
        if value == 0 and math.copysign(1.0, value) < 0: return {"$double": "-0"}
        return value
    if kind in ("bytes", "fixed"): return {"$bytes": value.hex()}
    if kind == "array": return [tag(schema.items, item) for item in value]
    if kind == "map": return {"$map": [[key, tag(schema.values, item)] for key, item in value.items()]}
    if kind in ("record", "error"): return {field.name: tag(field.type, value[field.name]) for field in schema.fields}
    raise ValueError("unexpected Avro type %r" % kind)

with open(sys.argv[1], "rb") as stream:
    reader = avro.datafile.DataFileReader(stream, RawDatumReader())
    schema = reader.datum_reader.writers_schema
    records = [tag(schema, record) for record in reader]
    metadata = {key: value.decode("utf-8", "replace") for key, value in reader.meta.items()}
json.dump({"metadata": metadata, "records": records}, sys.stdout, allow_nan=False)
`;

// Python: writes a container with the library's DataFileWriter from a tagged-JSON spec on stdin.
// The top-level validation is skipped because it insists on Python date/datetime objects for
// logical types; write_data itself falls back to the underlying type (the warning is silenced).
const WRITE_SCRIPT = `
import json, sys, warnings
import avro.datafile, avro.io, avro.schema

warnings.simplefilter("ignore")

class RawDatumWriter(avro.io.DatumWriter):
    def write(self, datum, encoder):
        self.write_data(self.writers_schema, datum, encoder)

def untag(value):
    if isinstance(value, list): return [untag(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            key, inner = next(iter(value.items()))
            if key == "$long": return int(inner)
            if key == "$double": return float(inner)
            if key == "$bytes": return bytes.fromhex(inner)
            if key == "$map": return {entry[0]: untag(entry[1]) for entry in inner}
        return {key: untag(item) for key, item in value.items()}
    return value

spec = json.load(sys.stdin)
schema = avro.schema.parse(spec["schema"])
with open(spec["path"], "wb") as stream:
    writer = avro.datafile.DataFileWriter(stream, RawDatumWriter(), schema, codec=spec["codec"])
    for key, value in spec["metadata"].items():
        writer.set_meta(key, value.encode("utf-8"))
    for record in spec["records"]:
        writer.append(untag(record))
    writer.close()
`;

let pythonPromise: Promise<string> | undefined;

/**
 * The python3 that has the `avro` module: $FLOE_AVRO_PYTHON, else the interpreter named in the
 * shebang of the `avro` command that python3-avro installs (a system python, which may differ from
 * the first python3 on PATH, e.g. under pyenv), else python3.
 */
export function findAvroPython(): Promise<string> {
  pythonPromise ??= (async () => {
    const candidates = [process.env.FLOE_AVRO_PYTHON, shebangOf("avro"), "python3"].filter(
      (candidate): candidate is string => Boolean(candidate),
    );
    for (const candidate of candidates) {
      try {
        await run(candidate, ["-c", "import avro.datafile, avro.io, avro.schema"]);
        return candidate;
      } catch {
        // try the next candidate
      }
    }
    throw new Error(`${INSTALL_HINT} (tried: ${candidates.join(", ")})`);
  })();
  return pythonPromise;
}

function shebangOf(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    try {
      const firstLine = readFileSync(path.join(dir, command), "utf8").split("\n", 1)[0];
      const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
      if (!match) continue;
      return path.basename(match[1]) === "env" && match[2] ? match[2] : match[1];
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** Reads an Avro container file with the Apache Avro Python library; see the file comment for the value encoding. */
export async function readWithIndependentAvro(filePath: string): Promise<IndependentAvroFile> {
  const python = await findAvroPython();
  let stdout: string;
  try {
    ({ stdout } = await run(python, ["-c", READ_SCRIPT, filePath], { maxBuffer: MAX_OUTPUT }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`python3-avro could not read ${filePath}: ${stderr.trim() || (error as Error).message}`);
  }
  const parsed = JSON.parse(stdout, reviveTagged) as { metadata: Record<string, string>; records: unknown[] };
  const schemaText = parsed.metadata["avro.schema"];
  return {
    schema: parseJson(schemaText, "avro.schema read by python3-avro"),
    metadata: parsed.metadata,
    records: parsed.records,
  };
}

/** Options for writeWithIndependentAvro; records use floe's JS value mapping. */
export interface IndependentWriteOptions {
  /** The schema as JSON text or JSON-shaped data. */
  schema: unknown;
  records: unknown[];
  codec?: "null" | "deflate";
  metadata?: Record<string, string>;
}

/** Writes an Avro container file with the Apache Avro Python library. */
export async function writeWithIndependentAvro(filePath: string, options: IndependentWriteOptions): Promise<void> {
  const python = await findAvroPython();
  const spec = JSON.stringify({
    path: filePath,
    schema: typeof options.schema === "string" ? options.schema : JSON.stringify(options.schema),
    codec: options.codec ?? "null",
    metadata: options.metadata ?? {},
    records: options.records.map(toTagged),
  });
  await new Promise<void>((resolve, reject) => {
    const child = execFile(python, ["-c", WRITE_SCRIPT], { maxBuffer: MAX_OUTPUT }, (error, _stdout, stderr) =>
      error
        ? reject(new Error(`python3-avro could not write ${filePath}: ${stderr.trim() || error.message}`))
        : resolve(),
    );
    child.stdin?.end(spec);
  });
}

/**
 * Reads a file with `avrocat` from avro-bin (the Avro C library). Returns one value per record in
 * Avro's JSON encoding as avro-c prints it (non-null union values wrapped as {"type": value},
 * bytes as strings of code points 0-255), parsed losslessly: integers beyond 2^53 are bigint.
 */
export async function readWithAvroCat(filePath: string): Promise<unknown[]> {
  let stdout: string;
  try {
    ({ stdout } = await run("avrocat", [filePath], { maxBuffer: MAX_OUTPUT }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(INSTALL_HINT);
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`avrocat could not read ${filePath}: ${stderr.trim() || (error as Error).message}`);
  }
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => parseJson(line, "avrocat output"));
}

function reviveTagged(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const inner = (value as Record<string, unknown>)[keys[0]];
  switch (keys[0]) {
    case "$long":
      return BigInt(inner as string);
    case "$double":
      return Number(inner as string);
    case "$bytes":
      return Uint8Array.from(Buffer.from(inner as string, "hex"));
    case "$map":
      return new Map(inner as [string, unknown][]);
    default:
      return value;
  }
}

/** floe's JS value mapping -> the tagged JSON form the Python scripts understand. */
function toTagged(value: unknown): unknown {
  if (typeof value === "bigint") return { $long: value.toString() };
  if (typeof value === "number") {
    if (Number.isNaN(value)) return { $double: "NaN" };
    if (!Number.isFinite(value)) return { $double: value > 0 ? "Infinity" : "-Infinity" };
    if (Object.is(value, -0)) return { $double: "-0" };
    return value;
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString("hex") };
  if (value instanceof Map) return { $map: [...value].map(([key, inner]) => [key, toTagged(inner)]) };
  if (Array.isArray(value)) return value.map(toTagged);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toTagged(inner)]));
  return value;
}
