import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

let cached: { source: string; version: string } | undefined;

/** The plotly.js-dist bundle (its source text and version), read once from node_modules. */
export function plotlyJsSource(): { source: string; version: string } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve("plotly.js-dist"), "utf8");
  const { version } = require("plotly.js-dist/package.json") as { version: string };
  cached = { source, version };
  return cached;
}
