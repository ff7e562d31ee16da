// plotlyFigureHtml in headless Chromium (Debian's), with no network: it draws on a plain page and
// on a page with require.js (the classic Notebook's AMD loader, which a UMD bundle would otherwise
// register with instead of defining window.Plotly), and says so when plotly.js is missing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { histogramFigure, plotlyFigureHtml } from "../../src/viz/index.js";
import { chromiumDom } from "../helpers/chromium.js";
import { tempDir } from "../helpers/temp-dir.js";

const REQUIRE_JS = "/usr/share/javascript/requirejs/require.js";
const temp = tempDir("ftp-plotly-offline-").dir;

const figure = histogramFigure({ series: [{ name: "total", values: [3, 4, 4, 12, 20, 21, 22, 40] }], binSize: 5, maxLength: 30 });

/** The DOM of `html` after Chromium ran its scripts (virtual time, so timers run out quickly). */
function renderedDom(name: string, html: string): string {
  const file = join(temp, `${name}.html`);
  writeFileSync(file, html);
  const r = chromiumDom(file);
  if (r.error) throw new Error(`chromium did not run (${r.error.message}): install Debian's chromium.`);
  return r.dom;
}

/** Bars with a height: plotly draws each as `M x,y0 V y1 H x' V y0 Z`, and empty bins with y1 = y0. */
const drawnBars = (dom: string) => [...dom.matchAll(/<g class="point"><path d="M[-\d.]+,([-\d.]+)V([-\d.]+)H/g)].filter((m) => m[1] !== m[2]).length;

describe("plotlyFigureHtml in Chromium", () => {
  it("draws on a plain page", () => {
    const dom = renderedDom("plain", `<!DOCTYPE html><html><body>${plotlyFigureHtml(figure, { divId: "plain" })}</body></html>`);
    expect(dom).toContain('class="main-svg"');
    expect(drawnBars(dom)).toBe(4);
  }, 240_000);

  it("draws on a page with require.js, as in the classic Notebook", () => {
    expect(existsSync(REQUIRE_JS), `${REQUIRE_JS} (Debian's libjs-requirejs, installed with jupyter-notebook)`).toBe(true);
    const requireJs = readFileSync(REQUIRE_JS, "utf8");
    const dom = renderedDom(
      "amd",
      `<!DOCTYPE html><html><head><script>${requireJs}</script></head><body>${plotlyFigureHtml(figure, { divId: "amd" })}<script>document.body.dataset.amd = typeof define === "function" && define.amd ? "yes" : "no";</script></body></html>`,
    );
    expect(dom).toContain('data-amd="yes"');
    expect(drawnBars(dom)).toBe(4);
  }, 240_000);

  it("says what to do when plotly.js was never loaded", () => {
    const dom = renderedDom("missing", `<!DOCTYPE html><html><body>${plotlyFigureHtml(figure, { divId: "missing", includePlotlyJs: false })}</body></html>`);
    expect(dom).not.toContain('class="main-svg"');
    expect(dom).toContain("plotly.js is not loaded here: run the notebook from the top");
  }, 240_000);
});
