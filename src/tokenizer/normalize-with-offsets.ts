import { IntegrityError } from "../errors.js";

/** One character (code point) of a normalized string and the source text it stands for. */
export interface AlignedChar {
  /** The character: one code point (or a lone surrogate). */
  ch: string;
  /** `[start, end)` in the original text, in UTF-16 units. */
  start: number;
  end: number;
}

/** Unicode normalization forms a tokenizer.json normalizer can apply. */
export type NormalizationForm = "NFC" | "NFD" | "NFKC" | "NFKD";

interface Change {
  ch: string;
  /** As in the Rust engine's `NormalizedString::transform`: 0 replaces one char, 1 inserts, -n also removes n. */
  change: number;
}

/**
 * For each group of characters in `targets` (in order), the items they came from: for each
 * character, the first unused equal item. Canonical reordering is a stable sort within runs of
 * combining marks and composition takes the first unblocked mark, so equal characters never
 * change their relative order — which makes "first unused" the right one.
 */
function takeInOrder(items: Change[], targets: string[][]): Change[][] {
  const used = new Array<boolean>(items.length).fill(false);
  let first = 0;
  return targets.map((parts) =>
    parts.map((part) => {
      while (first < items.length && used[first]) first++;
      let j = first;
      while (j < items.length && (used[j] || (items[j] as Change).ch !== part)) j++;
      const item = items[j];
      if (!item) throw new IntegrityError(`Unicode normalization offsets: no source for ${JSON.stringify(part)} (a bug: please report the text).`);
      used[j] = true;
      return item;
    }),
  );
}

/**
 * The (char, change) stream of the Rust engine's vendored `unicode-normalization-alignments`
 * iterators, rebuilt on `String.prototype.normalize`:
 * - decomposition: each char's full decomposition, its first part with change 0 and the others
 *   1, then canonical reordering (which carries the changes along);
 * - composition: each composed char takes the sum of its parts' changes, minus one per part
 *   absorbed (Rust: `composee.1 + change - 1` at each step).
 */
function normalizationStream(chars: AlignedChar[], form: NormalizationForm): Change[] {
  const decomposeForm = form === "NFKC" || form === "NFKD" ? "NFKD" : "NFD";
  const decomposed: Change[] = [];
  for (const c of chars) {
    [...c.ch.normalize(decomposeForm)].forEach((ch, i) => decomposed.push({ ch, change: i === 0 ? 0 : 1 }));
  }
  const whole = chars.map((c) => c.ch).join("");
  const ordered = takeInOrder(
    decomposed,
    [...whole.normalize(decomposeForm)].map((ch) => [ch]),
  ).map((group) => group[0] as Change);
  if (form === "NFD" || form === "NFKD") return ordered;

  const composed = [...whole.normalize(form)];
  const groups = takeInOrder(
    ordered,
    composed.map((ch) => [...ch.normalize("NFD")]),
  );
  return composed.map((ch, k) => {
    const parts = groups[k] as Change[];
    return { ch, change: parts.reduce((sum, p) => sum + p.change, 0) - (parts.length - 1) };
  });
}

/**
 * Rust's `NormalizedString::transform_range`, per character: a replacing char keeps the source
 * of the char it replaces, an inserted one shares the source of the char before it (the piece's
 * start when there is none), and removed chars lose theirs.
 */
function transform(chars: AlignedChar[], stream: Change[], origin: number): AlignedChar[] {
  const out: AlignedChar[] = [];
  let idx = 0;
  for (const { ch, change } of stream) {
    let source: { start: number; end: number } | undefined;
    if (change > 0) {
      source = idx < 1 ? { start: origin, end: origin } : chars[idx - 1];
    } else {
      source = chars[idx];
      idx += 1 + (change < 0 ? -change : 0);
    }
    if (!source) throw new IntegrityError("Unicode normalization offsets ran past the text (a bug: please report the text).");
    out.push({ ch, start: source.start, end: source.end });
  }
  return out;
}

/**
 * The characters of `text.slice(start, end)` after applying `forms` in order, each with the span
 * of original text the Rust tokenizers engine gives it — so token offsets built on them equal
 * Python's `offset_mapping`. As in Python, a character composed from several code points (NFC of
 * "e" + U+0301) points at the first of them only.
 */
export function normalizeWithOffsets(text: string, start: number, end: number, forms: readonly NormalizationForm[]): AlignedChar[] {
  let chars: AlignedChar[] = [];
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i) as number;
    const len = cp > 0xffff && i + 1 < end ? 2 : 1;
    chars.push({ ch: text.slice(i, i + len), start: i, end: i + len });
    i += len;
  }
  for (const form of forms) {
    // Every form is the identity on ASCII, and so would the stream be.
    if (chars.every((c) => c.ch.charCodeAt(0) < 0x80)) continue;
    chars = transform(chars, normalizationStream(chars, form), start);
  }
  return chars;
}
