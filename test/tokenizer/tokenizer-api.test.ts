// The Tokenizer's Python-named API beyond encode/batchEncode: special tokens, decode, lookups,
// chat templates and character spans.
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TemplateError, TokenizerFileError } from "../../src/errors.js";
import { Tokenizer, UnsupportedTokenizerError } from "../../src/tokenizer/index.js";
import { pythiaConfig, pythiaJson, pythiaSpecialMap, pythiaVariant, pythonPostProcessor } from "./oracle.js";

function withFiles(config: Record<string, unknown>, map?: Record<string, unknown>): Tokenizer {
  return new Tokenizer({ tokenizerJson: pythiaJson(), tokenizerConfig: config, specialTokensMap: map, nameOrPath: "test" });
}

describe("special tokens, resolved as Python does", () => {
  it("Pythia: bos/eos/unk from the files, no pad token", () => {
    const tok = pythiaVariant();
    expect([tok.bosToken, tok.eosToken, tok.unkToken, tok.padToken, tok.sepToken, tok.clsToken, tok.maskToken]).toEqual([
      "<|endoftext|>",
      "<|endoftext|>",
      "<|endoftext|>",
      null,
      null,
      null,
      null,
    ]);
    expect(tok.allSpecialTokens).toEqual(["<|endoftext|>"]);
    expect(tok.allSpecialIds).toEqual([0]);
    expect(tok.specialTokenIds).toEqual([0, 1, 50277, 50278, 50279, 50280]);
  });

  it("special_tokens_map.json overrides tokenizer_config.json (configs without added_tokens_decoder)", () => {
    const tok = withFiles(
      { eos_token: "<|endoftext|>", pad_token: "<|endoftext|>" },
      { pad_token: { content: "<|padding|>", lstrip: false }, additional_special_tokens: ["<|im_end|>"] },
    );
    expect([tok.eosToken, tok.padToken, tok.padTokenId]).toEqual(["<|endoftext|>", "<|padding|>", 1]);
    expect(tok.allSpecialTokens).toEqual(["<|endoftext|>", "<|padding|>", "<|im_end|>"]);
    expect(tok.allSpecialIds).toEqual([0, 1, 50278]);
  });

  it("a config with added_tokens_decoder ignores special_tokens_map.json; AddedToken dicts are read", () => {
    const tok = withFiles(
      { added_tokens_decoder: {}, eos_token: { __type: "AddedToken", content: "<|im_end|>" } },
      { eos_token: "<|endoftext|>", pad_token: "<|padding|>" },
    );
    expect([tok.eosToken, tok.eosTokenId, tok.padToken]).toEqual(["<|im_end|>", 50278, null]);
  });

  it("padToken is set as in Python, and refused when not in the vocabulary", () => {
    const tok = pythiaVariant();
    tok.padToken = tok.eosToken;
    expect([tok.padToken, tok.padTokenId]).toEqual(["<|endoftext|>", 0]);
    expect(tok.allSpecialIds).toEqual([0]);
    tok.padToken = "<|padding|>";
    expect(tok.allSpecialIds).toEqual([0, 1]);
    expect(() => (tok.padToken = "[PAD]")).toThrow(InvalidArgumentError);
    expect(() => (tok.padToken = "[PAD]")).toThrow(/"\[PAD\]" is not in the vocabulary.*tok\.padToken = tok\.eosToken/s);
    tok.padToken = null;
    expect(tok.padTokenId).toBeNull();
  });

  it("a post-processor token missing from the vocabulary is a file error", () => {
    const json = pythiaJson();
    pythonPostProcessor(json, "<|endoftext|>");
    (json.post_processor as { single: { SpecialToken?: { id: string } }[] }).single[0] = { SpecialToken: { id: "<s>" } };
    expect(() => new Tokenizer({ tokenizerJson: json, nameOrPath: "broken" })).toThrow(TokenizerFileError);
  });
});

