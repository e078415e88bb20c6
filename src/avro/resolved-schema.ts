/**
 * Turns a JSON-shaped AvroSchema into a validated tree the datum reader and writer can walk
 * without string lookups: named references point at the defining node (so recursive records are
 * cyclic graphs), names are resolved against the enclosing namespace as the Avro spec describes.
 */
import { badInput } from "../core/errors.ts";
import { toSafeNumber } from "../core/json.ts";
import { jsonDefaultToValue } from "./defaults.ts";
import { AVRO_PRIMITIVE_NAMES, type AvroPrimitiveName, type AvroSchema } from "./schema.ts";

/** A primitive node; one shared instance per name. */
export interface ResolvedPrimitive {
  kind: AvroPrimitiveName;
}

/** A record field with its resolved type and, when writing, its default as a JS value. */
export interface ResolvedField {
  name: string;
  schema: ResolvedSchema;
  hasDefault: boolean;
  /** The raw JSON default from the schema. */
  defaultJson: unknown;
  /** The default converted to the JS value mapping; only filled when resolving for writing. */
  defaultValue: unknown;
  /** True when the field is a union with a null branch, so a missing value can be written as null. */
  nullable: boolean;
}

/** A record node. */
export interface ResolvedRecord {
  kind: "record";
  fullName: string;
  fields: ResolvedField[];
}

/** An enum node. */
export interface ResolvedEnum {
  kind: "enum";
  fullName: string;
  symbols: string[];
}

/** A fixed node. */
export interface ResolvedFixed {
  kind: "fixed";
  fullName: string;
  size: number;
}

/** An array node. */
export interface ResolvedArray {
  kind: "array";
  items: ResolvedSchema;
}

/** A map node (keys are always strings). */
export interface ResolvedMap {
  kind: "map";
  values: ResolvedSchema;
}

/** A union node. */
export interface ResolvedUnion {
  kind: "union";
  branches: ResolvedSchema[];
}

/** A schema node after name resolution and validation. */
export type ResolvedSchema =
  | ResolvedPrimitive
  | ResolvedRecord
  | ResolvedEnum
  | ResolvedFixed
  | ResolvedArray
  | ResolvedMap
  | ResolvedUnion;

/** Options for resolveAvroSchema. */
export interface ResolveOptions {
  /**
   * Validate names against the Avro name grammar and convert field defaults to JS values. Used
   * when writing, so floe never produces a file other readers reject; reading stays lenient.
   */
  forWriting?: boolean;
}

const PRIMITIVES = new Map<string, ResolvedPrimitive>(
  [...AVRO_PRIMITIVE_NAMES].map((name) => [name, { kind: name as AvroPrimitiveName }]),
);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Context {
  named: Map<string, ResolvedRecord | ResolvedEnum | ResolvedFixed>;
  records: ResolvedRecord[];
  forWriting: boolean;
}

