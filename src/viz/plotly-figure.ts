/** One plotly.js trace (`{ type: "bar", x, y, ... }`): plain JSON, as plotly.js takes it. */
export interface PlotlyTrace {
  type?: string;
  name?: string;
  [attribute: string]: unknown;
}

/**
 * A plotly figure as plain JSON — the same object plotly.py's `fig.to_dict()` gives and JupyterLab's
 * `application/vnd.plotly.v1+json` renderer reads.
 */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}
