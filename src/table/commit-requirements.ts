/**
 * The requirements a commit sends with its updates, derived from the metadata the updates were
 * computed against (as the REST spec's UpdateRequirements do): whatever state an update builds on
 * must still be what the writer saw, or the catalog refuses with a retryable conflict. Deriving
 * them in one place keeps a transaction of several actions correct: each state is asserted once,
 * against the base the whole transaction started from, never against its own staged changes.
 */
import type { TableMetadata } from "../spec/table-metadata.ts";
import type { TableRequirement, TableUpdate } from "../spec/updates.ts";

/** The requirements guarding `updates` computed against `base`. */
export function requirementsFor(base: TableMetadata, updates: TableUpdate[]): TableRequirement[] {
  const requirements: TableRequirement[] = [{ type: "assert-table-uuid", uuid: base["table-uuid"] }];
  const seen = new Set<string>();
  const add = (key: string, requirement: TableRequirement) => {
    if (seen.has(key)) return;
    seen.add(key);
    requirements.push(requirement);
  };
  const assertRef = (ref: string) =>
    add(`ref:${ref}`, { type: "assert-ref-snapshot-id", ref, "snapshot-id": base.refs[ref]?.["snapshot-id"] ?? null });

  for (const update of updates) {
    switch (update.action) {
      case "set-snapshot-ref":
      case "remove-snapshot-ref":
        assertRef(update["ref-name"]);
        break;
      case "remove-snapshots":
        // Expiry decided which snapshots are unreachable from the refs it saw; a ref moved
        // meanwhile could make one of them reachable again.
        for (const ref of Object.keys(base.refs)) assertRef(ref);
        break;
      case "add-schema":
        add("last-column-id", {
          type: "assert-last-assigned-field-id",
          "last-assigned-field-id": base["last-column-id"],
        });
        break;
      case "set-current-schema":
        add("schema", { type: "assert-current-schema-id", "current-schema-id": base["current-schema-id"] });
        break;
      case "add-spec":
        add("last-partition-id", {
          type: "assert-last-assigned-partition-id",
          "last-assigned-partition-id": base["last-partition-id"],
        });
        break;
      case "set-default-spec":
        add("spec", { type: "assert-default-spec-id", "default-spec-id": base["default-spec-id"] });
        break;
      case "set-default-sort-order":
        add("sort-order", {
          type: "assert-default-sort-order-id",
          "default-sort-order-id": base["default-sort-order-id"],
        });
        break;
      default:
        break;
    }
  }
  return requirements;
}
