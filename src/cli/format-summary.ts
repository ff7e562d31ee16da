import type { PreparePipelineResult } from "../pipeline/index.js";

const num = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? "-" : n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

/**
 * The summary `prepare` prints at the end (stdout): rows, tokens, length percentiles and truncation per
 * split, then the files and settings.
 */
export function formatSummary(result: PreparePipelineResult): string {
  const { stats } = result;
  const header = ["split", stats.pack ? "blocks" : "rows", "examples", "tokens", "min", "median", "p90", "p95", "p99", "max", `> ${stats.maxLength}`, "file"];
  const rows = Object.entries(stats.splits).map(([name, s]) => [
    name,
    num(s.rows),
    num(s.examples),
    num(s.tokens),
    num(s.tokenLengths.min),
    num(s.tokenLengths.median, 1),
    num(s.tokenLengths.p90, 1),
    num(s.tokenLengths.p95, 1),
    num(s.tokenLengths.p99, 1),
    num(s.tokenLengths.max),
    num(s.truncated),
    result.files[name]!.path,
  ]);
  const settings = [
    `labels ${stats.labels}`,
    stats.pack ? `packed into ${stats.maxLength}-token blocks` : `max length ${stats.maxLength} (${stats.truncationSide} truncation)`,
    `test size ${stats.testSize}, seed ${stats.seed}`,
  ].join(" · ");
  const notes: string[] = [];
  const rowsText = (n: number) => `${num(n)} row${n === 1 ? "" : "s"}`;
  if (stats.skippedBlankLines > 0) notes.push(`${num(stats.skippedBlankLines)} blank line${stats.skippedBlankLines === 1 ? "" : "s"} skipped`);
  if (stats.truncatedRows > 0) notes.push(`${rowsText(stats.truncatedRows)} truncated`);
  if (stats.emptyRows > 0) notes.push(`${rowsText(stats.emptyRows)} with an empty string (kept)`);
  if (stats.fullyMaskedRows > 0) notes.push(`${rowsText(stats.fullyMaskedRows)} with every label masked`);
  if (stats.boundaryMergedRows > 0) notes.push(`${rowsText(stats.boundaryMergedRows)} whose prompt and answer share a token`);
  return [
    `Prepared ${num(stats.rows.input)} rows of ${stats.dataset.id} with ${stats.tokenizer.id}. Lengths in tokens, before truncation:`,
    "",
    table(header, rows),
    "",
    settings,
    ...(notes.length ? [notes.join(" · ")] : []),
    `stats: ${result.statsPath}`,
    "",
  ].join("\n");
}