/** Resolves and validates a schema; throws a bad-input FloeError naming the offending part. */
export function resolveAvroSchema(schema: AvroSchema, options: ResolveOptions = {}): ResolvedSchema {
  const context: Context = { named: new Map(), records: [], forWriting: options.forWriting ?? false };
  const root = resolveNode(schema, undefined, context, "schema");
  if (context.forWriting) {
    // Defaults are converted after the whole tree exists, because a default may use a type that is
    // only completed later (a recursive record).
    for (const record of context.records) {
      for (const field of record.fields) {
        if (field.hasDefault)
          field.defaultValue = jsonDefaultToValue(field.schema, field.defaultJson, `${record.fullName}.${field.name}`);
      }
    }
  }
  return root;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolveNode(node: unknown, namespace: string | undefined, context: Context, where: string): ResolvedSchema {
  if (typeof node === "string") return resolveReference(node, namespace, context, where);
  if (Array.isArray(node)) return resolveUnion(node, namespace, context, where);
  if (!isObject(node)) throw badInput(`Avro ${where} is not a valid schema: ${describeJson(node)}`);
  const type = node.type;
  if (Array.isArray(type) || isObject(type)) return resolveNode(type, namespace, context, where);
  if (typeof type !== "string") throw badInput(`Avro ${where} has no "type": ${describeJson(node)}`);
  const primitive = PRIMITIVES.get(type);
  if (primitive) return primitive;
  switch (type) {
    case "record":
    case "error":
      return resolveRecord(node, namespace, context, where);
    case "enum":
      return resolveEnum(node, namespace, context, where);
    case "fixed":
      return resolveFixed(node, namespace, context, where);
    case "array":
      if (!("items" in node)) throw badInput(`Avro array at ${where} has no "items"`);
      return { kind: "array", items: resolveNode(node.items, namespace, context, `${where}[]`) };
    case "map":
      if (!("values" in node)) throw badInput(`Avro map at ${where} has no "values"`);
      return { kind: "map", values: resolveNode(node.values, namespace, context, `${where}{}`) };
    default:
      return resolveReference(type, namespace, context, where);
  }
}

function resolveReference(name: string, namespace: string | undefined, context: Context, where: string) {
  const primitive = PRIMITIVES.get(name);
  if (primitive) return primitive;
  const qualified = !name.includes(".") && namespace ? `${namespace}.${name}` : name;
  const found = context.named.get(qualified) ?? context.named.get(name);
  if (!found) throw badInput(`Avro ${where} refers to unknown type "${name}"`);
  return found;
}

function resolveUnion(branches: unknown[], namespace: string | undefined, context: Context, where: string) {
  const resolved = branches.map((branch, index) => resolveNode(branch, namespace, context, `${where}<${index}>`));
  const seen = new Set<string>();
  for (const branch of resolved) {
    if (branch.kind === "union") throw badInput(`Avro union at ${where} directly contains another union`);
    const key = "fullName" in branch ? branch.fullName : branch.kind;
    if (seen.has(key)) throw badInput(`Avro union at ${where} contains "${key}" more than once`);
    seen.add(key);
  }
  return { kind: "union", branches: resolved } satisfies ResolvedUnion;
}

/** Splits a named type's name into its full name and the namespace its children inherit. */
function defineName(node: Record<string, unknown>, namespace: string | undefined, context: Context, where: string) {
  const name = node.name;
  if (typeof name !== "string" || name === "") throw badInput(`Avro ${node.type} at ${where} has no "name"`);
  let space: string | undefined;
  if (name.includes(".")) space = name.slice(0, name.lastIndexOf("."));
  else if (typeof node.namespace === "string") space = node.namespace === "" ? undefined : node.namespace;
  else space = namespace;
  const fullName = name.includes(".") || !space ? name : `${space}.${name}`;
  if (context.forWriting) {
    for (const part of fullName.split("."))
      if (!NAME.test(part)) throw badInput(`Avro name "${fullName}" at ${where} is not a valid Avro name`);
  }
  if (PRIMITIVES.has(fullName)) throw badInput(`Avro ${node.type} at ${where} may not be named "${fullName}"`);
  if (context.named.has(fullName)) throw badInput(`Avro type "${fullName}" is defined twice (again at ${where})`);
  return { fullName, space };
}

function resolveRecord(node: Record<string, unknown>, namespace: string | undefined, context: Context, where: string) {
  const { fullName, space } = defineName(node, namespace, context, where);
  if (!Array.isArray(node.fields)) throw badInput(`Avro record "${fullName}" has no "fields" array`);
  const record: ResolvedRecord = { kind: "record", fullName, fields: [] };
  // Registered before its fields so that fields may refer to the record itself.
  context.named.set(fullName, record);
  context.records.push(record);
  const names = new Set<string>();
  for (const field of node.fields as unknown[]) {
    if (!isObject(field) || typeof field.name !== "string")
      throw badInput(`Avro record "${fullName}" has a field without a name: ${describeJson(field)}`);
    const fieldWhere = `${fullName}.${field.name}`;
    if (context.forWriting && !NAME.test(field.name))
      throw badInput(`Avro field name "${field.name}" in record "${fullName}" is not a valid Avro name`);
    if (names.has(field.name)) throw badInput(`Avro record "${fullName}" has two fields named "${field.name}"`);
    names.add(field.name);
    if (!("type" in field)) throw badInput(`Avro field ${fieldWhere} has no "type"`);
    const schema = resolveNode(field.type, space, context, fieldWhere);
    record.fields.push({
      name: field.name,
      schema,
      hasDefault: field.default !== undefined, // JSON has no undefined: `default: undefined` means none
      defaultJson: field.default,
      defaultValue: undefined,
      nullable: schema.kind === "union" && schema.branches.some((branch) => branch.kind === "null"),
    });
  }
  return record;
}

function resolveEnum(node: Record<string, unknown>, namespace: string | undefined, context: Context, where: string) {
  const { fullName } = defineName(node, namespace, context, where);
  const symbols = node.symbols;
  if (!Array.isArray(symbols) || symbols.some((symbol) => typeof symbol !== "string"))
    throw badInput(`Avro enum "${fullName}" needs a "symbols" array of strings`);
  if (new Set(symbols).size !== symbols.length) throw badInput(`Avro enum "${fullName}" repeats a symbol`);
  if (context.forWriting) {
    const bad = symbols.find((symbol) => !NAME.test(symbol));
    if (bad !== undefined) throw badInput(`Avro enum "${fullName}" symbol "${bad}" is not a valid Avro name`);
  }
  const resolved: ResolvedEnum = { kind: "enum", fullName, symbols: symbols as string[] };
  context.named.set(fullName, resolved);
  return resolved;
}

function resolveFixed(node: Record<string, unknown>, namespace: string | undefined, context: Context, where: string) {
  const { fullName } = defineName(node, namespace, context, where);
  const size = toSafeNumber(node.size, `Avro fixed "${fullName}" size`);
  if (size < 0) throw badInput(`Avro fixed "${fullName}" has negative size ${size}`);
  const resolved: ResolvedFixed = { kind: "fixed", fullName, size };
  context.named.set(fullName, resolved);
  return resolved;
}

function describeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? inner.toString() : inner));
    return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** A short human description of a schema node, for error messages ("long", "record manifest_entry"). */
export function describeSchema(schema: ResolvedSchema): string {
  switch (schema.kind) {
    case "record":
    case "enum":
    case "fixed":
      return `${schema.kind} ${schema.fullName}`;
    case "array":
      return `array<${describeSchema(schema.items)}>`;
    case "map":
      return `map<${describeSchema(schema.values)}>`;
    case "union":
      return `[${schema.branches.map(describeSchema).join(", ")}]`;
    default:
      return schema.kind;
  }
}
