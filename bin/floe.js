#!/usr/bin/env node
// Launcher: registers tsx's loader in this process and runs the TypeScript CLI, so `npx floe`
// works without a build step and without paying for a second Node process.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
