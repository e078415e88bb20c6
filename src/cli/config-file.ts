/**
 * The optional floe config file (`--config PATH`, env FLOE_CONFIG): JSON with the settings an
 * operator would rather not repeat on every command, and the only place besides the environment
 * for S3 credentials (a secret on the command line would land in shell history and `ps`).
 *
 *   { "warehouse": "s3://bucket/lake", "catalog": "postgres://...",
 *     "s3": { "endpoint": "...", "region": "...", "pathStyle": true,
 *             "accessKeyId": "...", "secretAccessKey": "...", "sessionToken": "..." } }
 */
import { readFileSync } from "node:fs";
import { badInput } from "../core/errors.ts";
import { parseJson } from "../core/json.ts";
import type { S3Config } from "../io/s3-config.ts";

export interface ConfigFile {
  warehouse?: string;
  catalog?: string;
  s3: S3Config;
}

const S3_KEYS: Record<string, keyof S3Config> = {
  endpoint: "endpoint",
  region: "region",
  pathStyle: "forcePathStyle",
  accessKeyId: "accessKeyId",
  secretAccessKey: "secretAccessKey",
  sessionToken: "sessionToken",
};

function expect(value: unknown, type: "string" | "boolean", where: string): void {
  if (typeof value !== type) throw badInput(`config file ${where} must be a ${type}, got ${JSON.stringify(value)}`);
}

/** Reads and checks a config file; unknown keys are errors so a typo never goes unnoticed. */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw badInput(`cannot read config file ${file}: ${(error as Error).message}`, error);
  }
  const json = parseJson(text, `config file ${file}`);
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw badInput(`config file ${file} must hold a JSON object`);
  const config: ConfigFile = { s3: {} };
  for (const [key, value] of Object.entries(json)) {
    if (key === "warehouse" || key === "catalog") {
      expect(value, "string", key);
      config[key] = value as string;
    } else if (key === "s3") {
      if (value === null || typeof value !== "object" || Array.isArray(value))
        throw badInput("config file s3 must be an object");
      for (const [s3Key, s3Value] of Object.entries(value)) {
        const target = S3_KEYS[s3Key];
        if (!target)
          throw badInput(`config file s3.${s3Key} is not a known setting (${Object.keys(S3_KEYS).join(", ")})`);
        expect(s3Value, target === "forcePathStyle" ? "boolean" : "string", `s3.${s3Key}`);
        (config.s3 as Record<string, unknown>)[target] = s3Value;
      }
    } else {
      throw badInput(`config file ${file}: unknown key "${key}" (warehouse, catalog, s3)`);
    }
  }
  return config;
}
