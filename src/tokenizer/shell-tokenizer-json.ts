import { preparsedBpe } from "./parse-tokenizer-json.js";

// The library tokenizer is built without its BPE tables at load (the native fast path rarely needs
// them); these two give that "shell" and check what the library would have checked.

/** tokenizer.json with a BPE model's vocabulary and merges left out (the rest as it is); other models unchanged (the same object). */
export function shellJson(json: Record<string, unknown>): Record<string, unknown> {
  const model = json.model as Record<string, unknown> | null | undefined;
  // Read from the file's bytes: the shell is at hand (and model.vocab, merges are not to be touched).
  const pre = preparsedBpe(json);
  if (pre !== undefined && model?.type === "BPE") return pre.shell;
  if (model === null || typeof model !== "object" || model.type !== "BPE") return json;
  if (model.vocab === null || typeof model.vocab !== "object" || Array.isArray(model.vocab) || !Array.isArray(model.merges)) return json;
  return { ...json, model: { ...model, vocab: {}, merges: [] } };
}

/** The shapes the library's BPE constructor needs of tokenizer.json's BPE vocab and merges (checked at load, as when it was built then). */
export function checkBpeTables(json: Record<string, unknown>): void {
  // Merges read from the file's bytes are "a b" strings or [a, b] pairs.
  if (preparsedBpe(json) !== undefined) return;
  const merges = (json.model as Record<string, unknown>).merges as unknown[];
  const first = merges[0];
  if (first !== undefined && typeof first !== "string" && !(Array.isArray(first) && first.length === 2))
    throw new Error('model.merges holds neither "a b" strings nor [a, b] pairs');
}
