/**
 * Every error the server sends is the REST spec's IcebergErrorResponse: `{ error: { message, type,
 * code } }`. FloeError kinds map to status codes through the shared ERROR_KIND_TABLE; the `type` is
 * the exception name Java, PyIceberg and Trino clients switch on (NoSuchTableException,
 * CommitFailedException, ...). Unknown errors become a 500 whose message reveals nothing internal.
 */
import { ERROR_KIND_TABLE, type ErrorKind, FloeError } from "../core/errors.ts";

/** The spec's ErrorModel. */
export interface ErrorModel {
  message: string;
  type: string;
  code: number;
}

/**
 * An error with an exact REST status and type, for cases the kind alone does not decide
 * (NoSuchNamespace vs NoSuchTable, NamespaceNotEmpty, 405, 413, 422).
 */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    /** The FloeError kind for audit and logs; "internal" only for unexpected failures. */
    readonly kind: ErrorKind | "internal" = kindForStatus(status),
  ) {
    super(message);
    this.name = "RestError";
  }
}

function kindForStatus(status: number): ErrorKind | "internal" {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 409) return "already-exists";
  if (status === 406) return "unsupported";
  if (status >= 500) return "internal";
  return "bad-input";
}

/** Default exception type per kind. */
const TYPE_BY_KIND: Record<ErrorKind, string> = {
  "bad-input": "BadRequestException",
  validation: "BadRequestException",
  unauthorized: "NotAuthorizedException",
  forbidden: "ForbiddenException",
  "not-found": "NotFoundException",
  "already-exists": "AlreadyExistsException",
  "commit-conflict": "CommitFailedException",
  unsupported: "UnsupportedOperationException",
  io: "ServiceFailureException",
};

/** What a route knows about its failures: which "not found" it means, and whether it commits. */
export interface ErrorContext {
  /** Type for not-found errors, e.g. NoSuchTableException. */
  notFound?: string;
  /** A commit route: server-side failures leave the commit state unknown (CommitStateUnknownException). */
  commit?: boolean;
}

/** The status, ErrorModel and kind for any thrown value. */
export function toErrorModel(
  error: unknown,
  context: ErrorContext = {},
): { status: number; model: ErrorModel; kind: ErrorKind | "internal" } {
  if (error instanceof RestError)
    return {
      status: error.status,
      model: { message: error.message, type: error.type, code: error.status },
      kind: error.kind,
    };
  if (error instanceof FloeError) {
    const status = ERROR_KIND_TABLE[error.kind].status;
    let type = TYPE_BY_KIND[error.kind];
    if (error.kind === "not-found" && context.notFound) type = context.notFound;
    if (error.kind === "io" && context.commit) type = "CommitStateUnknownException";
    return { status, model: { message: error.message, type, code: status }, kind: error.kind };
  }
  const status = 500;
  const type = context.commit ? "CommitStateUnknownException" : "InternalServerError";
  return { status, model: { message: "Internal Server Error", type, code: status }, kind: "internal" };
}

/** The response body of an error. */
export const errorBody = (model: ErrorModel): { error: ErrorModel } => ({ error: model });
