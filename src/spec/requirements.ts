/**
 * Checks a commit's requirements (REST `TableRequirement`) against the table as it is now. A
 * failed requirement means someone else changed the table since the committer read it, so it is
 * a retryable commit-conflict whose message says which requirement, on what, expected and found.
 */
import { commitConflict, notFound, validation } from "../core/errors.ts";
import type { TableMetadata } from "./table-metadata.ts";
import type { TableRequirement } from "./updates.ts";

const show = (value: bigint | number | string | null | undefined): string =>
  value === null || value === undefined ? "none" : String(value);

/**
 * Throws commit-conflict naming the first failing requirement; `metadata` null means the table does
 * not exist, in which case only assert-create can hold (any other requirement gives not-found).
 */
export function checkRequirements(
  metadata: TableMetadata | null,
  requirements: TableRequirement[],
  tableName: string,
): void {
  const failed = (type: string, detail: string) =>
    commitConflict(`table ${tableName}: requirement ${type} failed${detail}`);
  for (const requirement of requirements) {
    if (requirement.type === "assert-create") {
      if (metadata !== null) throw failed(requirement.type, ": table already exists");
      continue;
    }
    if (metadata === null) throw notFound(`table ${tableName} does not exist (requirement ${requirement.type})`);
    const expectFound = (
      expected: bigint | number | string | null,
      found: bigint | number | string | null,
      on = "",
    ) => {
      if (expected !== found) throw failed(requirement.type, `${on}: expected ${show(expected)}, found ${show(found)}`);
    };
    switch (requirement.type) {
      case "assert-table-uuid":
        // uuids compare case-insensitively, as the reference implementation compares them
        expectFound(requirement.uuid.toLowerCase(), metadata["table-uuid"].toLowerCase());
        break;
      case "assert-ref-snapshot-id": {
        const ref = metadata.refs[requirement.ref];
        const expected = requirement["snapshot-id"] ?? null;
        expectFound(
          expected === null ? null : BigInt(expected),
          ref === undefined ? null : ref["snapshot-id"],
          ` for ${requirement.ref}`,
        );
        break;
      }
      case "assert-last-assigned-field-id":
        expectFound(requirement["last-assigned-field-id"], metadata["last-column-id"]);
        break;
      case "assert-current-schema-id":
        expectFound(requirement["current-schema-id"], metadata["current-schema-id"]);
        break;
      case "assert-last-assigned-partition-id":
        expectFound(requirement["last-assigned-partition-id"], metadata["last-partition-id"]);
        break;
      case "assert-default-spec-id":
        expectFound(requirement["default-spec-id"], metadata["default-spec-id"]);
        break;
      case "assert-default-sort-order-id":
        expectFound(requirement["default-sort-order-id"], metadata["default-sort-order-id"]);
        break;
      default: {
        const unknown: { type: string } = requirement;
        throw validation(`table ${tableName}: unknown requirement type ${unknown.type}`);
      }
    }
  }
}
