import { AddedTokenSplitter, type AddedTokenInfo } from "./added-token-splitter.js";
import type { SpanPlan } from "./compute-token-spans.js";
import type { NormalizationForm } from "./normalize-with-offsets.js";
import { UnsupportedTokenizerError } from "./unsupported-tokenizer-error.js";

const FORMS = new Set(["NFC", "NFD", "NFKC", "NFKD"]);
// Pre-tokenizers that only split (never drop or rewrite text): bytes of the tokens are the text's.
const SPLITTING = new Set(["Split", "Digits", "Punctuation"]);

interface JsonNode {
  type?: string;
  normalizers?: JsonNode[];
  pretokenizers?: JsonNode[];
  add_prefix_space?: boolean;
  behavior?: string;
}

/**
 * What `tokenSpans` needs to know of a tokenizer.json, checked: a byte-level BPE whose normalizer
 * is Unicode normalization only (Pythia, GPT-2, Llama 3, Qwen...). Anything else is an
 * {@link UnsupportedTokenizerError} naming the part that is not handled, rather than spans that
 * could be wrong. `file` is where tokenizer.json came from, for that message.
 */
export function buildSpanPlan(tokenizerJson: Record<string, unknown>, tokenizerConfig: Record<string, unknown>, file: string | undefined): SpanPlan {
  const unsupported = (what: string) =>
    new UnsupportedTokenizerError(`Token spans are computed for byte-level BPE tokenizers whose normalizer is Unicode normalization only; ${what}.`, {
      ...(file !== undefined ? { file } : {}),
      hint: "encode/decode/tokenize work as usual; only tokenSpans is unavailable for this tokenizer.",
    });

  const model = tokenizerJson.model as JsonNode | undefined;
  if (model?.type !== "BPE") throw unsupported(`this one's model is ${model?.type ?? "missing"}`);
  if (tokenizerConfig.remove_space || tokenizerConfig.do_lowercase_and_remove_accent) throw unsupported("this one's tokenizer_config rewrites text (remove_space / do_lowercase_and_remove_accent)");

  const forms: NormalizationForm[] = [];
  const addForms = (n: JsonNode | null | undefined) => {
    if (!n) return;
    if (n.type === "Sequence") (n.normalizers ?? []).forEach(addForms);
    else if (n.type && FORMS.has(n.type)) forms.push(n.type as NormalizationForm);
    else throw unsupported(`this one's normalizer is ${n.type ?? "unknown"}`);
  };
  addForms(tokenizerJson.normalizer as JsonNode | null);

  const pre = tokenizerJson.pre_tokenizer as JsonNode | null | undefined;
  let addPrefixSpace = false;
  if (pre?.type === "ByteLevel") {
    addPrefixSpace = pre.add_prefix_space === true;
  } else if (pre?.type === "Sequence") {
    const parts = pre.pretokenizers ?? [];
    if (!parts.some((p) => p.type === "ByteLevel")) throw unsupported("this one has no ByteLevel pre-tokenizer");
    for (const p of parts) {
      if (p.type === "ByteLevel") {
        // Inside a Sequence the prefix space would go before every split piece: not tracked.
        if (p.add_prefix_space) throw unsupported("this one adds a prefix space inside a pre-tokenizer Sequence");
      } else if (!p.type || !SPLITTING.has(p.type) || p.behavior === "Removed") {
        throw unsupported(`this one's pre-tokenizer includes ${p.type ?? "an unknown step"}${p.behavior === "Removed" ? " (removing text)" : ""}`);
      }
    }
  } else {
    throw unsupported(`this one's pre-tokenizer is ${pre?.type ?? "missing"}`);
  }

  const normalize = (s: string) => forms.reduce((acc, f) => acc.normalize(f), s);
  const raw: [string, AddedTokenInfo][] = [];
  const normalized: [string, AddedTokenInfo][] = [];
  for (const t of (tokenizerJson.added_tokens as Record<string, unknown>[] | undefined) ?? []) {
    const token: AddedTokenInfo = {
      content: String(t.content),
      id: Number(t.id),
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      special: t.special === true,
    };
    // As transformers.js: `normalized` defaults to the opposite of `special`.
    const isNormalized = typeof t.normalized === "boolean" ? t.normalized : !token.special;
    if (isNormalized && tokenizerJson.normalizer != null) normalized.push([normalize(token.content), token]);
    else raw.push([token.content, token]);
  }
  return { raw: new AddedTokenSplitter(raw), normalized: new AddedTokenSplitter(normalized), forms, addPrefixSpace };
}
