import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadTokenizer, Tokenizer } from "../../src/tokenizer/index.js";
import { pythiaDir } from "../helpers/shared.js";

let pythia: Promise<Tokenizer> | undefined;

/** Pythia-70m's tokenizer from ../shared (loaded once per test file). */
export function pythiaTokenizer(): Promise<Tokenizer> {
  pythia ??= loadTokenizer(pythiaDir());
  return pythia;
}

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(pythiaDir(), name), "utf8")) as Record<string, unknown>;
}

/**
 * Pythia's tokenizer made to add special tokens around every text, as Llama-style tokenizers do:
 * `bos` before (id 0, "<|endoftext|>") and/or `eos` after (id 1, "<|padding|>").
 */
export function tokenizerWithSpecials(options: { bos?: boolean; eos?: boolean }): Tokenizer {
  const json = readJson("tokenizer.json");
  const single: unknown[] = [];
  const special: Record<string, unknown> = {};
  if (options.bos) {
    single.push({ SpecialToken: { id: "<|endoftext|>", type_id: 0 } });
    special["<|endoftext|>"] = { id: "<|endoftext|>", ids: [0], tokens: ["<|endoftext|>"] };
  }
  single.push({ Sequence: { id: "A", type_id: 0 } });
  if (options.eos) {
    single.push({ SpecialToken: { id: "<|padding|>", type_id: 0 } });
    special["<|padding|>"] = { id: "<|padding|>", ids: [1], tokens: ["<|padding|>"] };
  }
  json.post_processor = { type: "TemplateProcessing", single, pair: [...single, { Sequence: { id: "B", type_id: 1 } }], special_tokens: special };
  return new Tokenizer({
    tokenizerJson: json,
    tokenizerConfig: readJson("tokenizer_config.json"),
    specialTokensMap: readJson("special_tokens_map.json"),
    nameOrPath: "pythia-with-specials",
  });
}
