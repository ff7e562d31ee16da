// tokenVisualizerHtml on the real Pythia-70m tokenizer (offline cache in ../shared).
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { TOKEN_COLORS, tokenVisualizerHtml, visibleWhitespace } from "../../src/viz/index.js";
import { hfHome } from "../helpers/shared.js";

let tok: Tokenizer;
beforeAll(async () => {
  tok = await loadTokenizer("EleutherAI/pythia-70m", { cacheDir: `${hfHome()}/hub`, offline: true });
});

interface Box {
  index: number;
  id: number;
  title: string;
  style: string;
  masked: boolean;
  content: string;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/<br>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** The token boxes of the visualizer's HTML, parsed back. */
function boxes(html: string): Box[] {
  const re = /<span class="ftp-token( ftp-masked)?" data-index="(\d+)" data-id="(\d+)" title="([^"]*)" style="([^"]*)">(.*?)<\/span>/g;
  return [...html.matchAll(re)].map((m) => ({
    masked: m[1] !== undefined,
    index: Number(m[2]),
    id: Number(m[3]),
    title: unescapeHtml(m[4]!),
    style: m[5]!,
    content: m[6]!,
  }));
}

describe("visibleWhitespace", () => {
  it("marks spaces, tabs, newlines and carriage returns", () => {
    expect(visibleWhitespace("a b\tc\nd\re")).toBe("a·b→c↵d␍e");
    expect(visibleWhitespace("no-space")).toBe("no-space");
  });
});

describe("tokenVisualizerHtml", () => {
  it("has one box per token, with the encode ids in order, and the text back when markers are undone", () => {
    const text = "Hi, how are you?";
    const b = boxes(tokenVisualizerHtml(tok, text));
    expect(b.map((x) => x.id)).toEqual([12764, 13, 849, 403, 368, 32]);
    expect(b.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b.map((x) => unescapeHtml(x.content)).join("")).toBe("Hi,·how·are·you?");
    expect(b[2]!.title).toBe("id 849: 'Ġhow'");
  });

  it("cycles colours so neighbours differ", () => {
    const b = boxes(tokenVisualizerHtml(tok, "one two three four five six seven eight nine ten"));
    expect(b.length).toBeGreaterThan(TOKEN_COLORS.length);
    b.forEach((x, i) => {
      expect(x.style).toContain(`background:${TOKEN_COLORS[i % TOKEN_COLORS.length]}`);
    });
  });

  it("makes whitespace visible and breaks lines after a newline", () => {
    const html = tokenVisualizerHtml(tok, "### Question:\n\tindented  two\n\n### Answer:");
    const b = boxes(html);
    const shown = b.map((x) => x.content).join("");
    expect(shown).toContain("↵<br>");
    expect(shown).toContain("→");
    expect(shown).toContain("·");
    expect(shown).not.toMatch(/[ \t\n]/);
    expect(b.map((x) => unescapeHtml(x.content)).join("")).toBe(visibleWhitespace("### Question:\n\tindented  two\n\n### Answer:"));
  });

  it("escapes HTML in the text and in the hover titles", () => {
    const text = `<script>alert("x")</script> & 'q'`;
    const html = tokenVisualizerHtml(tok, text);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("</script");
    const b = boxes(html);
    for (const x of b) expect(x.content).not.toMatch(/[<>"']/);
    expect(b.map((x) => x.id)).toEqual(tok.encode(text));
    expect(b.map((x) => unescapeHtml(x.content)).join("")).toBe(visibleWhitespace(text));
    expect([...html.matchAll(/title="([^"]*)"/g)].map((m) => m[1]).join("")).not.toMatch(/[<>']/);
    expect(b[4]!.title).toBe(`id 1587: '("'`);
  });

  it("greys out the tokens labelled -100 and lists every label on hover", () => {
    const text = "### Question:\nWhy?\n\n### Answer: Because.";
    const ids = tok.encode(text);
    const promptTokens = tok.encode("### Question:\nWhy?\n\n### Answer:").length;
    const labels = ids.map((id, i) => (i < promptTokens ? -100 : id));
    const html = tokenVisualizerHtml(tok, text, { labels });
    const b = boxes(html);
    expect(b.filter((x) => x.masked).map((x) => x.index)).toEqual([...Array(promptTokens).keys()]);
    for (const x of b) {
      if (x.masked) {
        expect(x.style).toContain("background:#ececec");
        expect(x.title).toContain("label -100 (masked: no loss)");
      } else {
        expect(x.style).not.toContain("#ececec");
        expect(x.title).toContain(`label ${ids[x.index]}`);
      }
    }
    expect(html).toContain(`${promptTokens} masked (label -100, greyed), ${ids.length - promptTokens} in the loss`);
  });

  it("refuses labels that do not belong to the text", () => {
    expect(() => tokenVisualizerHtml(tok, "Hi, how are you?", { labels: [1, 2, 3] })).toThrow(InvalidArgumentError);
    expect(() => tokenVisualizerHtml(tok, "Hi, how are you?", { labels: [1, 2, 3] })).toThrow(/labels has 3 entries but the text has 6 tokens/);
  });

  it("shows a character split over several tokens whole in each of its boxes", () => {
    const text = "I ❤ 🦙s";
    const spans = tok.tokenSpans(text);
    const b = boxes(tokenVisualizerHtml(tok, text));
    expect(b.map((x) => x.id)).toEqual(tok.encode(text));
    const llama = spans.map((s, i) => [s, i] as const).filter(([s]) => text.slice(s.start, s.end).includes("🦙"));
    expect(llama.length).toBeGreaterThan(1);
    for (const [, i] of llama) expect(unescapeHtml(b[i]!.content)).toMatch(/^·?🦙s?$/u);
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    for (const x of b) expect(x.content).not.toMatch(loneSurrogate);
  });

  it("uses a caption with the counts, or the one given", () => {
    expect(tokenVisualizerHtml(tok, "Hi, how are you?")).toContain("6 tokens · 16 characters");
    expect(tokenVisualizerHtml(tok, "Hi", { caption: "<b>mine</b>" })).toContain("&lt;b&gt;mine&lt;/b&gt;");
  });
});
