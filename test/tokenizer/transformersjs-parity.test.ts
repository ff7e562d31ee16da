// Parity with transformers.js: its AutoTokenizer.from_pretrained, on the same Pythia-70m folder of
// Python's cache, gives the same ids, tokens and decoded text as loadTokenizer — on the hard corpus
// and on the lamini texts. The first notebook says so; this keeps it true whichever engine the
// library runs on. (Ids are checked against the Rust engine itself in rust-parity.test.ts.)
// One known difference: transformers.js splits words with JavaScript's \s (U+FEFF is whitespace,
// U+0085 is not), Python's engine with Unicode White_Space (the opposite); finetune-prep follows
// Python there, so texts holding either character are checked against the Rust engine instead.
import { AutoTokenizer, env, type PreTrainedTokenizer } from "@huggingface/transformers";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { hardCorpus } from "../fixtures/tokenizer/hard-corpus.js";
import { laminiRows, pythiaDir } from "../helpers/shared.js";
import { rustEncode, rustVariant } from "./oracle.js";

/** Characters JavaScript's \s and Unicode White_Space disagree on (see above). */
const WHITESPACE_DISAGREEMENT = /[\uFEFF\u0085]/;

let ours: Tokenizer;
let js: PreTrainedTokenizer;

beforeAll(async () => {
  // Only the folder is read: no download, whatever the network.
  env.allowRemoteModels = false;
  js = await AutoTokenizer.from_pretrained(pythiaDir());
  ours = await loadTokenizer(pythiaDir());
});

function same(text: string) {
  const ids = ours.encode(text);
  expect(ids, "ids").toEqual(js.encode(text));
  expect(ours.encode(text, { addSpecialTokens: false }), "ids without special tokens").toEqual(js.encode(text, { add_special_tokens: false }));
  expect(ours.tokenize(text), "tokens").toEqual(js.tokenize(text));
  // transformers.js refuses to decode no ids at all; Python gives "".
  if (ids.length === 0) return;
  expect(ours.decode(ids), "decode").toBe(js.decode(ids));
  expect(ours.decode(ids, { skipSpecialTokens: true }), "decode skipping special tokens").toBe(js.decode(ids, { skip_special_tokens: true }));
}

describe("transformers.js' AutoTokenizer and loadTokenizer agree (Pythia-70m)", () => {
  it("loads the same tokenizer: class, vocabulary, special tokens", () => {
    expect(js.constructor.name).toBe("GPTNeoXTokenizer");
    expect(js.eos_token).toBe(ours.eosToken);
    expect(js.eos_token_id).toBe(ours.eosTokenId);
    expect(js.bos_token).toBe(ours.bosToken);
    expect(js.unk_token).toBe(ours.unkToken);
    expect(js.pad_token_id).toBe(0);
    expect(ours.padTokenId).toBeNull();
  });

  it.each(hardCorpus.filter((c) => !WHITESPACE_DISAGREEMENT.test(c.text)))("$name", ({ text }) => {
    same(text);
  });

  it.each(hardCorpus.filter((c) => WHITESPACE_DISAGREEMENT.test(c.text)))(
    "$name: finetune-prep follows Python where transformers.js does not",
    async ({ text }) => {
      const python = await rustEncode(rustVariant(), text);
      expect(ours.encode(text)).toEqual(python.ids);
      expect(js.encode(text)).not.toEqual(python.ids);
      // Both decode the same ids to the same text.
      expect(ours.decode(python.ids)).toBe(js.decode(python.ids));
    },
  );

  it("on the 1,400 lamini questions and answers, as the notebook formats them", () => {
    const rows = laminiRows();
    expect(rows).toHaveLength(1400);
    for (const row of rows) {
      const text = `### Question:\n${row.question}\n\n### Answer:${row.answer}`;
      expect(ours.encode(text), row.question).toEqual(js.encode(text));
    }
  });

  it("batches, padded and truncated on the right, agree too (where both follow Python)", () => {
    const texts = ["Hi, how are you?", "I'm good", "Yes"];
    ours.padToken = ours.eosToken;
    const mine = ours.batchEncode(texts, { padding: true, truncation: true, maxLength: 4 });
    const theirs = js(texts, { padding: true, truncation: true, max_length: 4, return_tensor: false }) as unknown as {
      input_ids: number[][];
      attention_mask: number[][];
    };
    expect(mine.inputIds).toEqual(theirs.input_ids);
    expect(mine.attentionMask).toEqual(theirs.attention_mask);
  });
});
