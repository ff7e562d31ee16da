// The fast encoding path (src/tokenizer/fast): the same ids as transformers.js — the tokenizer of
// record — and as the Rust engine behind Python's fast tokenizers, on the 1,400 reference rows, the
// hard corpus, texts built to catch a wrongly keyed piece cache, and generated awkward strings.
// (The worker-thread pool is tested against the built package in encoder-pool-dist.test.ts.)

import type { Tokenizer as RustTokenizer } from "tokenizers";
import { describe, expect, it, vi } from "vitest";
import { TokenizerFileError } from "../../../src/errors.js";
import { AddedTokenScanner } from "../../../src/tokenizer/fast/added-token-scanner.js";
import { FastEncoder } from "../../../src/tokenizer/fast/fast-encoder.js";
import { Int32Builder } from "../../../src/tokenizer/fast/int32-builder.js";
import { Tokenizer } from "../../../src/tokenizer/index.js";
import { hardCorpus } from "../../fixtures/tokenizer/hard-corpus.js";
import { laminiRows, referenceIds } from "../../helpers/shared.js";
import { AWKWARD_POOL, awkwardStrings, type Json, pythiaConfig, pythiaJson, pythiaVariant, pythonPostProcessor, rustVariant } from "../oracle.js";
import { cacheCorpus } from "./cache-corpus.js";

interface CoreEncode {
  encode(text: string, options: { add_special_tokens: boolean }): { ids: number[] };
  splitter_unnormalized: { constructor: new (words: string[]) => { split(text: string): string[] } };
}

/** transformers.js's own tokenizer inside a Tokenizer: the tokenizer of record. */
const coreOf = (tok: Tokenizer) => (tok as unknown as { core: CoreEncode }).core;
const recordIds = (tok: Tokenizer, texts: readonly string[]) => texts.map((t) => coreOf(tok).encode(t, { add_special_tokens: false }).ids);

async function rustIds(rust: RustTokenizer, texts: readonly string[]): Promise<number[][]> {
  const out = await rust.encodeBatch([...texts], { addSpecialTokens: false });
  return out.map((e) => e.getIds());
}

/** First index where two lists of id lists differ, with both sides, or undefined. */
function firstDifference(a: ArrayLike<number>[], b: ArrayLike<number>[], texts: readonly string[]) {
  if (a.length !== b.length) return { row: -1, text: "", a: a.length, b: b.length };
  for (let i = 0; i < a.length; i++) {
    const x = Array.from(a[i] as ArrayLike<number>);
    const y = Array.from(b[i] as ArrayLike<number>);
    if (x.length !== y.length || x.some((v, k) => v !== y[k])) return { row: i, text: texts[i], a: x, b: y };
  }
  return undefined;
}

