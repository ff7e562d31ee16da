// Token spans for the model types the seven published tokenizers do not use — Unigram and
// WordPiece — and the normalizers/pre-tokenizers that go with them, on small tokenizer.json files
// built here, checked against the Rust engine loading the same JSON.
import { Tokenizer as RustTokenizer } from "tokenizers";
import { describe, expect, it } from "vitest";
import { buildSpanPlan } from "../../src/tokenizer/build-span-plan.js";
import { Tokenizer } from "../../src/tokenizer/index.js";
import { hardCorpus } from "../fixtures/tokenizer/hard-corpus.js";
import { modelCorpus } from "../fixtures/tokenizer/model-corpus.js";
import { CJK, SUFFIXES, syntheticVariants as variants, WORDS } from "../fixtures/tokenizer/synthetic-tokenizers.js";
import { laminiRows } from "../helpers/shared.js";
import { AWKWARD_POOL, awkwardStrings } from "./oracle.js";
import { rustTokenSpanMismatches, spanMismatches } from "./span-check.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const laminiSample = (every: number) => laminiRows().flatMap((row, i) => (i % every === 0 ? [row.question, row.answer] : []));

describe.each(variants)("$name: same as the Rust engine", ({ name, json, engineGap }) => {
  const j = json();
  const tok = new Tokenizer({ tokenizerJson: j, tokenizerConfig: {}, nameOrPath: name });
  const rust = RustTokenizer.fromString(JSON.stringify(j));
  const words = [...WORDS, ...SUFFIXES, ...CJK, "Un", "UNPLAYABLE", "Café", "naïve", "ŉ", "[MASK]", "[UNK]", "<unk>", "</s>", "▁", "Ⅻ", "ﬁ", "x".repeat(40)];

  const corpus = () => [...hardCorpus.map((c) => c.text), ...modelCorpus.map((c) => c.text), ...laminiSample(10)].filter((t) => !LONE_SURROGATE.test(t));
  const generated = () => {
    const pool = [...AWKWARD_POOL, ...words, ...words.map((w) => ` ${w}`)];
    return awkwardStrings(variants.findIndex((v) => v.name === name) + 201, 300, pool).filter((t) => !LONE_SURROGATE.test(t));
  };
  const plan = buildSpanPlan(j, {}, undefined, {
    normalizer: (tok as unknown as { core: { normalizer: unknown } }).core.normalizer,
    pre_tokenizer: (tok as unknown as { core: { pre_tokenizer: unknown } }).core.pre_tokenizer,
  });

  it("spans of the Rust engine's own tokens, on the hard corpus, lamini texts and generated strings", async () => {
    expect(await rustTokenSpanMismatches(plan, rust, [...corpus(), ...generated()])).toEqual([]);
  });

  if (engineGap === undefined) {
    it("ids, tokens, spans and decode through the Tokenizer, on the hard corpus and lamini texts", async () => {
      expect(await spanMismatches(tok, rust, corpus())).toEqual([]);
    });

    it("ids, tokens, spans and decode through the Tokenizer, on generated strings", async () => {
      expect(await spanMismatches(tok, rust, generated())).toEqual([]);
    });
  } else {
    it(`the JavaScript engine differs from Rust here (${engineGap}): its ids are not Python's`, async () => {
      const texts = corpus();
      const rustIds = (await rust.encodeBatch(texts, { addSpecialTokens: true })).map((e) => e.getIds());
      expect(texts.some((t, i) => JSON.stringify(tok.encode(t)) !== JSON.stringify(rustIds[i]))).toBe(true);
    });
  }
});
