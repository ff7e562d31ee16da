import { histogramBins, niceBinSize } from "./histogram-bins.js";
import { checkSeries, type LengthSeries, maxLengthMarker, SERIES_COLORS } from "./length-series.js";
import type { PlotlyFigure } from "./plotly-figure.js";

export interface HistogramFigureParams {
  /** The lengths to plot, one trace each (e.g. prompt, answer, total), overlaid. */
  series: LengthSeries[];
  /** Bin width in tokens. Default: 1, 2 or 5 × 10^k giving about 50 bins over the longest value. */
  binSize?: number;
  /** Draw a dashed line at this max_length. */
  maxLength?: number;
  /** Figure title. Default "Token lengths". */
  title?: string;
}

/**
 * A plotly histogram of token lengths: the bins are counted here (bar traces of counts, not raw
 * values), so the figure stays small for a million rows and its numbers can be checked; bin k
 * holds lengths in [k·binSize, (k+1)·binSize). Show it with {@link displayPlotly}.
 */
export function histogramFigure(params: HistogramFigureParams): PlotlyFigure {
  checkSeries(params.series);
  let max = 0;
  for (const s of params.series) for (let i = 0; i < s.values.length; i++) max = Math.max(max, s.values[i]!);
  const binSize = params.binSize ?? niceBinSize(max);
  const data = params.series.map((s, i) => {
    const bins = histogramBins(s.values, binSize);
    return {
      type: "bar",
      name: s.name,
      // Integer lengths: bin [start, start + binSize - 1] drawn from start - 0.5 to start + binSize - 0.5.
      x: bins.starts.map((start) => start + (binSize - 1) / 2),
      y: bins.counts,
      width: binSize,
      customdata: bins.starts.map((start) => [start, start + binSize - 1]),
      hovertemplate:
        binSize === 1
          ? `${s.name}: %{customdata[0]} tokens, %{y} examples<extra></extra>`
          : `${s.name}: %{customdata[0]}–%{customdata[1]} tokens, %{y} examples<extra></extra>`,
      marker: { color: SERIES_COLORS[i % SERIES_COLORS.length], line: { width: 0 } },
      opacity: params.series.length > 1 ? 0.6 : 1,
    };
  });
  return {
    data,
    layout: {
      title: { text: params.title ?? "Token lengths" },
      barmode: "overlay",
      bargap: 0,
      xaxis: { title: { text: `tokens per example (bins of ${binSize})` }, rangemode: "tozero" },
      yaxis: { title: { text: "examples" } },
      legend: { orientation: "h", y: -0.2 },
      margin: { t: 60 },
      ...maxLengthMarker(params.maxLength),
    },
  };
}