const LLAMA3_SPLIT = String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`;

interface Variant {
  name: string;
  edit: (json: Json) => void;
  /** The mode the tokenizer takes: "native" (the project's BPE) for every variant here. */
  mode: "native" | "byte-level" | "generic";
  /** Also compared with the Rust engine (where transformers.js itself agrees with it on these texts). */
  rust: boolean;
  /** Pieces left out of the generated strings (the documented residual difference of transformers.js). */
  avoid?: string[];
}

const variants: Variant[] = [
  { name: "Pythia-70m as shipped", edit: () => {}, mode: "native", rust: true },
  { name: "bos/eos template post-processor", edit: (j) => pythonPostProcessor(j, "<|endoftext|>", "<|endoftext|>"), mode: "native", rust: true },
  {
    name: "lstrip/rstrip added tokens",
    edit: (j) => {
      for (const t of j.added_tokens as Json[]) {
        if (t.content === "<|im_end|>") t.lstrip = true;
        if (t.content === "<|im_start|>") t.rstrip = true;
      }
    },
    mode: "native",
    rust: true,
    avoid: ["\uFEFF", "\u0085"],
  },
  {
    name: "add_prefix_space",
    edit: (j) => {
      for (const k of ["pre_tokenizer", "post_processor", "decoder"]) (j[k] as Json).add_prefix_space = true;
    },
    mode: "native",
    rust: true,
  },
  {
    name: "NFKC normalizer",
    edit: (j) => {
      j.normalizer = { type: "NFKC" };
    },
    mode: "native",
    rust: true,
  },
  {
    name: "no normalizer",
    edit: (j) => {
      j.normalizer = null;
    },
    mode: "native",
    rust: true,
  },
  {
    name: "ByteLevel without its regex",
    edit: (j) => {
      (j.pre_tokenizer as Json).use_regex = false;
    },
    mode: "native",
    rust: true,
  },
  {
    // Llama 3's layout: a Split regex, then ByteLevel without regex.
    name: "Split + ByteLevel sequence",
    edit: (j) => {
      j.pre_tokenizer = {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { Regex: LLAMA3_SPLIT }, behavior: "Isolated", invert: false },
          { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
        ],
      };
    },
    mode: "native",
    rust: true,
  },
];

describe("the fast path is on, and says why not when it is off", () => {
  it.each(variants)("$name: $mode mode", ({ edit, mode }) => {
    expect(pythiaVariant(edit).fastPath).toEqual({ enabled: true, mode });
  });

  it("a model that fuses unknown tokens across pieces (fuse_unk) is native too, with the Rust engine's ids", async () => {
    const edit = (j: Json) => {
      const model = j.model as Json;
      model.fuse_unk = true;
      model.unk_token = "<|padding|>";
      // Characters outside the vocabulary become unk, and runs of them fuse.
      const vocab = model.vocab as Record<string, number>;
      // (Their ids go to stand-ins: the vocabulary keeps its size, so added tokens keep their ids.)
      for (const t of ["Ã", "¤", "ä"]) {
        vocab[`<stand-in ${t}>`] = vocab[t] as number;
        delete vocab[t];
      }
      model.merges = (model.merges as string[]).filter((m) => !/[Ã¤ä]/.test(m));
    };
    const tok = pythiaVariant(edit);
    expect(tok.fastPath).toEqual({ enabled: true, mode: "native" });
    const texts = [...hardCorpus.map((c) => c.text), "äää ä", "中文 ää"];
    expect(firstDifference(tok.encodeBatchFlat(texts, { addSpecialTokens: false }).toArrays(), await rustIds(rustVariant(edit), texts), texts)).toBeUndefined();
  });

  it("a tokenizer the native encoder declines uses the library's BPE with a piece cache, and says why in a debug line", () => {
    const edit = (j: Json) => {
      j.pre_tokenizer = { type: "Whitespace" };
    };
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const before = process.env.DEBUG;
    process.env.DEBUG = "finetune-prep";
    try {
      const tok = pythiaVariant(edit);
      expect(tok.fastPath).toEqual({ enabled: true, mode: "generic" });
      expect(write.mock.calls.map((c) => String(c[0])).join("")).toMatch(
        /fast path of pythia-variant: native encoder declined \(the Whitespace pre-tokenizer is not supported\)/,
      );
      const texts = hardCorpus.map((c) => c.text);
      expect(tok.encodeBatchFlat(texts, { addSpecialTokens: false }).toArrays()).toEqual(recordIds(tok, texts));
    } finally {
      write.mockRestore();
      if (before === undefined) delete process.env.DEBUG;
      else process.env.DEBUG = before;
    }
  });

  it("a config that rewrites text first (remove_space) is left to the library", () => {
    const tok = new Tokenizer({ tokenizerJson: pythiaJson(), tokenizerConfig: { ...pythiaConfig(), remove_space: true }, nameOrPath: "remove-space" });
    expect(tok.fastPath).toEqual({ enabled: false, reason: expect.stringMatching(/remove_space/) });
    const texts = ["a   b  c", " x "];
    expect(tok.encodeBatchIds(texts)).toEqual(recordIds(tok, texts));
  });

  it("a WordPiece tokenizer is left to the library, and encodeBatchFlat still gives its ids", () => {
    const json = {
      version: "1.0",
      added_tokens: [{ id: 0, content: "[UNK]", special: true, single_word: false, lstrip: false, rstrip: false, normalized: false }],
      normalizer: { type: "Lowercase" },
      pre_tokenizer: { type: "Whitespace" },
      post_processor: null,
      decoder: null,
      model: {
        type: "WordPiece",
        unk_token: "[UNK]",
        continuing_subword_prefix: "##",
        max_input_chars_per_word: 100,
        vocab: { "[UNK]": 0, hello: 1, world: 2, "##s": 3, "!": 4 },
      },
    };
    const tok = new Tokenizer({ tokenizerJson: json, nameOrPath: "wordpiece" });
    expect(tok.fastPath).toEqual({ enabled: false, reason: expect.stringMatching(/WordPiece, not BPE.*the model is not BPE/) });
    const texts = ["Hello worlds!", "hello [UNK] zzz", ""];
    expect(tok.encodeBatchFlat(texts).toArrays()).toEqual(recordIds(tok, texts));
    expect(tok.encodeBatchIds(texts)).toEqual(recordIds(tok, texts));
  });

  it("a library that encodes differently fails the self-check and is not used", () => {
    const tok = pythiaVariant();
    const core = coreOf(tok);
    const encode = core.encode.bind(core);
    // A core whose encode disagrees with the steps the fast path runs (as a changed library version would).
    const changed = Object.create(core) as CoreEncode;
    changed.encode = (text, options) => ({ ids: encode(text, options).ids.map((id) => (id === 13 ? 14 : id)) });
    expect(FastEncoder.tryCreate(changed)).toEqual({ reason: expect.stringMatching(/^self-check failed on /) });
    expect(FastEncoder.tryCreate(core).encoder).toBeInstanceOf(FastEncoder);
  });
});

describe("same ids as Python's, transformers.js and the Rust engine on the 1,400 lamini rows", () => {
  const tok = pythiaVariant();
  const rows = laminiRows();
  const reference = referenceIds();
  const prompts = rows.map((r) => `### Question:\n${r.question}\n\n### Answer:`);
  const texts = rows.map((r, i) => prompts[i] + r.answer);

  it("encodeBatchFlat: every row equals the reference ids, prompts have the reference lengths", () => {
    expect(tok.fastPath.enabled).toBe(true);
    const flat = tok.encodeBatchFlat(texts);
    expect(flat.length).toBe(1400);
    const mismatch = reference.findIndex((ref, i) => {
      const ids = flat.get(i);
      return ids.length !== ref.input_ids.length || ref.input_ids.some((id, k) => ids[k] !== id);
    });
    expect(mismatch).toBe(-1);
    expect(flat.values.length).toBe(reference.reduce((n, r) => n + r.input_ids.length, 0));
    const promptIds = tok.encodeBatchFlat(prompts);
    expect(reference.every((ref, i) => promptIds.lengthOf(i) === ref.prompt_tokens)).toBe(true);
  });

  it("encodeBatchIds gives the same arrays; transformers.js and Rust agree", async () => {
    const ids = tok.encodeBatchIds(texts);
    expect(
      firstDifference(
        ids,
        reference.map((r) => r.input_ids),
        texts,
      ),
    ).toBeUndefined();
    expect(firstDifference(ids, recordIds(tok, texts), texts)).toBeUndefined();
    expect(firstDifference(ids, await rustIds(rustVariant(), texts), texts)).toBeUndefined();
  });

  it("a cache emptied every few pieces gives the same ids (eviction is safe)", () => {
    const fast = FastEncoder.tryCreate(coreOf(tok), { cacheLimit: 3 }).encoder as FastEncoder;
    const out = new Int32Builder();
    const offsets = [0];
    for (const t of texts.slice(0, 300)) {
      expect(fast.encodeInto(t, out)).toBe(true);
      offsets.push(out.length);
      expect(fast.cacheSize).toBeLessThanOrEqual(3);
    }
    const got = offsets.slice(1).map((end, i) => Array.from(out.view(offsets[i], end)));
    expect(
      firstDifference(
        got,
        reference.slice(0, 300).map((r) => r.input_ids),
        texts,
      ),
    ).toBeUndefined();
  });
});

