import { InvalidArgumentError } from "../errors.js";
import type { TokenizerSide } from "./batch-prepare-for-model.js";

// Arguments checked as the Tokenizer's methods receive them: the error names the argument and the row.

/** A text to tokenize: `index` is its row in a batch, named in the error. */
export function checkText(value: unknown, index?: number): asserts value is string {
  if (typeof value === "string") return;
  const found = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
  if (index === undefined) throw new InvalidArgumentError("text", value, `Expected a string to tokenize, got ${found}.`);
  throw new InvalidArgumentError("texts", value, `texts[${index}] is ${found}, not a string: every item of the batch must be a string.`, {
    row: index,
    hint: "Convert or drop that row first (e.g. filter out nulls), then tokenize.",
  });
}

/** "left" or "right" (a padding or truncation side). */
export function checkSide(name: string, value: unknown): TokenizerSide {
  if (value === "left" || value === "right") return value;
  throw new InvalidArgumentError(name, value, `${name} must be "left" or "right", got ${JSON.stringify(value)}.`);
}
