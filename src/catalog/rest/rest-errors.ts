/**
 * Iceberg REST error responses (`{"error": {"message", "type", "code"}}`) as FloeErrors. The
 * exception type decides where it is specific (a 409 is "already exists" or "commit failed"; a
 * NamespaceNotEmptyException is a validation failure); the status code decides otherwise.
 */
import { type ErrorKind, FloeError } from "../../core/errors.ts";
import { type JsonValue, parseJson } from "../../core/json.ts";

const BY_TYPE: [RegExp, ErrorKind][] = [
  [/^CommitFailed/, "commit-conflict"],
  [/^NamespaceNotEmpty/, "validation"],
  [/^(NoSuch|NotFound)/, "not-found"],
  [/AlreadyExists/, "already-exists"],
  [/^Validation/, "validation"],
  [/^(BadRequest|IllegalArgument)/, "bad-input"],
  [/^NotAuthorized|^Unauthorized/, "unauthorized"],
  [/^Forbidden/, "forbidden"],
  [/^UnsupportedOperation/, "unsupported"],
];

function kindFromStatus(status: number): ErrorKind {
  if (status === 401 || status === 419) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 406 || status === 405 || status === 501) return "unsupported";
  if (status === 409) return "already-exists";
  if (status === 422) return "validation";
  if (status >= 400 && status < 500) return "bad-input";
  return "io";
}

/** The error object of an IcebergErrorResponse body, or of an OAuth error body. */
function errorModel(body: JsonValue | undefined): { message?: string; type?: string } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return {};
  const error = body.error;
  if (error !== null && typeof error === "object" && !Array.isArray(error)) {
    return {
      message: typeof error.message === "string" ? error.message : undefined,
      type: typeof error.type === "string" ? error.type : undefined,
    };
  }
  // OAuth errors: {"error": "invalid_client", "error_description": "..."}.
  if (typeof error === "string")
    return { type: error, message: typeof body.error_description === "string" ? body.error_description : error };
  return {};
}

/**
 * The FloeError for a non-2xx response; `what` names the request ("GET /v1/namespaces"). On a
 * commit route (`commit`) the spec's only 409 is CommitFailedException, so any 409 is a conflict
 * there even when a server names its exception differently.
 */
export function errorFromResponse(
  status: number,
  bodyText: string,
  what: string,
  options: { commit?: boolean } = {},
): FloeError {
  let body: JsonValue | undefined;
  try {
    body = bodyText ? parseJson(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  const model = errorModel(body);
  const type = model.type ?? "";
  const kind =
    options.commit && status === 409
      ? "commit-conflict"
      : (BY_TYPE.find(([pattern]) => pattern.test(type))?.[1] ?? kindFromStatus(status));
  const message = model.message ?? `${what} failed with HTTP ${status}${bodyText ? `: ${bodyText.slice(0, 200)}` : ""}`;
  // The commit state is unknown after these: retrying blindly could apply a commit twice.
  const unknownCommitState = type === "CommitStateUnknownException";
  const retryable = kind === "commit-conflict" || (kind === "io" && !unknownCommitState && status >= 500);
  return new FloeError(kind, message, { retryable });
}
