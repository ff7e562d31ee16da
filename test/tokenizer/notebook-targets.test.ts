// The numbers the original Python notebook prints for EleutherAI/pythia-70m (transformers'
// AutoTokenizer), reproduced through loadTokenizer on the offline cache in ../shared.
import { beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { hfHome } from "../helpers/shared.js";

const texts = ["Hi, how are you?", "I'm good", "Yes"];
let tok: Tokenizer;

beforeAll(async () => {
  tok = await loadTokenizer("EleutherAI/pythia-70m", { cacheDir: `${hfHome()}/hub`, offline: true });
  tok.padToken = tok.eosToken;
});

describe("Pythia-70m, as in the notebook", () => {
  it("encodes and decodes one text", () => {
    const ids = tok.encode("Hi, how are you?");
    expect(ids).toEqual([12764, 13, 849, 403, 368, 32]);
    expect(tok.decode(ids)).toBe("Hi, how are you?");
    expect(tok.tokenize("Hi, how are you?")).toEqual(["Hi", ",", "Ġhow", "Ġare", "Ġyou", "?"]);
  });

  it("encodes a batch", () => {
    expect(tok.encodeBatchIds(texts)).toEqual([[12764, 13, 849, 403, 368, 32], [42, 1353, 1175], [4374]]);
    expect(tok.batchEncode(texts).inputIds).toEqual([[12764, 13, 849, 403, 368, 32], [42, 1353, 1175], [4374]]);
  });

  it("pads with the eos token (padding=True)", () => {
    const enc = tok.batchEncode(texts, { padding: true });
    expect(enc.inputIds).toEqual([
      [12764, 13, 849, 403, 368, 32],
      [42, 1353, 1175, 0, 0, 0],
      [4374, 0, 0, 0, 0, 0],
    ]);
    expect(enc.attentionMask).toEqual([
      [1, 1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0, 0],
      [1, 0, 0, 0, 0, 0],
    ]);
  });

  it("truncates to max_length=3", () => {
    const enc = tok.batchEncode(texts, { maxLength: 3, truncation: true });
    expect(enc.inputIds).toEqual([[12764, 13, 849], [42, 1353, 1175], [4374]]);
    expect(enc.attentionMask).toEqual([[1, 1, 1], [1, 1, 1], [1]]);
  });

  it("truncates from the left (tokenizer.truncation_side = 'left')", () => {
    tok.truncationSide = "left";
    try {
      expect(tok.batchEncode(texts, { maxLength: 3, truncation: true }).inputIds).toEqual([[403, 368, 32], [42, 1353, 1175], [4374]]);
      const enc = tok.batchEncode(texts, { maxLength: 3, truncation: true, padding: true });
      expect(enc.inputIds).toEqual([
        [403, 368, 32],
        [42, 1353, 1175],
        [4374, 0, 0],
      ]);
      expect(enc.attentionMask).toEqual([
        [1, 1, 1],
        [1, 1, 1],
        [1, 0, 0],
      ]);
    } finally {
      tok.truncationSide = "right";
    }
  });

  it("has no pad token until one is set, and eos/bos/unk are <|endoftext|>", async () => {
    const fresh = await loadTokenizer("EleutherAI/pythia-70m", { cacheDir: `${hfHome()}/hub`, offline: true });
    expect(fresh.padToken).toBeNull();
    expect(fresh.padTokenId).toBeNull();
    for (const t of [fresh.eosToken, fresh.bosToken, fresh.unkToken]) expect(t).toBe("<|endoftext|>");
    expect([fresh.eosTokenId, fresh.bosTokenId, fresh.unkTokenId]).toEqual([0, 0, 0]);
    expect(() => fresh.batchEncode(texts, { padding: true })).toThrow(/no pad token/);
  });
});
