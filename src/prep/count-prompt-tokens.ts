import { IntegrityError } from "../errors.js";
import { type Tokenizer, type TokenSpan, UnsupportedTokenizerError } from "../tokenizer/index.js";

/** How many leading tokens of a prompt + answer text belong to the prompt alone. */
export interface PromptTokenCount {
  /** Tokens to mask: the leading tokens that lie entirely inside the prompt. */
  count: number;
  /** True when the prompt's last characters and the answer's first ones share a token. */
  merged: boolean;
}

function isPrefix(prefix: ArrayLike<number>, ids: ArrayLike<number>): boolean {
  if (prefix.length > ids.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== ids[i]) return false;
  return true;
}

/**
 * The prompt's share of the tokens of `text` (= prompt + answer, the prompt being
 * `text.slice(0, promptEnd)`), given the text's ids and the prompt's ids (both without special tokens).
 *
 * Usually the prompt's ids are a prefix of the text's ids: then every one of them is the prompt's
 * (their bytes are exactly the prompt's bytes) and the count is their number — which is what Python
 * gives for `len(tokenizer(prompt)["input_ids"])`. When the last prompt token and the first answer
 * token merge (an answer starting with punctuation, e.g. ":-)" after "Answer:"), the tokens are placed
 * by their character spans instead ({@link Tokenizer.tokenSpans}): a token is the prompt's only if it
 * ends at or before `promptEnd`; the token that straddles the boundary carries answer text and is
 * kept in the loss. Tokenizers without spans (not byte-level BPE) fall back to the common prefix of
 * the two id lists, which never masks answer text either.
 */
export function countPromptTokens(tok: Tokenizer, text: string, promptEnd: number, textIds: ArrayLike<number>, promptIds: ArrayLike<number>): PromptTokenCount {
  if (isPrefix(promptIds, textIds)) return { count: promptIds.length, merged: false };
  let spans: TokenSpan[];
  try {
    spans = tok.tokenSpans(text, { addSpecialTokens: false });
  } catch (e) {
    if (!(e instanceof UnsupportedTokenizerError)) throw e;
    let k = 0;
    while (k < promptIds.length && k < textIds.length && promptIds[k] === textIds[k]) k++;
    // The token at k may still end inside the prompt; without spans it cannot be told, so it is kept.
    return { count: k, merged: true };
  }
  if (spans.length !== textIds.length || spans.some((s, i) => s.id !== textIds[i])) {
    throw new IntegrityError(
      `Token spans of a text do not match its ids (${spans.length} spans, ${textIds.length} ids): a tokenizer bug, please report the text ${JSON.stringify(text.slice(0, 80))}.`,
    );
  }
  let count = 0;
  while (count < spans.length && spans[count]!.end <= promptEnd) count++;
  return { count, merged: true };
}
