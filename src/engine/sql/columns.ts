/** SQL expressions that read a schema field (top-level or nested in structs) from a relation's columns. */
import { badInput } from "../../core/errors.ts";
import { indexById } from "../../spec/schema.ts";
import { type StructType, isStruct } from "../../spec/types.ts";
import { quoteIdentifier, quoteString } from "./quoting.ts";

/**
 * The expression of field `fieldId`: `"col"` for a top-level column, `struct_extract("s", 'x')`
 * for struct members (struct_extract never confuses a struct with a table alias as `"s"."x"` can).
 * Fields inside lists or maps have no per-row expression and are refused.
 */
export function fieldExpr(schema: StructType, fieldId: number): string {
  const entry = indexById(schema).get(fieldId);
  if (!entry) throw badInput(`field id ${fieldId} is not in the schema`);
  const chain = [...entry.parents, fieldId].map((id) => indexById(schema).get(id)!);
  let expr = quoteIdentifier(chain[0].field.name);
  for (let i = 1; i < chain.length; i++) {
    if (!isStruct(chain[i - 1].field.type))
      throw badInput(`field ${entry.name} is inside a list or map and has no row expression`);
    expr = `struct_extract(${expr}, ${quoteString(chain[i].field.name)})`;
  }
  return expr;
}