describe.each(variants)("same ids as transformers.js (and Rust): $name", ({ edit, rust, avoid }) => {
  const tok = pythiaVariant(edit);
  const rustTok = rustVariant(edit);
  const pool = AWKWARD_POOL.filter((p) => !avoid?.includes(p));
  const corpora = {
    "hard corpus": hardCorpus.map((c) => c.text),
    "cache corpus": cacheCorpus.map((c) => c.text),
    "awkward strings": awkwardStrings(101, 800, pool),
  };

  it.each(Object.entries(corpora))("%s, in one batch, forwards and backwards", async (_, texts) => {
    const expected = recordIds(tok, texts);
    // One tokenizer per order: the cache is filled in a different order each time.
    const own = { addSpecialTokens: false };
    const forwards = pythiaVariant(edit).encodeBatchFlat(texts, own).toArrays();
    const backwards = pythiaVariant(edit)
      .encodeBatchFlat([...texts].reverse(), own)
      .toArrays()
      .reverse();
    expect(firstDifference(forwards, expected, texts)).toBeUndefined();
    expect(firstDifference(backwards, expected, texts)).toBeUndefined();
    expect(firstDifference(tok.encodeBatchIds(texts, own), expected, texts)).toBeUndefined();
    if (rust) expect(firstDifference(forwards, await rustIds(rustTok, texts), texts)).toBeUndefined();
  });

  it("each cache-corpus text alone, after the whole corpus filled the cache", () => {
    const texts = cacheCorpus.map((c) => c.text);
    tok.encodeBatchFlat([...texts, ...corpora["awkward strings"]]);
    for (const text of texts)
      expect(tok.encodeBatchFlat([text], { addSpecialTokens: false }).toArrays()[0], JSON.stringify(text)).toEqual(recordIds(tok, [text])[0]);
  });
});

