/**
 * The one error type of floe. Every failure carries a kind (what went wrong, in terms a caller can
 * act on), whether retrying could help, and the underlying cause. One table maps kinds to REST
 * status codes and CLI exit codes so the server and the CLI never disagree.
 */
export type ErrorKind =
  | "not-found"
  | "already-exists"
  | "commit-conflict"
  | "validation"
  | "bad-input"
  | "unauthorized"
  | "forbidden"
  | "unsupported"
  | "io";

export interface FloeErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

export class FloeError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;

  constructor(kind: ErrorKind, message: string, options: FloeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FloeError";
    this.kind = kind;
    this.retryable = options.retryable ?? kind === "commit-conflict";
  }
}

/** HTTP status and CLI exit code for each kind. */
export const ERROR_KIND_TABLE: Record<ErrorKind, { status: number; exitCode: number }> = {
  "bad-input": { status: 400, exitCode: 2 },
  validation: { status: 400, exitCode: 3 },
  unauthorized: { status: 401, exitCode: 4 },
  forbidden: { status: 403, exitCode: 5 },
  "not-found": { status: 404, exitCode: 6 },
  "already-exists": { status: 409, exitCode: 7 },
  "commit-conflict": { status: 409, exitCode: 8 },
  unsupported: { status: 406, exitCode: 9 },
  io: { status: 500, exitCode: 10 },
};

export const isFloeError = (error: unknown, kind?: ErrorKind): error is FloeError =>
  error instanceof FloeError && (kind === undefined || error.kind === kind);

/** Shorthands that keep call sites to one line. */
export const notFound = (message: string, cause?: unknown) => new FloeError("not-found", message, { cause });
export const alreadyExists = (message: string, cause?: unknown) => new FloeError("already-exists", message, { cause });
export const commitConflict = (message: string, cause?: unknown) =>
  new FloeError("commit-conflict", message, { cause, retryable: true });
export const validation = (message: string, cause?: unknown) => new FloeError("validation", message, { cause });
export const badInput = (message: string, cause?: unknown) => new FloeError("bad-input", message, { cause });
export const unsupported = (message: string, cause?: unknown) => new FloeError("unsupported", message, { cause });
export const ioError = (message: string, cause?: unknown) => new FloeError("io", message, { cause });
