import { InvalidArgumentError } from "../errors.js";
import type { PaddingTruncationPlan } from "./resolve-padding-truncation.js";

export type TokenizerSide = "left" | "right";

export interface BatchPrepareParams {
  plan: PaddingTruncationPlan;
  /** Special token ids the post-processor puts before / after each text (none for Pythia). */
  prefix: readonly number[];
  suffix: readonly number[];
  padTokenId: number | null;
  paddingSide: TokenizerSide;
  truncationSide: TokenizerSide;
}

/** Token ids and attention mask of a batch, as plain arrays. */
export interface BatchEncoding {
  inputIds: number[][];
  attentionMask: number[][];
}

/**
 * Truncates, adds special tokens and pads, as Python's fast tokenizers do (the Rust engine's
 * `truncate_encodings` then `pad_encodings`):
 * - the text's own ids are cut to `maxLength - (number of special tokens)` before the special
 *   tokens are added (Python: num_tokens_to_remove = total_len - max_length); "right" keeps the
 *   start, "left" the end; a maxLength shorter than the special tokens alone is an error;
 * - padding goes to the longest row (or maxLength), rounded up to padToMultipleOf, on the chosen
 *   side; rows already that long (or longer) are left as they are;
 * - the attention mask is 1 for every real token (special tokens included) and 0 for padding.
 */
export function batchPrepareForModel(content: readonly (readonly number[])[], params: BatchPrepareParams): BatchEncoding {
  const { plan, prefix, suffix } = params;
  let keep = Infinity;
  if (plan.truncate && plan.maxLength !== undefined) {
    const special = prefix.length + suffix.length;
    keep = plan.maxLength - special;
    if (keep < 0) {
      throw new InvalidArgumentError(
        "maxLength",
        plan.maxLength,
        `maxLength ${plan.maxLength} is shorter than the ${special} special tokens this tokenizer adds to every text, so no text fits.`,
        {
          hint: `Use maxLength ${special} or more, or addSpecialTokens: false.`,
        },
      );
    }
  }

  const inputIds = content.map((ids) => {
    let body = ids;
    if (ids.length > keep) body = params.truncationSide === "left" ? ids.slice(ids.length - keep) : ids.slice(0, keep);
    return [...prefix, ...body, ...suffix];
  });
  const attentionMask = inputIds.map((ids) => new Array<number>(ids.length).fill(1));

  if (plan.padding !== null) {
    let target = plan.padding === "longest" ? inputIds.reduce((m, ids) => Math.max(m, ids.length), 0) : (plan.maxLength as number);
    const multiple = plan.padToMultipleOf;
    if (multiple !== undefined && target % multiple !== 0) target = (Math.floor(target / multiple) + 1) * multiple;
    const padId = params.padTokenId as number;
    inputIds.forEach((ids, i) => {
      const missing = target - ids.length;
      if (missing <= 0) return;
      const pads = new Array<number>(missing).fill(padId);
      const zeros = new Array<number>(missing).fill(0);
      const mask = attentionMask[i] as number[];
      if (params.paddingSide === "left") {
        inputIds[i] = [...pads, ...ids];
        attentionMask[i] = [...zeros, ...mask];
      } else {
        inputIds[i] = [...ids, ...pads];
        attentionMask[i] = [...mask, ...zeros];
      }
    });
  }
  return { inputIds, attentionMask };
}
