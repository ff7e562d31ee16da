// Visualization and display for notebooks: Python-style printing, the token visualizer, plotly figures.
export { pyRepr, type PyReprOptions } from "./py-repr.js";
export { pyPrint } from "./py-print.js";
export { pformat, type PformatOptions } from "./pformat.js";
export { pprint } from "./pprint.js";
export { array2string, type Array2StringOptions, type IntArrayLike } from "./array2string.js";
export { arrayStr } from "./array-str.js";
export { arrayRepr } from "./array-repr.js";
export { visibleWhitespace } from "./visible-whitespace.js";
export { tokenVisualizerHtml, TOKEN_COLORS, type TokenVisualizerParams } from "./token-visualizer-html.js";
export type { PlotlyFigure, PlotlyTrace } from "./plotly-figure.js";
export { plotlyFigureHtml, type PlotlyFigureHtmlParams } from "./plotly-figure-html.js";
export { displayPlotly, PLOTLY_MIME_TYPE, type DisplayPlotlyParams } from "./display-plotly.js";
export { NotebookDisplayError } from "./notebook-display-error.js";
export { histogramFigure, type HistogramFigureParams } from "./histogram-figure.js";
export { histogramBins, niceBinSize, type HistogramBins } from "./histogram-bins.js";
export { cumulativeFigure, cumulativeShares, type CumulativeFigureParams } from "./cumulative-figure.js";
export type { LengthSeries } from "./length-series.js";
export { dataFrameHtml, type DataFrameHtmlParams, type TableLike } from "./data-frame-html.js";
