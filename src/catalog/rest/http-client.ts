/**
 * The HTTP side of the REST catalog client: JSON in and out through the lossless JSON module (int64
 * values stay exact both ways), the Authorization header from a TokenSource (renewed and the
 * request retried once after a 401), optional SigV4 signing, and error responses as FloeErrors.
 */
import { FloeError } from "../../core/errors.ts";
import { type JsonValue, parseJson, stringifyJson } from "../../core/json.ts";
import { errorFromResponse } from "./rest-errors.ts";
import type { RequestSigner } from "./sigv4-signer.ts";
import type { TokenSource } from "./oauth2-tokens.ts";

/** One request to the catalog. */
export interface RestRequest {
  method: "GET" | "HEAD" | "POST" | "DELETE";
  /** Path below the base URI, already encoded: "/v1/config". */
  path: string;
  query?: Record<string, string | undefined>;
  body?: JsonValue;
  headers?: Record<string, string>;
}

/** A successful response. */
export interface RestResponse {
  status: number;
  /** Parsed body; undefined for an empty body (204, HEAD). */
  body: JsonValue | undefined;
}

/** Options of RestHttpClient. */
export interface RestHttpClientOptions {
  baseUri: string;
  tokens: TokenSource;
  signer?: RequestSigner;
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Sends catalog requests; see the module comment. */
export class RestHttpClient {
  private readonly baseUri: string;
  readonly tokens: TokenSource;
  private readonly signer: RequestSigner | undefined;
  private readonly fetch: typeof fetch;
  private readonly headers: Record<string, string>;

  constructor(options: RestHttpClientOptions) {
    this.baseUri = options.baseUri;
    this.tokens = options.tokens;
    this.signer = options.signer;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.headers = options.headers ?? {};
  }

  /** Sends the request; a non-2xx answer becomes the matching FloeError. */
  async send(request: RestRequest): Promise<RestResponse> {
    let response = await this.attempt(request);
    if (response.status === 401 && (await this.tokens.renew())) {
      await response.body?.cancel();
      response = await this.attempt(request);
    }
    const text = await response.text();
    const what = `${request.method} ${request.path}`;
    if (!response.ok) throw errorFromResponse(response.status, text, what);
    return { status: response.status, body: text.trim() === "" ? undefined : parseJson(text, `response to ${what}`) };
  }

  /** Sends the request and returns whether it succeeded (2xx) or was not found (404); other statuses throw. */
  async exists(request: RestRequest): Promise<boolean> {
    try {
      await this.send(request);
      return true;
    } catch (error) {
      if (error instanceof FloeError && error.kind === "not-found") return false;
      throw error;
    }
  }

  private async attempt(request: RestRequest): Promise<Response> {
    const url = new URL(this.baseUri + request.path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: "application/json", ...this.headers, ...request.headers };
    const body = request.body === undefined ? undefined : stringifyJson(request.body);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const authorization = await this.tokens.authorization();
    if (authorization !== undefined) headers.Authorization = authorization;
    if (this.signer) await this.signer.sign({ method: request.method, url, headers, body });
    try {
      return await this.fetch(url, { method: request.method, headers, body });
    } catch (error) {
      throw new FloeError(
        "io",
        `REST catalog request ${request.method} ${url.origin}${url.pathname} failed: ${(error as Error).message}`,
        { retryable: true, cause: error },
      );
    }
  }
}
