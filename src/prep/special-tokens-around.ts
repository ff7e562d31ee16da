import { IntegrityError } from "../errors.js";
import type { Tokenizer } from "../tokenizer/index.js";

/** The special token ids a tokenizer puts before and after every text (none for Pythia; [BOS] before for Llama). */
export interface SpecialTokensAround {
  prefix: number[];
  suffix: number[];
}

const cache = new WeakMap<Tokenizer, SpecialTokensAround>();

/**
 * Which ids `tok.encode(text)` adds around a text's own ids, found by encoding a probe with and
 * without special tokens. Preparation encodes texts without them (to know where the text's own
 * tokens are, for truncation and labels) and adds them back exactly as Python's tokenizer does.
 */
export function specialTokensAround(tok: Tokenizer): SpecialTokensAround {
  const hit = cache.get(tok);
  if (hit) return hit;
  const probe = "a";
  const bare = tok.encode(probe, { addSpecialTokens: false });
  const full = tok.encode(probe);
  let found: SpecialTokensAround | undefined;
  for (let i = 0; i + bare.length <= full.length && !found; i++) {
    if (bare.every((id, j) => full[i + j] === id)) found = { prefix: full.slice(0, i), suffix: full.slice(i + bare.length) };
  }
  if (!found)
    throw new IntegrityError(
      `${tok.nameOrPath}: the ids of a text with special tokens do not contain its ids without them; cannot tell which special tokens it adds.`,
    );
  cache.set(tok, found);
  return found;
}
