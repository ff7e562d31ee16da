import { InvalidArgumentError } from "../errors.js";

/** A named set of token lengths, e.g. `{ name: "total", values: lengths }`. */
export interface LengthSeries {
  /** Legend name. */
  name: string;
  /** One length per example (a number[] or Int32Array). */
  values: ArrayLike<number>;
}

/** Plotly's default colour sequence, so figures look like plotly.py's. */
export const SERIES_COLORS: readonly string[] = ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880"];

/** Checks the series: a non-empty list, each value a non-negative integer (a token count). */
export function checkSeries(series: readonly LengthSeries[]): void {
  if (!Array.isArray(series) || series.length === 0) throw new InvalidArgumentError("series", series, "series must be a non-empty array of { name, values }.");
  series.forEach((s, i) => {
    if (typeof s?.name !== "string") throw new InvalidArgumentError("series", s, `series[${i}].name must be a string.`);
    const values = s.values;
    if (values === null || typeof values !== "object" || typeof values.length !== "number")
      throw new InvalidArgumentError("series", s, `series[${i}] ("${s.name}").values must be an array of lengths.`);
    for (let j = 0; j < values.length; j++) {
      const v = values[j]!;
      if (!Number.isInteger(v) || v < 0) {
        throw new InvalidArgumentError("series", v, `series[${i}] ("${s.name}").values[${j}] is ${String(v)}: lengths are non-negative integers.`, { row: j });
      }
    }
  });
}

/** A dashed vertical line with a label at x = maxLength, as a plotly shape + annotation. */
export function maxLengthMarker(maxLength: number | undefined): { shapes?: unknown[]; annotations?: unknown[] } {
  if (maxLength === undefined) return {};
  if (!Number.isInteger(maxLength) || maxLength < 1)
    throw new InvalidArgumentError("maxLength", maxLength, `maxLength must be a positive integer, got ${String(maxLength)}.`);
  return {
    shapes: [{ type: "line", xref: "x", yref: "paper", x0: maxLength, x1: maxLength, y0: 0, y1: 1, line: { color: "#444", width: 2, dash: "dash" } }],
    annotations: [
      {
        x: maxLength,
        y: 1,
        xref: "x",
        yref: "paper",
        text: `max_length = ${maxLength}`,
        showarrow: false,
        xanchor: "left",
        yanchor: "bottom",
        font: { size: 12 },
      },
    ],
  };
}
