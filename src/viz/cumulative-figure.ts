import { checkSeries, type LengthSeries, maxLengthMarker, SERIES_COLORS } from "./length-series.js";
import type { PlotlyFigure } from "./plotly-figure.js";

export interface CumulativeFigureParams {
  /** The lengths to plot, one curve each. */
  series: LengthSeries[];
  /** Draw a dashed line at this max_length: where it meets a curve is the share kept whole. */
  maxLength?: number;
  /** Figure title. Default "Share of examples with at most x tokens". */
  title?: string;
}

/** The empirical CDF of integer lengths: at each distinct length, the % of values ≤ it. */
export function cumulativeShares(values: ArrayLike<number>): { x: number[]; y: number[] } {
  const sorted = Float64Array.from(values).sort();
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i + 1 < sorted.length && sorted[i + 1] === sorted[i]) continue;
    x.push(sorted[i]!);
    y.push((100 * (i + 1)) / sorted.length);
  }
  return { x, y };
}

/**
 * A plotly figure of the cumulative distribution of token lengths: for each length x, the share
 * of examples with at most x tokens — read off it what a max_length keeps whole (and so what it
 * truncates). Step curves, one per series. Show it with {@link displayPlotly}.
 */
export function cumulativeFigure(params: CumulativeFigureParams): PlotlyFigure {
  checkSeries(params.series);
  const data = params.series.map((s, i) => {
    const { x, y } = cumulativeShares(s.values);
    return {
      type: "scatter",
      mode: "lines",
      name: s.name,
      x: [0, ...x],
      y: [0, ...y],
      line: { shape: "hv", color: SERIES_COLORS[i % SERIES_COLORS.length], width: 2 },
      hovertemplate: `${s.name}: %{y:.1f}% of examples have ≤ %{x} tokens<extra></extra>`,
    };
  });
  return {
    data,
    layout: {
      title: { text: params.title ?? "Share of examples with at most x tokens" },
      xaxis: { title: { text: "tokens per example" }, rangemode: "tozero" },
      yaxis: { title: { text: "examples (%)" }, range: [0, 100.5], ticksuffix: "%" },
      legend: { orientation: "h", y: -0.2 },
      margin: { t: 60 },
      ...maxLengthMarker(params.maxLength),
    },
  };
}
