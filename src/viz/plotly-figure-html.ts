import { randomBytes } from "node:crypto";
import { InvalidArgumentError } from "../errors.js";
import { escapeHtml } from "./escape-html.js";
import type { PlotlyFigure } from "./plotly-figure.js";
import { plotlyJsSource } from "./plotly-js-source.js";

export interface PlotlyFigureHtmlParams {
  /**
   * Put the plotly.js bundle (plotly.js-dist, about 10 MB) in a script before the figure, as
   * plotly's offline mode does, so the HTML draws with no network. Without it the figure waits
   * for a `window.Plotly` that an earlier output (or page) defined. Default true.
   */
  includePlotlyJs?: boolean;
  /** id of the div the figure draws into. Default: a random "ftp-plot-…" id. */
  divId?: string;
  /** Height of the figure in pixels. Default `layout.height`, else 450. */
  height?: number;
}

/** JSON safe inside a <script>: no "</script>", no HTML comment openers, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** The bundle in a script that sets window.Plotly whatever the page has (plain page, require.js in classic Notebook, JupyterLab). */
function plotlyJsScript(): string {
  const { source, version } = plotlyJsSource();
  // The bundle's UMD wrapper must not see a CommonJS `module` or an AMD `define` (require.js in
  // the classic Notebook): shadowed here, it always ends with `window.Plotly = Plotly`.
  const safe = source.replace(/<\/(script)/gi, "<\\/$1");
  return (
    `<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: 'local'};</script>\n` +
    `<script type="text/javascript" data-ftp-plotlyjs="${escapeHtml(version)}">/* plotly.js-dist ${version}, inlined by finetune-prep */\n` +
    `(function (define, module, exports) {\n${safe}\n}).call(window);\n</script>\n`
  );
}

/**
 * HTML that draws `figure` with plotly.js: a div and a script calling `Plotly.newPlot`, with the
 * plotly.js bundle inlined first unless `includePlotlyJs` is false (see {@link displayPlotly},
 * which inlines it once per notebook session). The page needs no network either way.
 */
export function plotlyFigureHtml(figure: PlotlyFigure, params: PlotlyFigureHtmlParams = {}): string {
  if (figure === null || typeof figure !== "object" || !Array.isArray(figure.data)) {
    throw new InvalidArgumentError("figure", figure, "A plotly figure is an object with a `data` array of traces (and optional layout, config).");
  }
  const divId = params.divId ?? `ftp-plot-${randomBytes(6).toString("hex")}`;
  if (!/^[A-Za-z][\w-]*$/.test(divId))
    throw new InvalidArgumentError("divId", divId, `divId must be a plain HTML id (letters, digits, "-", "_"), got ${JSON.stringify(divId)}.`);
  const layoutHeight = typeof figure.layout?.height === "number" ? figure.layout.height : undefined;
  const height = params.height ?? layoutHeight ?? 450;
  const plot = { data: figure.data, layout: { ...figure.layout, height }, config: { responsive: true, ...figure.config } };
  // Outputs can render before the one holding the bundle (JupyterLab renders lazily): wait for it.
  const draw =
    `<script type="text/javascript">(function () {\n` +
    `  var figure = ${scriptJson(plot)};\n` +
    `  function draw(attempt) {\n` +
    `    var el = document.getElementById(${JSON.stringify(divId)});\n` +
    `    if (!el) return;\n` +
    `    if (window.Plotly) { window.Plotly.newPlot(el, figure.data, figure.layout, figure.config); return; }\n` +
    `    if (attempt < 400) { setTimeout(function () { draw(attempt + 1); }, 50); return; }\n` +
    `    el.textContent = "plotly.js is not loaded here: run the notebook from the top (its first plot inlines plotly.js).";\n` +
    `  }\n` +
    `  draw(0);\n` +
    `})();</script>`;
  return (
    `<div class="ftp-plotly">\n` +
    ((params.includePlotlyJs ?? true) ? plotlyJsScript() : "") +
    `<div id="${divId}" class="plotly-graph-div" style="height:${height}px; width:100%;"></div>\n` +
    draw +
    `\n</div>`
  );
}
