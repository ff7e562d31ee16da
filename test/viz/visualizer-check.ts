// tokenVisualizerHtml on tokenizers that are not Pythia's — Gemma 3 (SentencePiece-style BPE with
// byte fallback) and GPT-4o (byte-level BPE without a post-processor) — run by the model span
// suite (test/tokenizer/model-span-suite.ts), which has them loaded already.
import { expect } from "vitest";
import type { Tokenizer } from "../../src/tokenizer/index.js";
import { tokenVisualizerHtml, visibleWhitespace } from "../../src/viz/index.js";

const unescapeHtml = (s: string) =>
  s
    .replace(/<br>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

function boxes(html: string): { id: number; content: string }[] {
  const re = /<span class="ftp-token( ftp-masked)?" data-index="(\d+)" data-id="(\d+)" title="([^"]*)" style="([^"]*)">(.*?)<\/span>/g;
  return [...html.matchAll(re)].map((m) => ({ id: Number(m[3]), content: unescapeHtml(m[6]!) }));
}

const text = "Hello  world!\n\tCafé 中文 😀 𠮷野家 <start_of_turn> end ";

/** The visualizer draws one box per token of encode, each holding the text its token comes from. */
export function checkVisualizer(tok: Tokenizer, name: string): void {
  const ids = tok.encode(text);
  const spans = tok.tokenSpans(text);
  const b = boxes(tokenVisualizerHtml(tok, text));
  expect(b.map((x) => x.id)).toEqual(ids);
  spans.forEach((s, i) => {
    // Special tokens the post-processor adds (Gemma's <bos>) show their token; the rest their text.
    expect(b[i]!.content).toBe(s.end > s.start ? visibleWhitespace(text.slice(s.start, s.end)) : s.token);
  });
  // The distinct spans, in order, are the text: nothing lost, nothing doubled.
  let rebuilt = "";
  let pos = 0;
  for (const s of spans) {
    if (s.end <= pos) continue;
    expect(s.start).toBe(pos);
    rebuilt += text.slice(s.start, s.end);
    pos = s.end;
  }
  expect(rebuilt).toBe(text);
  if (name === "gemma3") {
    // 𠮷 is not in Gemma's vocabulary: its four <0x..> byte tokens each show the whole character.
    const bytes = spans.filter((s) => /^<0x[0-9A-F]{2}>$/.test(s.token));
    expect(bytes.length).toBeGreaterThanOrEqual(4);
    for (const s of bytes) expect(text.slice(s.start, s.end)).toBe("𠮷");
    expect(spans[0]).toEqual({ id: 2, token: "<bos>", start: 0, end: 0 });
  }
}
