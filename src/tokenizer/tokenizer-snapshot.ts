import type { ChatTemplates } from "./apply-chat-template.js";
import type { TokenizerSide } from "./batch-prepare-for-model.js";
import { Tokenizer } from "./tokenizer.js";
import type { TokenizerInit } from "./tokenizer-types.js";

/**
 * What another thread needs to build a copy of a {@link Tokenizer} as it is now: the files it was
 * built from and the settings changed since (pad token, sides, model_max_length, chat templates).
 * Structured-cloneable, so it can be a worker's `workerData`.
 */
export interface TokenizerSnapshot {
  init: TokenizerInit;
  templates: ChatTemplates | undefined;
  padToken: string | null;
  paddingSide: TokenizerSide;
  truncationSide: TokenizerSide;
  modelMaxLength: number;
}

/** The snapshot of `tok` (its files are shared, not copied, until the snapshot is cloned). */
export function tokenizerSnapshot(tok: Tokenizer): TokenizerSnapshot {
  return {
    // Private members, read by name: a snapshot is an internal of the package, not an API of Tokenizer.
    // biome-ignore lint/complexity/useLiteralKeys: a private member: TypeScript lets it be reached by element access only.
    init: tok["init"],
    // biome-ignore lint/complexity/useLiteralKeys: a private member: TypeScript lets it be reached by element access only.
    templates: tok["templates"],
    padToken: tok.padToken,
    paddingSide: tok.paddingSide,
    truncationSide: tok.truncationSide,
    modelMaxLength: tok.modelMaxLength,
  };
}

/** A tokenizer equal to the one the snapshot was taken of: same files, same settings, so the same ids and renderings. */
export function tokenizerFromSnapshot(snapshot: TokenizerSnapshot): Tokenizer {
  const tok = new Tokenizer({ ...snapshot.init, padToken: snapshot.padToken, paddingSide: snapshot.paddingSide, truncationSide: snapshot.truncationSide });
  // biome-ignore lint/complexity/useLiteralKeys: a private member: TypeScript lets it be reached by element access only.
  tok["templates"] = snapshot.templates;
  tok.modelMaxLength = snapshot.modelMaxLength;
  return tok;
}