describe("settings", () => {
  it("sides and model_max_length come from tokenizer_config.json, are settable and checked", () => {
    const tok = withFiles({ padding_side: "left", truncation_side: "left", model_max_length: 2048 });
    expect([tok.paddingSide, tok.truncationSide, tok.modelMaxLength]).toEqual(["left", "left", 2048]);
    tok.paddingSide = "right";
    tok.modelMaxLength = 16;
    expect([tok.paddingSide, tok.modelMaxLength]).toEqual(["right", 16]);
    expect(() => (tok.modelMaxLength = 0)).toThrow(/modelMaxLength must be a positive integer/);
    expect(() => withFiles({ padding_side: "center" })).toThrow(TokenizerFileError);
    expect(() => withFiles({ padding_side: "center" })).toThrow(/padding_side in tokenizer_config\.json is "center"/);
  });
});

describe("decode and lookups", () => {
  const tok = pythiaVariant();

  it("decodes any array-like of ids; skips special tokens on request", () => {
    const ids = tok.encode("one<|endoftext|>two<|padding|>");
    expect(tok.decode(ids)).toBe("one<|endoftext|>two<|padding|>");
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe("onetwo");
    expect(tok.decode(Int32Array.from(ids))).toBe("one<|endoftext|>two<|padding|>");
    expect(tok.decode([])).toBe("");
  });

  it("clean_up_tokenization_spaces: off for Pythia (its config says false), on request", () => {
    const ids = tok.encode("Hello , world !");
    expect(tok.decode(ids)).toBe("Hello , world !");
    expect(tok.decode(ids, { cleanUpTokenizationSpaces: true })).toBe("Hello, world!");
    const cleaning = withFiles({ ...pythiaConfig(), clean_up_tokenization_spaces: true });
    expect(cleaning.decode(ids)).toBe("Hello, world!");
  });

  it("refuses ids that are not token ids, naming the position", () => {
    for (const bad of [-1, 1.5, 60000, Number.NaN]) {
      expect(() => tok.decode([12764, bad])).toThrow(/ids\[1\] = .* is not a token id/);
    }
    expect(() => tok.decode(null as unknown as number[])).toThrow(InvalidArgumentError);
  });

  it("converts between ids and tokens", () => {
    expect(tok.convertIdsToTokens([12764, 849, 0])).toEqual(["Hi", "Ġhow", "<|endoftext|>"]);
    expect(tok.convertIdsToTokens(849)).toBe("Ġhow");
    expect(tok.convertIdsToTokens([12764, 0, 1], { skipSpecialTokens: true })).toEqual(["Hi"]);
    expect(tok.convertTokensToIds(["Hi", "Ġhow", "<|padding|>"])).toEqual([12764, 849, 1]);
    // Python maps an unknown token to unk_token_id (0 for Pythia), or None without an unk token.
    expect(tok.convertTokensToIds("not-a-token")).toBe(0);
    expect(withFiles({}).convertTokensToIds("not-a-token")).toBeNull();
    expect(() => tok.convertIdsToTokens([99999])).toThrow(/not a token id/);
  });

  it("tokenize with and without the post-processor's special tokens", () => {
    const t = pythiaVariant((j) => pythonPostProcessor(j, "<|endoftext|>", "<|endoftext|>"));
    expect(t.tokenize("Hi")).toEqual(["Hi"]);
    expect(t.tokenize("Hi", { addSpecialTokens: true })).toEqual(["<|endoftext|>", "Hi", "<|endoftext|>"]);
    expect(t.encode("Hi", { addSpecialTokens: false })).toEqual([12764]);
    expect(t.encodeBatchIds(["Hi", ""])).toEqual([
      [0, 12764, 0],
      [0, 0],
    ]);
  });
});

