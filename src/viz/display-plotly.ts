import { NotebookDisplayError } from "./notebook-display-error.js";
import type { PlotlyFigure } from "./plotly-figure.js";
import { plotlyFigureHtml } from "./plotly-figure-html.js";
import { tslabKernel } from "./tslab-kernel.js";

/** Plotly's JSON mime type: JupyterLab (with plotly's renderer) and VS Code draw it natively. */
export const PLOTLY_MIME_TYPE = "application/vnd.plotly.v1+json";

export interface DisplayPlotlyParams {
  /** Inline plotly.js in this output even if an earlier one did (e.g. after clearing that output). Default: only the first time in a kernel session. */
  includePlotlyJs?: boolean;
  /** id of the figure's div. Default: a random one. */
  divId?: string;
  /** Height in pixels. Default `layout.height`, else 450. */
  height?: number;
}

/** One kernel session = one load of this module: plotly.js goes into the first figure's output only. */
let plotlyJsSent = false;

/**
 * Shows a plotly figure in a tslab notebook, the way plotly.py's default notebook renderer does:
 * one output holding both `text/html` (a div + script; the first figure of the kernel session
 * also inlines plotly.js-dist, so nothing is fetched from the network — classic Notebook,
 * nbconvert HTML) and `application/vnd.plotly.v1+json` (the figure JSON, drawn natively by
 * JupyterLab's plotly renderer when installed). Outside a tslab kernel it throws
 * NotebookDisplayError; use {@link plotlyFigureHtml} to write an HTML file instead.
 */
export function displayPlotly(figure: PlotlyFigure, params: DisplayPlotlyParams = {}): void {
  const kernel = tslabKernel();
  if (!kernel) {
    throw new NotebookDisplayError("displayPlotly needs a tslab notebook kernel to display to.", {
      hint: "Outside a notebook, write plotlyFigureHtml(figure) to an .html file and open it in a browser.",
    });
  }
  const includePlotlyJs = params.includePlotlyJs ?? !plotlyJsSent;
  const html = plotlyFigureHtml(figure, {
    includePlotlyJs,
    ...(params.divId !== undefined ? { divId: params.divId } : {}),
    ...(params.height !== undefined ? { height: params.height } : {}),
  });
  kernel.displayBundle({
    "text/html": html,
    [PLOTLY_MIME_TYPE]: { data: figure.data, layout: figure.layout ?? {}, config: figure.config ?? {} },
  });
  if (includePlotlyJs) plotlyJsSent = true;
}
