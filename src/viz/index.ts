// Visualization and display for notebooks: Python-style printing, the token visualizer, plotly figures.

export { arrayRepr } from "./array-repr.js";
export { arrayStr } from "./array-str.js";
export { type Array2StringOptions, array2string, type IntArrayLike } from "./array2string.js";
export { type CumulativeFigureParams, cumulativeFigure, cumulativeShares } from "./cumulative-figure.js";
export { type DataFrameHtmlParams, dataFrameHtml, type TableLike } from "./data-frame-html.js";
export { type DisplayPlotlyParams, displayPlotly, PLOTLY_MIME_TYPE } from "./display-plotly.js";
export { type HistogramBins, histogramBins, niceBinSize } from "./histogram-bins.js";
export { type HistogramFigureParams, histogramFigure } from "./histogram-figure.js";
export type { LengthSeries } from "./length-series.js";
export { type MaxLengthExplorerFigureParams, maxLengthExplorerFigure, maxLengthStepText } from "./max-length-explorer-figure.js";
export { type NextTokenTableParams, nextTokenTable } from "./next-token-table.js";
export { NotebookDisplayError } from "./notebook-display-error.js";
export { type PformatOptions, pformat } from "./pformat.js";
export type { PlotlyFigure, PlotlyTrace } from "./plotly-figure.js";
export { type PlotlyFigureHtmlParams, plotlyFigureHtml } from "./plotly-figure-html.js";
export { pprint } from "./pprint.js";
export { pyPrint } from "./py-print.js";
export { type PyReprOptions, pyRepr } from "./py-repr.js";
export { TOKEN_COLORS, type TokenVisualizerParams, tokenVisualizerHtml } from "./token-visualizer-html.js";
export { visibleWhitespace } from "./visible-whitespace.js";
