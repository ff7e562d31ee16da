import { InvalidArgumentError } from "../errors.js";
import type { MaxLengthStep } from "../stats/max-length-sweep.js";
import { histogramBins, niceBinSize } from "./histogram-bins.js";
import { checkSeries, SERIES_COLORS } from "./length-series.js";
import type { PlotlyFigure } from "./plotly-figure.js";

export interface MaxLengthExplorerFigureParams {
  /** Token lengths of the examples (one per example). */
  lengths: ArrayLike<number>;
  /** The slider's steps, one per max_length: {@link maxLengthSweep} of the same lengths. */
  steps: readonly MaxLengthStep[];
  /** The max_length shown before the slider is moved (one of the steps'). Default: the first step keeping at least 99% of the examples whole. */
  initial?: number;
  /** Figure title. Default "Token lengths: drag max_length". */
  title?: string;
  /** Histogram bin width in tokens. Default: about 50 bins over the longest example. */
  binSize?: number;
}

const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
const int = (n: number) => n.toLocaleString("en-US");

/** The annotation a step shows: kept whole, tokens cut, and the padding share of the three batching strategies. */
export function maxLengthStepText(step: MaxLengthStep): string {
  const examples = step.keptWhole + step.truncated;
  return [
    `<b>max_length = ${step.maxLength}</b>`,
    `kept whole: ${int(step.keptWhole)} of ${int(examples)} examples (${pct(step.keptWholeShare)})`,
    `tokens cut: ${int(step.tokensCut)} (${pct(step.tokensCutShare)} of all tokens)`,
    `padding share, pad to max_length: ${pct(step.padToMaxLength.share)}`,
    `padding share, dynamic padding (batches of ${step.dynamicPadding.batchSize}): ${pct(step.dynamicPadding.share)}`,
    `padding share, packing (${int(step.packing.blocks)} blocks): ${pct(step.packing.share)}`,
  ].join("<br>");
}

/**
 * A token-length histogram with a max_length slider: each slider step (one per
 * {@link maxLengthSweep} step) moves the dashed cut line and rewrites the annotation on the figure
 * (share kept whole, tokens cut, padding share of pad-to-max_length, dynamic padding and packing).
 * Everything is computed here and shipped in the figure as `relayout` steps, so the slider works
 * with no kernel: in Jupyter, in exported HTML, in nbviewer. Show it with {@link displayPlotly}.
 */
export function maxLengthExplorerFigure(params: MaxLengthExplorerFigureParams): PlotlyFigure {
  checkSeries([{ name: "lengths", values: params.lengths }]);
  const steps = params.steps;
  if (!Array.isArray(steps) || steps.length === 0)
    throw new InvalidArgumentError("steps", steps, "steps must be a non-empty array (maxLengthSweep of the lengths).");
  let max = 0;
  for (let i = 0; i < params.lengths.length; i++) max = Math.max(max, params.lengths[i]!);
  const binSize = params.binSize ?? niceBinSize(max);
  const bins = histogramBins(params.lengths, binSize);
  const initialIndex =
    params.initial !== undefined
      ? steps.findIndex((s) => s.maxLength === params.initial)
      : Math.max(
          0,
          steps.findIndex((s) => s.keptWholeShare >= 0.99),
        );
  if (initialIndex === -1) {
    throw new InvalidArgumentError(
      "initial",
      params.initial,
      `initial must be one of the steps' max_length values (${steps.map((s) => s.maxLength).join(", ")}).`,
    );
  }
  const first = steps[initialIndex]!;
  const update = (s: MaxLengthStep) => ({
    "shapes[0].x0": s.maxLength,
    "shapes[0].x1": s.maxLength,
    "annotations[0].text": maxLengthStepText(s),
  });
  return {
    data: [
      {
        type: "bar",
        name: "examples",
        x: bins.starts.map((start) => start + (binSize - 1) / 2),
        y: bins.counts,
        width: binSize,
        customdata: bins.starts.map((start) => [start, start + binSize - 1]),
        hovertemplate:
          binSize === 1 ? "%{customdata[0]} tokens: %{y} examples<extra></extra>" : "%{customdata[0]}–%{customdata[1]} tokens: %{y} examples<extra></extra>",
        marker: { color: SERIES_COLORS[0], line: { width: 0 } },
      },
    ],
    layout: {
      title: { text: params.title ?? "Token lengths: drag max_length" },
      bargap: 0,
      xaxis: {
        title: { text: `tokens per example (bins of ${binSize})` },
        rangemode: "tozero",
        range: [0, Math.max(max, steps[steps.length - 1]!.maxLength) * 1.02 + binSize],
      },
      yaxis: { title: { text: "examples" } },
      showlegend: false,
      margin: { t: 60, b: 40 },
      shapes: [
        { type: "line", xref: "x", yref: "paper", x0: first.maxLength, x1: first.maxLength, y0: 0, y1: 1, line: { color: "#444", width: 2, dash: "dash" } },
      ],
      annotations: [
        {
          xref: "paper",
          yref: "paper",
          x: 0.99,
          y: 0.97,
          xanchor: "right",
          yanchor: "top",
          align: "left",
          showarrow: false,
          text: maxLengthStepText(first),
          bgcolor: "rgba(255,255,255,0.85)",
          bordercolor: "#888",
          borderwidth: 1,
          font: { size: 12 },
        },
      ],
      sliders: [
        {
          active: initialIndex,
          currentvalue: { prefix: "max_length = ", visible: true, xanchor: "left" },
          pad: { t: 50 },
          steps: steps.map((s) => ({ label: String(s.maxLength), method: "relayout", args: [update(s)] })),
        },
      ],
    },
  };
}
