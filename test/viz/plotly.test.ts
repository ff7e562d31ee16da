// Plotly figures: the HTML (offline, escaped), the notebook display bundle, and the figure builders' numbers.
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import {
  cumulativeFigure,
  cumulativeShares,
  displayPlotly,
  histogramBins,
  histogramFigure,
  NotebookDisplayError,
  niceBinSize,
  PLOTLY_MIME_TYPE,
  type PlotlyFigure,
  plotlyFigureHtml,
} from "../../src/viz/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const require = createRequire(import.meta.url);
const plotlyVersion = (require("plotly.js-dist/package.json") as { version: string }).version;
const figure: PlotlyFigure = { data: [{ type: "bar", x: [1, 2], y: [3, 4], name: "</script><b>x</b>\u2028" }], layout: { title: { text: "t" } } };

/** The figure JSON embedded in the draw script, parsed back. */
function embedded(html: string): { data: unknown[]; layout: Record<string, unknown>; config: Record<string, unknown> } {
  const m = /var figure = (.*);\n/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as never;
}

describe("plotlyFigureHtml", () => {
  it("inlines plotly.js-dist once, before the figure, and draws into its div", () => {
    const html = plotlyFigureHtml(figure, { divId: "my-plot" });
    expect(html.match(/data-ftp-plotlyjs=/g)).toHaveLength(1);
    expect(html).toContain(`plotly.js-dist ${plotlyVersion}, inlined by finetune-prep`);
    expect(html.indexOf("window.Plotly = Plotly")).toBeGreaterThan(0);
    expect(html.indexOf("data-ftp-plotlyjs")).toBeLessThan(html.indexOf('<div id="my-plot"'));
    expect(html).toContain('document.getElementById("my-plot")');
    expect(html).toContain("window.Plotly.newPlot(el, figure.data, figure.layout, figure.config)");
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it("leaves plotly.js out when asked, and still waits for it", () => {
    const html = plotlyFigureHtml(figure, { includePlotlyJs: false });
    expect(html).not.toContain("data-ftp-plotlyjs");
    expect(html.length).toBeLessThan(5000);
    expect(html).toMatch(/id="ftp-plot-[0-9a-f]{12}"/);
    expect(html).toContain("setTimeout");
  });

  it("embeds the figure as script-safe JSON that parses back to the figure", () => {
    const html = plotlyFigureHtml(figure, { includePlotlyJs: false, height: 300 });
    // The only </script> closes the draw script; the trace name's markup is escaped.
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html).not.toContain("<b>x</b>");
    expect(html).not.toContain("\u2028");
    const fig = embedded(html);
    expect(fig.data).toEqual(figure.data);
    expect(fig.layout).toEqual({ title: { text: "t" }, height: 300 });
    expect(fig.config).toEqual({ responsive: true });
    expect(html).toContain("height:300px");
  });

  it("refuses a figure without data and a divId that is not an id", () => {
    expect(() => plotlyFigureHtml({} as PlotlyFigure)).toThrow(InvalidArgumentError);
    expect(() => plotlyFigureHtml(figure, { divId: 'x" onload="y' })).toThrow(/divId must be a plain HTML id/);
  });
});

describe("displayPlotly in a (simulated) tslab kernel", () => {
  const dir = tempDir("ftp-fake-tslab-").dir;
  afterEach(() => {
    delete (globalThis as { __tslab__?: unknown }).__tslab__;
  });

  /** A module pair shaped like tslab 1.0's dist/public.js + dist/jupyter.js (jupyter.js optional). */
  function fakeTslab(name: string, withJupyter: boolean) {
    const dist = join(dir, name, "dist");
    mkdirSync(dist, { recursive: true });
    const sent: { data: Record<string, unknown>; update: boolean }[] = [];
    const html: string[] = [];
    if (withJupyter) writeFileSync(join(dist, "jupyter.js"), "exports.lastWriteDisplayData = null;\n");
    writeFileSync(
      join(dist, "public.js"),
      `exports.display = { html(s) { exports.htmlCalls.push(s); }, raw() {} };\nexports.htmlCalls = [];\n${withJupyter ? "require('./jupyter');\n" : ""}`,
    );
    const pub = require(join(dist, "public.js")) as { htmlCalls: string[] };
    pub.htmlCalls = html;
    if (withJupyter) {
      (require(join(dist, "jupyter.js")) as { lastWriteDisplayData: unknown }).lastWriteDisplayData = (
        content: { data: Record<string, unknown> },
        update: boolean,
      ) => sent.push({ data: content.data, update });
    }
    (globalThis as { __tslab__?: unknown }).__tslab__ = { require: (id: string) => (id === "tslab" ? pub : require(id)) };
    return { sent, html };
  }

  it("throws NotebookDisplayError outside a kernel, saying what to do instead", () => {
    expect(() => displayPlotly(figure)).toThrow(NotebookDisplayError);
    expect(() => displayPlotly(figure)).toThrow(/plotlyFigureHtml/);
  });

  it("sends text/html and the plotly JSON in one message, plotly.js only in the first", () => {
    const { sent } = fakeTslab("tslab-a", true);
    displayPlotly(figure, { divId: "first" });
    displayPlotly(figure, { divId: "second" });
    displayPlotly(figure, { divId: "third", includePlotlyJs: true });
    expect(sent).toHaveLength(3);
    for (const m of sent) {
      expect(Object.keys(m.data).sort()).toEqual([PLOTLY_MIME_TYPE, "text/html"].sort());
      expect(m.update).toBe(false);
      // JSON mime types travel as objects, not strings.
      expect(m.data[PLOTLY_MIME_TYPE]).toEqual({ data: figure.data, layout: figure.layout, config: {} });
    }
    const bundled = sent.map((m) => (m.data["text/html"] as string).includes("data-ftp-plotlyjs"));
    expect(bundled).toEqual([true, false, true]);
    expect(sent[1]!.data["text/html"]).toContain('id="second"');
  });

  it("falls back to HTML alone when tslab's message writer cannot be found", () => {
    const { html } = fakeTslab("tslab-b", false);
    displayPlotly(figure, { divId: "only-html" });
    expect(html).toHaveLength(1);
    expect(html[0]).toContain('id="only-html"');
  });
});

describe("histogramFigure", () => {
  it("counts lengths into bins [k·size, (k+1)·size)", () => {
    expect(histogramBins([0, 1, 9, 10, 10, 25], 10)).toEqual({ binSize: 10, starts: [0, 10, 20], counts: [3, 2, 1] });
    expect(histogramBins([], 5)).toEqual({ binSize: 5, starts: [], counts: [] });
    expect(() => histogramBins([1], 0)).toThrow(InvalidArgumentError);
  });

  it("picks 1, 2 or 5 × 10^k for about 50 bins", () => {
    expect(niceBinSize(40)).toBe(1);
    expect(niceBinSize(120)).toBe(5);
    expect(niceBinSize(1000)).toBe(20);
    expect(niceBinSize(2048)).toBe(50);
    expect(niceBinSize(30000)).toBe(1000);
  });

  it("has one bar trace per series with the counts, bin ranges on hover, and the max_length line", () => {
    const fig = histogramFigure({
      series: [
        { name: "prompt", values: [3, 4, 12] },
        { name: "total", values: Int32Array.from([30, 31, 45]) },
      ],
      binSize: 10,
      maxLength: 32,
    });
    expect(fig.data.map((t) => [t.type, t.name])).toEqual([
      ["bar", "prompt"],
      ["bar", "total"],
    ]);
    expect(fig.data[0]!.y).toEqual([2, 1]);
    expect(fig.data[1]!.y).toEqual([0, 0, 0, 2, 1]);
    expect(fig.data[1]!.x).toEqual([4.5, 14.5, 24.5, 34.5, 44.5]);
    expect(fig.data[1]!.customdata).toEqual([
      [0, 9],
      [10, 19],
      [20, 29],
      [30, 39],
      [40, 49],
    ]);
    expect(fig.data[0]!.width).toBe(10);
    const layout = fig.layout as { barmode: string; shapes: { x0: number }[]; annotations: { text: string }[] };
    expect(layout.barmode).toBe("overlay");
    expect(layout.shapes[0]!.x0).toBe(32);
    expect(layout.annotations[0]!.text).toBe("max_length = 32");
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });

  it("refuses lengths that are not token counts, naming the series and row", () => {
    expect(() => histogramFigure({ series: [{ name: "answer", values: [1, -2] }] })).toThrow(/series\[0\] \("answer"\)\.values\[1\] is -2/);
    expect(() => histogramFigure({ series: [] })).toThrow(InvalidArgumentError);
    expect(() => histogramFigure({ series: [{ name: "a", values: [1] }], maxLength: 0 })).toThrow(/maxLength must be a positive integer/);
  });
});

describe("cumulativeFigure", () => {
  it("gives the share of examples with at most x tokens at each distinct length", () => {
    expect(cumulativeShares([5, 1, 5, 3])).toEqual({ x: [1, 3, 5], y: [25, 50, 100] });
    const fig = cumulativeFigure({ series: [{ name: "total", values: [5, 1, 5, 3] }], maxLength: 4 });
    expect(fig.data[0]).toMatchObject({ type: "scatter", x: [0, 1, 3, 5], y: [0, 25, 50, 100], line: { shape: "hv" } });
    expect((fig.layout as { shapes: { x0: number }[] }).shapes[0]!.x0).toBe(4);
  });
});
