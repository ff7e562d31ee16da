import { InvalidArgumentError } from "../errors.js";
import { escapeHtml } from "./escape-html.js";
import { pyRepr } from "./py-repr.js";

/** What is read from a table: a danfojs DataFrame has these (columns, index, values by row). */
export interface TableLike {
  columns: readonly string[];
  index: readonly (string | number)[];
  values: readonly (readonly unknown[])[] | readonly unknown[];
}

export interface DataFrameHtmlParams {
  /** Caption above the table. */
  caption?: string;
  /** Cells longer than this are cut to it, ending in "...", as pandas' display.max_colwidth (50). Default 50; 0 for no limit. */
  maxColWidth?: number;
  /** Show at most this many rows (first and last halves, like pandas). Default 60. */
  maxRows?: number;
}

function cell(v: unknown, maxColWidth: number): string {
  let s = typeof v === "string" ? v : typeof v === "number" && !Number.isInteger(v) ? String(Number(v.toFixed(6))) : pyRepr(v);
  const chars = [...s];
  if (maxColWidth > 0 && chars.length > maxColWidth) s = `${chars.slice(0, maxColWidth - 3).join("")}...`;
  return escapeHtml(s);
}

/**
 * An HTML table of a danfojs DataFrame (or anything with columns, index and row values), styled
 * as pandas' `DataFrame._repr_html_` (class "dataframe") so notebooks show it as they show
 * pandas tables. Long cells are cut as pandas cuts them; numbers print as Python prints them.
 */
export function dataFrameHtml(df: TableLike, params: DataFrameHtmlParams = {}): string {
  if (df === null || typeof df !== "object" || !Array.isArray(df.columns) || !Array.isArray(df.index)) {
    throw new InvalidArgumentError("df", df, "Expected a danfojs DataFrame (an object with columns, index and values).");
  }
  const maxColWidth = params.maxColWidth ?? 50;
  const maxRows = params.maxRows ?? 60;
  // A one-column frame's values come as a flat array in danfojs.
  const rows = (df.values as unknown[]).map((r) => (Array.isArray(r) ? r : [r]));
  let shown = rows.map((r, i) => ({ label: df.index[i], r }));
  let cut = false;
  if (rows.length > maxRows) {
    const half = Math.floor(maxRows / 2);
    shown = [...shown.slice(0, half), ...shown.slice(rows.length - half)];
    cut = true;
  }
  const head = `<thead><tr style="text-align: right;"><th></th>${df.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr></thead>`;
  const bodyRows = shown.map(({ label, r }) => `<tr><th>${escapeHtml(String(label))}</th>${r.map((v) => `<td>${cell(v, maxColWidth)}</td>`).join("")}</tr>`);
  if (cut) bodyRows.splice(Math.floor(maxRows / 2), 0, `<tr><th>...</th>${df.columns.map(() => "<td>...</td>").join("")}</tr>`);
  const caption = params.caption !== undefined ? `<caption style="caption-side:top;text-align:left">${escapeHtml(params.caption)}</caption>` : "";
  return (
    `<div class="ftp-dataframe"><table border="1" class="dataframe">${caption}${head}<tbody>${bodyRows.join("")}</tbody></table>` +
    `<p>${rows.length.toLocaleString("en-US")} rows × ${df.columns.length} columns</p></div>`
  );
}
