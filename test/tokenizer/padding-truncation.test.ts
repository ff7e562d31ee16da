// batchEncode's padding and truncation rules: Python's `_get_padding_truncation_strategies` for
// the choice of strategy, and the Rust engine (what Python's fast tokenizers call) for the cutting
// and padding itself, compared over a grid of options.
import { describe, expect, it } from "vitest";
import { FinetunePrepError, InvalidArgumentError } from "../../src/errors.js";
import type { BatchEncodeOptions, Tokenizer } from "../../src/tokenizer/index.js";
import { hardCorpus } from "../fixtures/tokenizer/hard-corpus.js";
import { thrown as thrownBy } from "../helpers/failures.js";
import { type Json, pythiaVariant, pythonPostProcessor, rustVariant } from "./oracle.js";

const texts = ["Hi, how are you?", "I'm good", "Yes"];

function pythia(): Tokenizer {
  const tok = pythiaVariant();
  tok.padToken = tok.eosToken;
  return tok;
}

/** Pythia with "<|endoftext|>" put before and after every text by the post-processor (add_bos/add_eos). */
const withBosEos = (j: Json) => pythonPostProcessor(j, "<|endoftext|>", "<|endoftext|>");

describe("batchEncode against the Rust engine's truncation and padding", () => {
  const batch = [...texts, "", ...hardCorpus.filter((c) => c.text.length < 200).map((c) => c.text)];
  const cases: { variant: string; edit: (j: Json) => void }[] = [
    { variant: "Pythia", edit: () => {} },
    { variant: "bos/eos template", edit: withBosEos },
  ];
  it.each(cases)("$variant: every combination of side, length, padding and multiple", async ({ edit }) => {
    const tok = pythiaVariant(edit);
    tok.padToken = "<|padding|>";
    const rust = rustVariant(edit);
    let compared = 0;
    for (const maxLength of [2, 3, 5, 8, 17]) {
      for (const truncationSide of ["left", "right"] as const) {
        for (const paddingSide of ["left", "right"] as const) {
          for (const padding of [false, "longest", "max_length"] as const) {
            for (const truncation of [true, false]) {
              for (const padToMultipleOf of [undefined, 4]) {
                const options: BatchEncodeOptions = {
                  maxLength,
                  truncationSide,
                  paddingSide,
                  padding,
                  truncation,
                  ...(padToMultipleOf ? { padToMultipleOf } : {}),
                };
                if (truncation && padding && padToMultipleOf && maxLength % padToMultipleOf !== 0) {
                  expect(() => tok.batchEncode(batch, options)).toThrow(InvalidArgumentError);
                  continue;
                }
                if (truncation) rust.setTruncation(maxLength, { direction: truncationSide });
                else rust.disableTruncation();
                if (padding === false) rust.disablePadding();
                else
                  rust.setPadding({
                    direction: paddingSide,
                    padId: 1,
                    padToken: "<|padding|>",
                    ...(padding === "max_length" ? { maxLength } : {}),
                    ...(padToMultipleOf ? { padToMultipleOf } : {}),
                  });
                const expected = await rust.encodeBatch(batch);
                const got = tok.batchEncode(batch, options);
                expect(got.inputIds, JSON.stringify(options)).toEqual(expected.map((e) => e.getIds()));
                expect(got.attentionMask, JSON.stringify(options)).toEqual(expected.map((e) => e.getAttentionMask()));
                compared++;
              }
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});

describe("choosing the strategy as Python does", () => {
  const tok = pythia();

  it("maxLength alone turns truncation on (Python's backward-compatible rule)", () => {
    expect(tok.batchEncode(texts, { maxLength: 3 }).inputIds).toEqual([[12764, 13, 849], [42, 1353, 1175], [4374]]);
  });

  it('truncation: false (or "do_not_truncate") keeps maxLength from cutting', () => {
    for (const truncation of [false, "do_not_truncate"] as const) {
      expect(tok.batchEncode(texts, { maxLength: 3, truncation }).inputIds).toEqual(tok.encodeBatchIds(texts));
    }
  });

  it('padding: "do_not_pad" with maxLength does not turn truncation on (only padding === false does)', () => {
    expect(tok.batchEncode(texts, { maxLength: 3, padding: "do_not_pad" }).inputIds).toEqual(tok.encodeBatchIds(texts));
  });

  it("padding: true ignores maxLength when truncation is off", () => {
    expect(tok.batchEncode(texts, { padding: true, maxLength: 8 }).inputIds.map((r) => r.length)).toEqual([6, 6, 6]);
    expect(tok.batchEncode(texts, { padding: "longest", maxLength: 8, truncation: false }).inputIds.map((r) => r.length)).toEqual([6, 6, 6]);
  });

  it('padding: "max_length" pads to maxLength; without truncation longer rows stay as they are', () => {
    const enc = tok.batchEncode(texts, { padding: "max_length", maxLength: 4, truncation: false });
    expect(enc.inputIds).toEqual([
      [12764, 13, 849, 403, 368, 32],
      [42, 1353, 1175, 0],
      [4374, 0, 0, 0],
    ]);
    expect(enc.attentionMask).toEqual([
      [1, 1, 1, 1, 1, 1],
      [1, 1, 1, 0],
      [1, 0, 0, 0],
    ]);
  });

  it('padding: "max_length", maxLength 8, padded on the left', () => {
    const enc = tok.batchEncode(texts, { padding: "max_length", maxLength: 8, paddingSide: "left" });
    expect(enc.inputIds).toEqual([
      [0, 0, 12764, 13, 849, 403, 368, 32],
      [0, 0, 0, 0, 0, 42, 1353, 1175],
      [0, 0, 0, 0, 0, 0, 0, 4374],
    ]);
    expect(enc.attentionMask).toEqual([
      [0, 0, 1, 1, 1, 1, 1, 1],
      [0, 0, 0, 0, 0, 1, 1, 1],
      [0, 0, 0, 0, 0, 0, 0, 1],
    ]);
  });

  it("padToMultipleOf rounds the padded length up", () => {
    const enc = tok.batchEncode(texts, { padding: true, padToMultipleOf: 4 });
    expect(enc.inputIds.map((r) => r.length)).toEqual([8, 8, 8]);
    expect(enc.attentionMask[0]).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(tok.batchEncode(["Yes"], { padding: true, padToMultipleOf: 4 }).inputIds).toEqual([[4374, 0, 0, 0]]);
  });

  it("tok.paddingSide is the default side", () => {
    const left = pythia();
    left.paddingSide = "left";
    expect(left.batchEncode(texts, { padding: true }).inputIds[2]).toEqual([0, 0, 0, 0, 0, 4374]);
    expect(left.batchEncode(texts, { padding: true, paddingSide: "right" }).inputIds[2]).toEqual([4374, 0, 0, 0, 0, 0]);
  });

  it("accepts Python's strategy names", () => {
    expect(tok.batchEncode(texts, { truncation: "longest_first", maxLength: 2 }).inputIds).toEqual([[12764, 13], [42, 1353], [4374]]);
    expect(tok.batchEncode(texts, { truncation: "only_first", maxLength: 2 }).inputIds).toEqual([[12764, 13], [42, 1353], [4374]]);
    expect(tok.batchEncode(texts, { padding: "longest" }).inputIds[2]).toEqual([4374, 0, 0, 0, 0, 0]);
  });

  it("truncation without maxLength uses model_max_length: none declared for Pythia (1e30), so nothing is cut", () => {
    expect(tok.modelMaxLength).toBe(1e30);
    expect(tok.batchEncode(texts, { truncation: true }).inputIds).toEqual(tok.encodeBatchIds(texts));
  });

  it('with a declared model_max_length, truncation and "max_length" padding use it', () => {
    const limited = pythia();
    limited.modelMaxLength = 4;
    const enc = limited.batchEncode(texts, { truncation: true, padding: "max_length" });
    expect(enc.inputIds).toEqual([
      [12764, 13, 849, 403],
      [42, 1353, 1175, 0],
      [4374, 0, 0, 0],
    ]);
  });

  it("an empty batch gives empty lists", () => {
    expect(tok.batchEncode([], { padding: true })).toEqual({ inputIds: [], attentionMask: [] });
  });

  it("truncates the text before the special tokens are added, and keeps them", async () => {
    const tok2 = pythiaVariant(withBosEos);
    const ids = tok2.encode("Hi, how are you?");
    expect(ids).toEqual([0, 12764, 13, 849, 403, 368, 32, 0]);
    expect(tok2.batchEncode(["Hi, how are you?"], { maxLength: 5 }).inputIds).toEqual([[0, 12764, 13, 849, 0]]);
    expect(tok2.batchEncode(["Hi, how are you?"], { maxLength: 5, truncationSide: "left" }).inputIds).toEqual([[0, 403, 368, 32, 0]]);
    // maxLength equal to the special tokens alone leaves only them (as the Rust engine does).
    expect(tok2.batchEncode(["Hi, how are you?"], { maxLength: 2 }).inputIds).toEqual([[0, 0]]);
    const rust = rustVariant(withBosEos);
    rust.setTruncation(2);
    expect((await rust.encode("Hi, how are you?")).getIds()).toEqual([0, 0]);
    expect(tok2.batchEncode(["Hi, how are you?"], { maxLength: 5, addSpecialTokens: false }).inputIds).toEqual([[12764, 13, 849, 403, 368]]);
  });
});

describe("errors, in words a user understands", () => {
  const tok = pythia();

  function thrown(f: () => unknown): FinetunePrepError {
    const e = thrownBy(f);
    expect(e).toBeInstanceOf(FinetunePrepError);
    return e as FinetunePrepError;
  }

  it("padding without a pad token says how to set one", () => {
    const e = thrown(() => pythiaVariant().batchEncode(texts, { padding: "max_length", maxLength: 8 }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toMatch(/no pad token/);
    expect(e.message).toContain("tok.padToken = tok.eosToken");
  });

  it("maxLength and padToMultipleOf must be positive integers", () => {
    for (const bad of [0, -1, 2.5, Number.NaN, Infinity, "3"]) {
      const e = thrown(() => tok.batchEncode(texts, { maxLength: bad as number }));
      expect(e.message).toMatch(/maxLength must be a positive integer/);
      expect((e as InvalidArgumentError).argument).toBe("maxLength");
    }
    expect(thrown(() => tok.batchEncode(texts, { padding: true, padToMultipleOf: 0 })).message).toMatch(/padToMultipleOf must be a positive integer/);
  });

  it("a non-string in the batch names its index", () => {
    const e = thrown(() => tok.batchEncode(["ok", "fine", 42 as unknown as string]));
    expect(e.message).toMatch(/texts\[2\] is number/);
    expect(e.row).toBe(2);
    expect(thrown(() => tok.encodeBatchIds([null as unknown as string])).message).toMatch(/texts\[0\] is null/);
    expect(thrown(() => tok.encode(undefined as unknown as string)).message).toMatch(/Expected a string/);
  });

  it("maxLength shorter than the special tokens alone", () => {
    const e = thrown(() => pythiaVariant(withBosEos).batchEncode(texts, { maxLength: 1 }));
    expect(e.message).toMatch(/maxLength 1 is shorter than the 2 special tokens/);
    expect(e.message).toMatch(/maxLength 2 or more/);
  });

  it('"max_length" padding with no maxLength and no declared model limit', () => {
    const e = thrown(() => tok.batchEncode(texts, { padding: "max_length" }));
    expect(e.message).toMatch(/declares no maximum length/);
    expect(e.message).toMatch(/Pass maxLength/);
  });

  it("unknown strategy names and sides", () => {
    expect(thrown(() => tok.batchEncode(texts, { padding: "longer" as "longest" })).message).toMatch(/padding must be/);
    expect(thrown(() => tok.batchEncode(texts, { truncation: "only_second" as "only_first" })).message).toMatch(/only_second/);
    expect(thrown(() => tok.batchEncode(texts, { truncation: "yes" as "only_first" })).message).toMatch(/truncation must be/);
    expect(thrown(() => tok.batchEncode(texts, { padding: true, paddingSide: "top" as "left" })).message).toMatch(/paddingSide must be "left" or "right"/);
    expect(thrown(() => (tok.truncationSide = "middle" as "left")).message).toMatch(/truncationSide must be/);
  });

  it("truncating and padding to a multiple needs maxLength to be one (Python's check)", () => {
    const e = thrown(() => tok.batchEncode(texts, { maxLength: 6, truncation: true, padding: true, padToMultipleOf: 4 }));
    expect(e.message).toMatch(/not a multiple of padToMultipleOf \(4\)/);
  });
});
