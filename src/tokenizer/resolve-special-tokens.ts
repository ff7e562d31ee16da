import { TokenizerFileError } from "../errors.js";

/** Python's `SPECIAL_TOKENS_ATTRIBUTES` (less the list), in its order. */
export const SPECIAL_TOKEN_KEYS = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"] as const;
type SpecialTokenKey = (typeof SPECIAL_TOKEN_KEYS)[number];

/** The special tokens of a tokenizer, as strings (null when the tokenizer has none). */
export type SpecialTokens = Record<SpecialTokenKey, string | null> & {
  /** `additional_special_tokens`. */
  additional: string[];
};

export interface ResolveSpecialTokensParams {
  /** tokenizer_config.json, parsed ({} when absent). */
  tokenizerConfig: Record<string, unknown>;
  /** special_tokens_map.json, parsed (undefined when absent). */
  specialTokensMap?: Record<string, unknown> | undefined;
  /** Paths of the two files, for messages. */
  configFile?: string | undefined;
  mapFile?: string | undefined;
}

/** A token as the files write it: a string, or an AddedToken dict `{ content, ... }`. */
function tokenText(value: unknown, key: string, file: string | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "object" && typeof (value as { content?: unknown }).content === "string") return (value as { content: string }).content;
  throw new TokenizerFileError(`${key} in ${file ?? "the tokenizer files"} is ${JSON.stringify(value)}: expected a string or {"content": "..."}.`, {
    ...(file !== undefined ? { file } : {}),
    hint: "Fix the file, or pass the token yourself (e.g. loadTokenizer(id, { padToken: ... })).",
  });
}

/**
 * Python's `PreTrainedTokenizerBase._from_pretrained` rule: the tokens come from
 * tokenizer_config.json, and — for configs written before `added_tokens_decoder` existed (the
 * "legacy" branch, Pythia's case) — special_tokens_map.json overrides them key by key.
 * Nothing is invented: a key neither file sets is null (Pythia has no pad token).
 */
export function resolveSpecialTokens(params: ResolveSpecialTokensParams): SpecialTokens {
  const config = params.tokenizerConfig;
  const map = "added_tokens_decoder" in config ? undefined : params.specialTokensMap;
  const out = { additional: [] as string[] } as SpecialTokens;
  for (const key of SPECIAL_TOKEN_KEYS) {
    const fromMap = map !== undefined && key in map;
    out[key] = tokenText(fromMap ? map[key] : config[key], key, fromMap ? params.mapFile : params.configFile);
  }
  // The legacy branch merges the map's list into the config's (config first), without repeats.
  const lists: [unknown, string | undefined][] = [[config.additional_special_tokens, params.configFile]];
  if (map !== undefined) lists.push([map.additional_special_tokens, params.mapFile]);
  for (const [list, file] of lists) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      throw new TokenizerFileError(`additional_special_tokens in ${file ?? "the tokenizer files"} is not a list.`, file !== undefined ? { file } : {});
    }
    for (const t of list) {
      const text = tokenText(t, "additional_special_tokens", file);
      if (text !== null && !out.additional.includes(text)) out.additional.push(text);
    }
  }
  return out;
}
