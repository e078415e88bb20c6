/** Where a new table lives when its creator does not say. */
import { joinLocation } from "../io/locations.ts";
import type { Namespace } from "./catalog.ts";

/** The namespace property that, as in the JDBC catalog, roots the default locations of its tables. */
export const NAMESPACE_LOCATION_PROPERTY = "location";

/**
 * `<namespace location>/<table>` when the namespace has a `location` property, otherwise
 * `<warehouse>/<namespace levels joined by "/">/<table>`.
 */
export function defaultTableLocation(
  warehouse: string,
  namespace: Namespace,
  table: string,
  namespaceProperties: Record<string, string> = {},
): string {
  const namespaceLocation = namespaceProperties[NAMESPACE_LOCATION_PROPERTY];
  if (namespaceLocation) return joinLocation(namespaceLocation, table);
  return joinLocation(warehouse, ...namespace, table);
}

/** A location without trailing slashes, so "<location>/metadata" never doubles them. */
export const trimLocation = (location: string): string => location.replace(/\/+$/, "") || location;
