/** Which listen addresses only the local machine can reach: the one case a server may run without auth. */
import { badInput } from "../../core/errors.ts";

/** True for localhost, 127.0.0.0/8 and ::1 (bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (bare === "localhost" || bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(bare);
  return octets?.slice(1).every((octet) => Number(octet) <= 255) ?? false;
}

/** Throws bad-input when running without auth was asked for on an address others can reach. */
export function checkNoAuthAllowed(host: string): void {
  if (!isLoopbackHost(host))
    throw badInput(
      `--no-auth is only allowed when listening on a loopback address (localhost, 127.0.0.1, ::1), not on ${host}`,
    );
}