describe("special tokens and the flat layout", () => {
  const texts = ["Hi, how are you?", "", "<|endoftext|>", "a  b"];

  it("with a template post-processor, bos/eos go around each row (or not, with addSpecialTokens: false)", () => {
    const tok = pythiaVariant((j) => pythonPostProcessor(j, "<|endoftext|>", "<|endoftext|>"));
    const own = recordIds(tok, texts);
    expect(tok.encodeBatchFlat(texts).toArrays()).toEqual(own.map((ids) => [0, ...ids, 0]));
    expect(tok.encodeBatchFlat(texts, { addSpecialTokens: false }).toArrays()).toEqual(own);
    expect(tok.encodeBatchIds(texts)).toEqual(own.map((ids) => [0, ...ids, 0]));
  });

  it("offsets delimit the rows; an empty batch is an empty column", () => {
    const tok = pythiaVariant();
    const flat = tok.encodeBatchFlat(texts);
    const lengths = recordIds(tok, texts).map((ids) => ids.length);
    expect(lengths).toEqual([6, 0, 1, 3]);
    expect(Array.from(flat.offsets)).toEqual([0, 6, 6, 7, 10]);
    expect(tok.encodeBatchFlat([]).length).toBe(0);
  });

  it("texts are checked as encodeBatchIds checks them", () => {
    const tok = pythiaVariant();
    expect(() => tok.encodeBatchFlat(["ok", null as unknown as string])).toThrow(/texts\[1\] is null/);
    expect(() => tok.encodeBatchFlat("text" as unknown as string[])).toThrow(/Expected an array of strings/);
  });
});

describe("a token without an id (a vocabulary missing its own unk_token)", () => {
  const edit = (j: Json) => {
    const model = j.model as Json;
    model.unk_token = "<unk>";
    delete (model.vocab as Record<string, number>).Ġthe;
  };

  it("encodeBatchIds returns what transformers.js returns; encodeBatchFlat names the row", () => {
    const tok = pythiaVariant(edit);
    expect(tok.fastPath.enabled).toBe(true);
    const texts = ["fine", "in the end", "also fine"];
    const ids = tok.encodeBatchIds(texts);
    expect(ids).toEqual(recordIds(tok, texts));
    expect(ids[1]).toContain(undefined);
    expect(() => tok.encodeBatchFlat(texts)).toThrow(TokenizerFileError);
    expect(() => tok.encodeBatchFlat(texts)).toThrow(/texts\[1\]: token 1 has no id/);
  });
});

describe("AddedTokenScanner splits as transformers.js's DictionarySplitter", () => {
  const DictionarySplitter = coreOf(pythiaVariant()).splitter_unnormalized.constructor;
  const UNITS = ["a", "b", "c", " ", "\n", "<", "|", ">", "é", "\uD83D", "\uDE00", "\u0301"];
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const word = (max: number) => Array.from({ length: Math.floor(rand() * max) }, () => UNITS[Math.floor(rand() * UNITS.length)]).join("");

  it("on Pythia's added tokens (both splitters) and hard texts", () => {
    const json = pythiaJson();
    const added = (json.added_tokens as { content: string; normalized: boolean }[]).map((t) => t.content);
    const texts = [...hardCorpus, ...cacheCorpus].map((c) => c.text);
    const scanner = new AddedTokenScanner(added);
    const reference = new DictionarySplitter(added);
    for (const text of texts) expect(scanner.split(text), JSON.stringify(text)).toEqual(reference.split(text));
  });

  it("on 3,000 random word sets and texts (overlapping words, prefixes, one-unit words, surrogate halves, empty words)", () => {
    for (let round = 0; round < 3000; round++) {
      const words = Array.from({ length: Math.floor(rand() * 6) }, () => word(5));
      const text = word(40);
      const got = new AddedTokenScanner(words).split(text);
      const want = new DictionarySplitter(words).split(text);
      if (JSON.stringify(got) !== JSON.stringify(want))
        throw new Error(`words ${JSON.stringify(words)}, text ${JSON.stringify(text)}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }
  });

  it("counts distinct words; without words a text is one piece and '' none", () => {
    expect(new AddedTokenScanner(["ab", "ab", "", "a"]).size).toBe(2);
    expect(new AddedTokenScanner([]).split("abc")).toEqual(["abc"]);
    expect(new AddedTokenScanner(["x"]).split("")).toEqual([]);
  });
});

describe("Int32Builder", () => {
  it("grows, views, truncates and copies out", () => {
    const b = new Int32Builder(2);
    for (let i = 0; i < 100; i++) b.push(i);
    b.pushAll([100, 101]);
    b.pushAll(Int32Array.from([102]));
    expect(b.length).toBe(103);
    expect(Array.from(b.view(98, 103))).toEqual([98, 99, 100, 101, 102]);
    b.truncate(3);
    expect(Array.from(b.toInt32Array())).toEqual([0, 1, 2]);
  });
});
