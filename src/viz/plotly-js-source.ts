import { readFileSync } from "node:fs";
import { requireOptional, resolveOptional } from "../util/require-optional.js";

let cached: { source: string; version: string } | undefined;

/** The plotly.js-dist bundle (its source text and version), read once from node_modules. plotly.js-dist is an optional peer dependency. */
export function plotlyJsSource(): { source: string; version: string } {
  if (cached) return cached;
  const neededFor = "Inlining plotly.js into a figure (displayPlotly, plotlyFigureHtml)";
  const source = readFileSync(resolveOptional("plotly.js-dist", neededFor), "utf8");
  const { version } = requireOptional<{ version: string }>("plotly.js-dist/package.json", neededFor);
  cached = { source, version };
  return cached;
}
