// Shared by the tokenizer tests: Pythia's files from ../shared, and the Rust tokenizers engine
// (the engine under Python's fast tokenizers; a devDependency used only as an oracle).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { Tokenizer } from "../../src/tokenizer/index.js";
import { pythiaDir } from "../helpers/shared.js";

export type Json = Record<string, unknown>;

const cache = new Map<string, Json>();
function readJson(name: string): Json {
  let v = cache.get(name);
  if (!v) {
    v = JSON.parse(readFileSync(join(pythiaDir(), name), "utf8")) as Json;
    cache.set(name, v);
  }
  return structuredClone(v);
}

/** Pythia-70m's tokenizer.json (a fresh copy: tests may change it). */
export const pythiaJson = () => readJson("tokenizer.json");
export const pythiaConfig = () => readJson("tokenizer_config.json");
export const pythiaSpecialMap = () => readJson("special_tokens_map.json");

/** A Tokenizer on Pythia's files, tokenizer.json changed by `edit` first. */
export function pythiaVariant(edit: (json: Json) => void = () => {}, extra: Partial<ConstructorParameters<typeof Tokenizer>[0]> = {}): Tokenizer {
  const json = pythiaJson();
  edit(json);
  return new Tokenizer({ tokenizerJson: json, tokenizerConfig: pythiaConfig(), specialTokensMap: pythiaSpecialMap(), nameOrPath: "pythia-variant", ...extra });
}

/** The Rust engine on Pythia's tokenizer.json, changed by `edit` first. */
export function rustVariant(edit: (json: Json) => void = () => {}): RustTokenizer {
  const json = pythiaJson();
  edit(json);
  return RustTokenizer.fromString(JSON.stringify(json));
}

/**
 * What transformers (>= 4.38) does to GPT-NeoX's tokenizer on load: `update_post_processor()`
 * replaces the ByteLevel post-processor with a TemplateProcessing built from add_bos_token /
 * add_eos_token (both false for Pythia: "$A" alone). So Python's offsets are not trimmed.
 */
export function pythonPostProcessor(json: Json, bos?: string, eos?: string): void {
  const single: unknown[] = [];
  const special: Record<string, unknown> = {};
  const ids = (t: string) => ((json.added_tokens as { content: string; id: number }[]).find((a) => a.content === t) as { id: number }).id;
  if (bos) {
    single.push({ SpecialToken: { id: bos, type_id: 0 } });
    special[bos] = { id: bos, ids: [ids(bos)], tokens: [bos] };
  }
  single.push({ Sequence: { id: "A", type_id: 0 } });
  if (eos) {
    single.push({ SpecialToken: { id: eos, type_id: 0 } });
    special[eos] = { id: eos, ids: [ids(eos)], tokens: [eos] };
  }
  json.post_processor = { type: "TemplateProcessing", single, pair: [...single, { Sequence: { id: "B", type_id: 1 } }], special_tokens: special };
}

/** Code point index → UTF-16 index, for converting the Rust binding's (code point) offsets. */
export function codePointToUtf16(text: string): number[] {
  const map: number[] = [];
  let unit = 0;
  for (const ch of text) {
    map.push(unit);
    unit += ch.length;
  }
  map.push(unit);
  return map;
}

export interface RustEncoding {
  ids: number[];
  tokens: string[];
  /** Offsets converted to UTF-16 units. */
  spans: { id: number; token: string; start: number; end: number }[];
}

export async function rustEncode(rust: RustTokenizer, text: string, addSpecialTokens = true): Promise<RustEncoding> {
  const e = await rust.encode(text, null, { addSpecialTokens });
  const ids = e.getIds();
  const tokens = e.getTokens();
  const map = codePointToUtf16(text);
  const spans = e
    .getOffsets()
    .map(([s, t], i) => ({ id: ids[i] as number, token: tokens[i] as string, start: map[s as number] as number, end: map[t as number] as number }));
  return { ids, tokens, spans };
}

/** A deterministic generator of awkward strings (no Math.random: failures must reproduce). */
export function awkwardStrings(seed: number, count: number, pool: readonly string[], maxParts = 12): string[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = "";
    const parts = 1 + Math.floor(next() * maxParts);
    for (let j = 0; j < parts; j++) text += pool[Math.floor(next() * pool.length)];
    out.push(text);
  }
  return out;
}

/** Pieces the awkward strings are made of: whitespace of every kind, marks, scripts, specials. */
export const AWKWARD_POOL = [
  " ",
  "  ",
  "   ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u0085",
  "\u00A0",
  "\u1680",
  "\u2000",
  "\u2009",
  "\u200A",
  "\u2028",
  "\u2029",
  "\u202F",
  "\u205F",
  "\u3000",
  "\uFEFF",
  "\u180E",
  "\u200B",
  "\u000B",
  "\u000C",
  "\u001C",
  "\u001F",
  "a",
  "b",
  "Z",
  "é",
  "e",
  "\u0301",
  "\u0323",
  "\u0308",
  "\u1100",
  "\u1161",
  "\u11A8",
  "각",
  "\u0B47",
  "\u0B3E",
  "1",
  "٣",
  "²",
  "½",
  "Ⅻ",
  ".",
  ",",
  "!",
  "?",
  "'",
  "s",
  "t",
  "re",
  "ll",
  "'s",
  "-",
  "_",
  "$",
  "€",
  "中",
  "文",
  "😀",
  "👨",
  "\u200D",
  "👩",
  "🏽",
  "\u{1FAE8}",
  "\uFE0F",
  "ǅ",
  "ᾼ",
  "ﬀ",
  "<|endoftext|>",
  "<|padding|>",
  "assistant",
  "RWKV",
  "<|im_start|>",
  "<|im_end|>",
  "<|",
  "|>",
  "\u0000",
  "\u007F",
  "\uD83D",
  "\uDE00",
  "\u{10FFFF}",
  "\u0640",
  "\u0E33",
  "\u0F73",
  "\u0344",
  "\u212B",
  "\u0958",
];
