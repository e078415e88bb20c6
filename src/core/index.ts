export * from "./errors.ts";
export * from "./json.ts";
export * from "./ids.ts";
