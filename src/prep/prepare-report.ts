/** What preparation did, in counts: nothing is dropped or changed without showing up here. */
export interface PrepareReport {
  /** Rows read. */
  rowsIn: number;
  /** Rows written (= rowsIn: preparation drops no row; see `packing` for blocks). */
  rowsOut: number;
  /** Rows longer than maxLength, cut on the truncation side. */
  truncatedRows: number;
  /** Tokens cut off by truncation, in all. */
  truncatedTokens: number;
  /** Rows with an empty string in a column they are made of (kept, counted, warned). */
  emptyRows: number;
  /** Empty strings per column. */
  emptyByColumn: Record<string, number>;
  /** Tokens in input_ids, in all (after truncation). */
  tokens: number;
  /** Label positions set to -100 (labels "mask-prompt"). */
  maskedTokens: number;
  /** Rows whose labels are all -100: nothing to learn from them (an empty answer, or truncated to the prompt). */
  fullyMaskedRows: number;
  /** Rows whose prompt and answer share a token at the boundary (labels "mask-prompt"; see countPromptTokens). */
  boundaryMergedRows: number;
}

/** A report of nothing, to add batch reports to. */
export function emptyPrepareReport(): PrepareReport {
  return {
    rowsIn: 0,
    rowsOut: 0,
    truncatedRows: 0,
    truncatedTokens: 0,
    emptyRows: 0,
    emptyByColumn: {},
    tokens: 0,
    maskedTokens: 0,
    fullyMaskedRows: 0,
    boundaryMergedRows: 0,
  };
}

/** Adds `more` into `into` (mutates and returns `into`). */
export function addPrepareReport(into: PrepareReport, more: PrepareReport): PrepareReport {
  into.rowsIn += more.rowsIn;
  into.rowsOut += more.rowsOut;
  into.truncatedRows += more.truncatedRows;
  into.truncatedTokens += more.truncatedTokens;
  into.emptyRows += more.emptyRows;
  for (const [k, n] of Object.entries(more.emptyByColumn)) into.emptyByColumn[k] = (into.emptyByColumn[k] ?? 0) + n;
  into.tokens += more.tokens;
  into.maskedTokens += more.maskedTokens;
  into.fullyMaskedRows += more.fullyMaskedRows;
  into.boundaryMergedRows += more.boundaryMergedRows;
  return into;
}

/** One-line warnings for what a user should know about (empty rows, rows with nothing to learn, truncation). */
export function prepareWarnings(report: PrepareReport, maxLength: number): string[] {
  const out: string[] = [];
  if (report.emptyRows > 0) {
    const cols = Object.entries(report.emptyByColumn)
      .map(([k, n]) => `${n} in "${k}"`)
      .join(", ");
    out.push(`${report.emptyRows} row${report.emptyRows === 1 ? " has" : "s have"} an empty string (${cols}); kept as they are.`);
  }
  if (report.fullyMaskedRows > 0) {
    out.push(
      `${report.fullyMaskedRows} row${report.fullyMaskedRows === 1 ? " has" : "s have"} every label masked (-100): nothing to learn from ${report.fullyMaskedRows === 1 ? "it" : "them"}.`,
    );
  }
  if (report.truncatedRows > 0) {
    out.push(
      `${report.truncatedRows} row${report.truncatedRows === 1 ? " was" : "s were"} longer than maxLength ${maxLength} and truncated (${report.truncatedTokens} tokens cut).`,
    );
  }
  return out;
}