describe("chat templates", () => {
  const messages = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
  ];

  it("Pythia has none: a TemplateError, as Python's ValueError", () => {
    const tok = pythiaVariant();
    expect(tok.chatTemplate).toBeUndefined();
    expect(() => tok.applyChatTemplate(messages)).toThrow(TemplateError);
    expect(() => tok.applyChatTemplate(messages)).toThrow(/has no chat template/);
  });

  it("renders a template set by the user, with the tokenizer's special tokens, and encodes it without adding any", () => {
    const tok = pythiaVariant();
    tok.chatTemplate =
      "{% for m in messages %}### {{ m.role }}:\n{{ m.content }}{{ eos_token }}\n{% endfor %}{% if add_generation_prompt %}### assistant:\n{% endif %}";
    const text = tok.applyChatTemplate(messages, { tokenize: false });
    expect(text).toBe("### user:\nHi<|endoftext|>\n### assistant:\nHello<|endoftext|>\n");
    expect(tok.applyChatTemplate(messages)).toEqual(tok.encode(text));
    expect(tok.applyChatTemplate(messages, { tokenize: false, addGenerationPrompt: true })).toBe(`${text}### assistant:\n`);
    expect(tok.applyChatTemplate(messages, { tokenize: false, chatTemplate: "{{ messages | length }}" })).toBe("2");
  });

  it("a template from the files, and a broken one", () => {
    const tok = new Tokenizer({
      tokenizerJson: pythiaJson(),
      tokenizerConfig: pythiaConfig(),
      specialTokensMap: pythiaSpecialMap(),
      chatTemplate: "{{ bos_token }}{{ messages[0].content }}",
      nameOrPath: "t",
    });
    expect(tok.applyChatTemplate(messages, { tokenize: false })).toBe("<|endoftext|>Hi");
    tok.chatTemplate = "{% for %}";
    expect(() => tok.applyChatTemplate(messages)).toThrow(TemplateError);
  });
});

describe("tokenSpans", () => {
  const tok = pythiaVariant();

  it("maps each token to the text it comes from", () => {
    const text = "Hi, how are you?";
    const spans = tok.tokenSpans(text);
    expect(spans.map((s) => s.id)).toEqual(tok.encode(text));
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(["Hi", ",", " how", " are", " you", "?"]);
    expect(tok.tokenSpans(text, { trimOffsets: true }).map((s) => text.slice(s.start, s.end))).toEqual(["Hi", ",", "how", "are", "you", "?"]);
  });

  it("tokens holding part of a character span the whole character; offsets are UTF-16", () => {
    const text = "😀 x";
    const spans = tok.tokenSpans(text);
    expect(spans.map((s) => [s.token, s.start, s.end])).toEqual([
      ["ðŁ", 0, 2],
      ["ĺ", 0, 2],
      ["Ģ", 0, 2],
      ["Ġx", 2, 4],
    ]);
  });

  it("added tokens found in the text get their spans: specials and runs of spaces", () => {
    const text = "a   b<|endoftext|>";
    const spans = tok.tokenSpans(text);
    expect(spans.map((s) => [s.token, text.slice(s.start, s.end)])).toEqual([
      ["a", "a"],
      ["   ", "   "],
      ["b", "b"],
      ["<|endoftext|>", "<|endoftext|>"],
    ]);
    expect(spans.map((s) => s.id)).toEqual([66, 50275, 67, 0]);
  });

  it("special tokens added by the post-processor span nothing", () => {
    const t = pythiaVariant((j) => pythonPostProcessor(j, "<|endoftext|>", "<|endoftext|>"));
    expect(t.tokenSpans("Hi").map((s) => [s.id, s.start, s.end])).toEqual([
      [0, 0, 0],
      [12764, 0, 2],
      [0, 0, 0],
    ]);
    expect(t.tokenSpans("Hi", { addSpecialTokens: false })).toHaveLength(1);
  });

  it("tokenizers it cannot follow exactly are refused, not approximated", () => {
    // SentencePiece's compiled charsmap (Precompiled) is not re-implemented: refused by name.
    const precompiled = pythiaVariant((j) => {
      j.normalizer = { type: "Precompiled", precompiled_charsmap: "" };
    });
    expect(() => precompiled.tokenSpans("Hi")).toThrow(UnsupportedTokenizerError);
    expect(() => precompiled.tokenSpans("Hi")).toThrow(/normalizer Precompiled is not handled/);
    // Lowercase and Whitespace (refused before every model type was handled) have spans now.
    const lower = pythiaVariant((j) => {
      j.normalizer = { type: "Lowercase" };
    });
    expect(lower.tokenSpans("Hi").map((s) => [s.token, s.start, s.end])).toEqual([["hi", 0, 2]]);
  });
});
