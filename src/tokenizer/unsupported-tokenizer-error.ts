import { TokenizerFileError } from "../errors.js";

/**
 * The tokenizer loads and encodes, but one operation cannot be done exactly for its pipeline
 * (e.g. character spans for a normalizer whose offsets are not tracked). Raised instead of
 * returning numbers that might differ from Python's.
 */
export class UnsupportedTokenizerError extends TokenizerFileError {
  override readonly code: string = "UNSUPPORTED_TOKENIZER";
}
