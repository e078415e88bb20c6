/**
 * Structured JSON logs (pino). Request logs carry method, path, status, duration, request id and
 * principal name; never headers, bodies or query strings, which may hold tokens or credentials.
 */
import { pino } from "pino";

/** The logger the server writes to (a pino logger or anything with the same methods). */
export interface Logger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
  debug(object: object, message?: string): void;
}

/** Options of the default logger. */
export interface LoggerOptions {
  level?: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Where lines go (default stdout). */
  destination?: NodeJS.WritableStream;
}

/** A pino JSON logger; the `authorization` fields are redacted should anything ever log them. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? "info",
    base: { service: "floe-rest-catalog" },
    redact: { paths: ["authorization", "*.authorization", "headers", "token", "*.token"], remove: true },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
};
