/**
 * Setting and removing table properties. Property changes do not build on other state, so they
 * carry no requirement and simply re-apply on top of whatever a concurrent writer committed.
 */
import { badInput } from "../core/errors.ts";
import type { TableMetadata } from "../spec/table-metadata.ts";
import { RESERVED_PROPERTIES } from "../spec/table-properties.ts";
import type { TableUpdate } from "../spec/updates.ts";
import { BaseAction, type CommitContext } from "./action.ts";

/** Fluent builder: `table.updateProperties().set("k", "v").remove("x").commit()`. */
export class UpdateProperties extends BaseAction {
  readonly description = "update-properties";
  private readonly updates: Record<string, string> = {};
  private readonly removals = new Set<string>();

  /** Sets `key` to `value`. */
  set(key: string, value: string): this {
    if (RESERVED_PROPERTIES.has(key)) throw badInput(`table property ${key} is reserved and cannot be set`);
    if (this.removals.has(key)) throw badInput(`table property ${key} is both set and removed in one update`);
    this.updates[key] = value;
    return this;
  }

  /** Sets every entry of `properties`. */
  setAll(properties: Record<string, string>): this {
    for (const [key, value] of Object.entries(properties)) this.set(key, value);
    return this;
  }

  /** Removes `key` (a missing key is not an error). */
  remove(key: string): this {
    if (key in this.updates) throw badInput(`table property ${key} is both set and removed in one update`);
    this.removals.add(key);
    return this;
  }

  async prepare(base: TableMetadata, _ctx: CommitContext): Promise<TableUpdate[]> {
    const updates: TableUpdate[] = [];
    if (Object.keys(this.updates).length > 0) updates.push({ action: "set-properties", updates: { ...this.updates } });
    const removals = [...this.removals].filter((key) => key in base.properties);
    if (removals.length > 0) updates.push({ action: "remove-properties", removals });
    return updates;
  }
}
