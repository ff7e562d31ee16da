import { InvalidArgumentError } from "../errors.js";

/** `padding`, as Python's `tokenizer(..., padding=)`: true and "longest" pad to the longest row of the batch. */
export type PaddingOption = boolean | "longest" | "max_length" | "do_not_pad";
/** `truncation`, as Python's for single texts: true is "longest_first" (same as "only_first" for one text). */
export type TruncationOption = boolean | "longest_first" | "only_first" | "do_not_truncate";

export interface PaddingTruncationRequest {
  padding?: PaddingOption | undefined;
  truncation?: TruncationOption | undefined;
  maxLength?: number | undefined;
  padToMultipleOf?: number | undefined;
}

/** What to do to a batch, every default settled. */
export interface PaddingTruncationPlan {
  /** null: no padding. */
  padding: "longest" | "max_length" | null;
  truncate: boolean;
  /** Length to truncate to / pad to ("max_length"); undefined when neither needs one. */
  maxLength: number | undefined;
  padToMultipleOf: number | undefined;
}

export interface TokenizerLimits {
  modelMaxLength: number;
  padToken: string | null;
  padTokenId: number | null;
}

/** Python's LARGE_INTEGER: a model_max_length above it means "no limit declared". */
const LARGE_INTEGER = 1e20;

function checkPositiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(
      name,
      value,
      `${name} must be a positive integer, got ${typeof value === "string" ? JSON.stringify(value) : String(value)}.`,
    );
  }
  return value;
}

/**
 * Python's `PreTrainedTokenizerBase._get_padding_truncation_strategies`, for single texts:
 * - maxLength with padding off and truncation not given turns truncation on (Python's
 *   backward-compatible rule);
 * - true/"longest" pads to the batch's longest row and ignores maxLength;
 * - without maxLength, truncation and "max_length" padding fall back to model_max_length; when the
 *   model declares none (above 1e20, Pythia's 1e30), truncation is off and "max_length" padding is
 *   refused (Python warns and silently does not pad);
 * - padding needs a pad token; truncating and padding to a multiple needs maxLength to be one.
 */
export function resolvePaddingTruncation(req: PaddingTruncationRequest, limits: TokenizerLimits): PaddingTruncationPlan {
  let maxLength = checkPositiveInteger("maxLength", req.maxLength);
  const padToMultipleOf = checkPositiveInteger("padToMultipleOf", req.padToMultipleOf);
  // null is Python's None: "not given".
  const paddingArg = req.padding ?? false;
  let truncationArg = req.truncation ?? undefined;

  if (maxLength !== undefined && paddingArg === false && truncationArg === undefined) truncationArg = "longest_first";

  let padding: PaddingTruncationPlan["padding"];
  if (paddingArg === true || paddingArg === "longest") padding = "longest";
  else if (paddingArg === "max_length") padding = "max_length";
  else if (paddingArg === false || paddingArg === "do_not_pad") padding = null;
  else {
    throw new InvalidArgumentError(
      "padding",
      paddingArg,
      `padding must be true, false, "longest", "max_length" or "do_not_pad", got ${JSON.stringify(paddingArg)}.`,
    );
  }

  let truncate: boolean;
  if (truncationArg === true || truncationArg === "longest_first" || truncationArg === "only_first") truncate = true;
  else if (truncationArg === undefined || truncationArg === false || truncationArg === "do_not_truncate") truncate = false;
  else if ((truncationArg as unknown) === "only_second") {
    throw new InvalidArgumentError(
      "truncation",
      truncationArg,
      `truncation "only_second" cuts the second text of a pair, and batchEncode encodes single texts.`,
      {
        hint: 'Use truncation: true (or "longest_first").',
      },
    );
  } else {
    throw new InvalidArgumentError(
      "truncation",
      truncationArg,
      `truncation must be true, false, "longest_first", "only_first" or "do_not_truncate", got ${JSON.stringify(truncationArg)}.`,
    );
  }

  if (maxLength === undefined) {
    const noLimit = limits.modelMaxLength > LARGE_INTEGER;
    if (padding === "max_length") {
      if (noLimit) {
        throw new InvalidArgumentError(
          "maxLength",
          undefined,
          `padding: "max_length" pads every row to maxLength, and none was given. The fallback would be the tokenizer's modelMaxLength, ${limits.modelMaxLength}, which means the model declares no maximum length.`,
          {
            hint: 'Pass maxLength (e.g. { padding: "max_length", maxLength: 512 }), or use padding: true to pad to the longest row. (Python warns and does not pad here.)',
          },
        );
      }
      maxLength = limits.modelMaxLength;
    }
    if (truncate) {
      if (noLimit) truncate = false;
      else maxLength = limits.modelMaxLength;
    }
  }

  if (padding !== null && (limits.padToken === null || limits.padTokenId === null || limits.padTokenId < 0)) {
    throw new InvalidArgumentError(
      "padding",
      paddingArg,
      "Padding was asked for, but this tokenizer has no pad token (Pythia and other GPT-style tokenizers ship without one).",
      {
        hint: "Pick one first, e.g. tok.padToken = tok.eosToken (what the notebook does), or load with loadTokenizer(id, { padToken: ... }); or pass padding: false.",
      },
    );
  }

  if (truncate && padding !== null && padToMultipleOf !== undefined && maxLength !== undefined && maxLength % padToMultipleOf !== 0) {
    throw new InvalidArgumentError(
      "padToMultipleOf",
      padToMultipleOf,
      `Truncation and padding are both on, but the truncation length (maxLength ${maxLength}) is not a multiple of padToMultipleOf (${padToMultipleOf}): padded rows would be longer than maxLength.`,
      {
        hint: `Use a maxLength that is a multiple of ${padToMultipleOf}.`,
      },
    );
  }

  return { padding, truncate, maxLength, padToMultipleOf };
}
