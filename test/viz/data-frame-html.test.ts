// dataFrameHtml: pandas-style HTML tables of danfojs DataFrames (and of Dataset.toDataFrame()).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Dataset } from "../../src/dataset/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { dataFrameHtml } from "../../src/viz/index.js";

const { DataFrame } = createRequire(import.meta.url)("danfojs-node") as typeof import("danfojs-node");

/** Header and body cells of the table, as text. */
function cells(html: string): { head: string[]; rows: string[][] } {
  const head = [...html.split("</thead>")[0]!.matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]!);
  const body = html.split("<tbody>")[1]!.split("</tbody>")[0]!;
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((r) => [...r[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((c) => c[1]!));
  return { head, rows };
}

describe("dataFrameHtml", () => {
  it("renders columns, index and values as pandas' class=dataframe table", () => {
    const df = new DataFrame(
      [
        [1400, 26.762142857, 202.04999999999995],
        [1400, 8, 41],
      ],
      { columns: ["count", "mean", "p99"], index: ["total", "prompt"] },
    );
    const html = dataFrameHtml(df, { caption: "Tokens <per> example" });
    expect(html).toContain('<table border="1" class="dataframe">');
    expect(html).toContain("<caption");
    expect(html).toContain("Tokens &lt;per&gt; example");
    expect(cells(html)).toEqual({
      head: ["", "count", "mean", "p99"],
      rows: [
        ["total", "1400", "26.762143", "202.05"],
        ["prompt", "1400", "8", "41"],
      ],
    });
    expect(html).toContain("2 rows × 3 columns");
  });

  it("escapes cell text and cuts long cells as pandas' max_colwidth (50)", () => {
    const long = "x".repeat(60);
    const html = dataFrameHtml(new DataFrame({ text: ["<b>bold</b> & 'q'", long] }));
    const { rows } = cells(html);
    expect(rows[0]![1]).toBe("&lt;b&gt;bold&lt;/b&gt; &amp; &#39;q&#39;");
    expect(rows[1]![1]).toBe(`${"x".repeat(47)}...`);
    expect(cells(dataFrameHtml(new DataFrame({ text: [long] }), { maxColWidth: 0 })).rows[0]![1]).toBe(long);
  });

  it("shows the first and last rows of a long frame with a ... row between", () => {
    const df = new DataFrame({ n: Array.from({ length: 100 }, (_, i) => i) });
    const { rows } = cells(dataFrameHtml(df, { maxRows: 4 }));
    expect(rows.map((r) => r[0])).toEqual(["0", "1", "...", "98", "99"]);
    expect(dataFrameHtml(df, { maxRows: 4 })).toContain("100 rows × 1 columns");
  });

  it("takes Dataset.toDataFrame(), ids shown as lists", () => {
    const ds = Dataset.fromList([{ question: "q?", input_ids: [1, 2] }]);
    const { head, rows } = cells(dataFrameHtml(ds.toDataFrame()));
    expect(head).toEqual(["", "question", "input_ids"]);
    expect(rows).toEqual([["0", "q?", "[1,2]"]]);
  });

  it("refuses what is not a table", () => {
    expect(() => dataFrameHtml({} as never)).toThrow(InvalidArgumentError);
  });
});
