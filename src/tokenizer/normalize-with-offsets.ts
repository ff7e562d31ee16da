import { IntegrityError } from "../errors.js";
import { type AlignedChar, type CharChange, transformAligned } from "./transform-aligned.js";

export type { AlignedChar } from "./transform-aligned.js";

/** Unicode normalization forms a tokenizer.json normalizer can apply. */
type NormalizationForm = "NFC" | "NFD" | "NFKC" | "NFKD";

/**
 * One step of a tokenizer.json normalizer, as the span layout applies it (a `Sequence` is
 * flattened into its steps; BertNormalizer into its parts).
 */
export type NormalizerStep =
  | { type: "unicode"; form: NormalizationForm }
  | { type: "lowercase" }
  /** Drop the chars `drop` matches (one char per match): StripAccents, BertNormalizer's control chars. */
  | { type: "filter"; drop: RegExp }
  /** Map each char `test` matches to `to` (BertNormalizer: whitespace to " "). */
  | { type: "map"; test: RegExp; to: string }
  /** Every match of `pattern` (global) becomes `content`. */
  | { type: "replace"; pattern: RegExp; content: string }
  | { type: "prepend"; prepend: string }
  | { type: "strip"; left: boolean; right: boolean }
  /** BertNormalizer's handle_chinese_chars: a space on each side of each CJK ideograph. */
  | { type: "pad-chinese" };

const NON_ASCII = /[\u0080-\uffff]/;
const WHITE_SPACE = /^\p{White_Space}$/u;

/** Chars of `text.slice(start, end)`, one per code point (a lone surrogate is a char of its own). */
function alignedChars(text: string, start: number, end: number): AlignedChar[] {
  const chars: AlignedChar[] = [];
  for (let i = start; i < end; ) {
    const cp = text.codePointAt(i) as number;
    const len = cp > 0xffff && i + 1 < end ? 2 : 1;
    chars.push({ ch: text.slice(i, i + len), start: i, end: i + len });
    i += len;
  }
  return chars;
}

/**
 * For each group of characters in `targets` (in order), the items they came from: for each
 * character, the first unused equal item. Canonical reordering is a stable sort within runs of
 * combining marks and composition takes the first unblocked mark, so equal characters never
 * change their relative order — which makes "first unused" the right one.
 */
function takeInOrder(items: CharChange[], targets: string[][]): CharChange[][] {
  const used = new Array<boolean>(items.length).fill(false);
  let first = 0;
  return targets.map((parts) =>
    parts.map((part) => {
      while (first < items.length && used[first]) first++;
      let j = first;
      while (j < items.length && (used[j] || (items[j] as CharChange).ch !== part)) j++;
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
function normalizationStream(chars: AlignedChar[], form: NormalizationForm): CharChange[] {
  const decomposeForm = form === "NFKC" || form === "NFKD" ? "NFKD" : "NFD";
  const decomposed: CharChange[] = [];
  for (const c of chars) {
    [...c.ch.normalize(decomposeForm)].forEach((ch, i) => {
      decomposed.push({ ch, change: i === 0 ? 0 : 1 });
    });
  }
  const whole = chars.map((c) => c.ch).join("");
  const ordered = takeInOrder(
    decomposed,
    [...whole.normalize(decomposeForm)].map((ch) => [ch]),
  ).map((group) => group[0] as CharChange);
  if (form === "NFD" || form === "NFKD") return ordered;

  const composed = [...whole.normalize(form)];
  const groups = takeInOrder(
    ordered,
    composed.map((ch) => [...ch.normalize("NFD")]),
  );
  return composed.map((ch, k) => {
    const parts = groups[k] as CharChange[];
    return { ch, change: parts.reduce((sum, p) => sum + p.change, 0) - (parts.length - 1) };
  });
}

/** Rust's `NormalizedString::filter`: the kept chars, each carrying how many removed chars follow it. */
function filterStream(chars: AlignedChar[], keep: (ch: string) => boolean): { stream: CharChange[]; initial: number } {
  const stream: CharChange[] = [];
  let removed = 0;
  let initial = 0;
  let last: string | undefined;
  for (const c of chars) {
    if (keep(c.ch)) {
      if (last !== undefined) stream.push({ ch: last, change: -removed });
      else initial = removed;
      last = c.ch;
      removed = 0;
    } else {
      removed++;
    }
  }
  if (last !== undefined) stream.push({ ch: last, change: -removed });
  return { stream, initial };
}

/** UTF-16 index in the joined chars → index of the char. */
function unitToChar(chars: AlignedChar[]): Int32Array {
  let units = 0;
  for (const c of chars) units += c.ch.length;
  const map = new Int32Array(units + 1);
  let u = 0;
  chars.forEach((c, i) => {
    for (let k = 0; k < c.ch.length; k++) map[u++] = i;
  });
  map[units] = chars.length;
  return map;
}

/** Rust's `NormalizedString::replace`: the content of each match shares the source of the match's last char. */
function replace(chars: AlignedChar[], pattern: RegExp, content: string, origin: number): AlignedChar[] {
  const joined = chars.map((c) => c.ch).join("");
  const toChar = unitToChar(chars);
  const out: AlignedChar[] = [];
  let last = 0;
  const re = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`);
  for (const m of joined.matchAll(re)) {
    const from = toChar[m.index as number] as number;
    const to = toChar[(m.index as number) + m[0].length] as number;
    for (let i = last; i < from; i++) out.push(chars[i] as AlignedChar);
    const source = to > 0 ? (chars[to - 1] as AlignedChar) : { start: origin, end: origin };
    for (const ch of content) out.push({ ch, start: source.start, end: source.end });
    last = to;
  }
  for (let i = last; i < chars.length; i++) out.push(chars[i] as AlignedChar);
  return out;
}

function isChineseChar(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x20000 && c <= 0x2a6df) ||
    (c >= 0x2a700 && c <= 0x2b73f) ||
    (c >= 0x2b740 && c <= 0x2b81f) ||
    (c >= 0x2b920 && c <= 0x2ceaf) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x2f800 && c <= 0x2fa1f)
  );
}

/** One normalizer step on aligned chars, as the Rust engine's NormalizedString does it. */
function applyStep(chars: AlignedChar[], step: NormalizerStep, origin: number): AlignedChar[] {
  switch (step.type) {
    case "unicode":
      // Every form is the identity on ASCII, and so would the stream be.
      if (!chars.some((c) => NON_ASCII.test(c.ch))) return chars;
      return transformAligned(chars, normalizationStream(chars, step.form), origin);
    case "lowercase": {
      // Rust's char::to_lowercase, char by char (no final-sigma context).
      if (!chars.some((c) => c.ch.toLowerCase() !== c.ch)) return chars;
      const stream: CharChange[] = [];
      for (const c of chars)
        [...c.ch.toLowerCase()].forEach((ch, i) => {
          stream.push({ ch, change: i > 0 ? 1 : 0 });
        });
      return transformAligned(chars, stream, origin);
    }
    case "filter": {
      if (!chars.some((c) => step.drop.test(c.ch))) return chars;
      const { stream, initial } = filterStream(chars, (ch) => !step.drop.test(ch));
      return transformAligned(chars, stream, origin, initial);
    }
    case "map":
      return chars.map((c) => (step.test.test(c.ch) ? { ...c, ch: step.to } : c));
    case "replace":
      return replace(chars, step.pattern, step.content, origin);
    case "prepend": {
      const first = chars[0];
      if (!first || step.prepend.length === 0) return chars;
      return [...[...step.prepend].map((ch) => ({ ch, start: first.start, end: first.end })), ...chars];
    }
    case "strip": {
      let from = 0;
      let to = chars.length;
      if (step.left) while (from < to && WHITE_SPACE.test((chars[from] as AlignedChar).ch)) from++;
      if (step.right) while (to > from && WHITE_SPACE.test((chars[to - 1] as AlignedChar).ch)) to--;
      return from === 0 && to === chars.length ? chars : chars.slice(from, to);
    }
    case "pad-chinese": {
      if (!chars.some((c) => isChineseChar(c.ch))) return chars;
      const out: AlignedChar[] = [];
      for (const c of chars) {
        if (isChineseChar(c.ch)) out.push({ ...c, ch: " " }, c, { ...c, ch: " " });
        else out.push(c);
      }
      return out;
    }
  }
}

/**
 * The characters of `text.slice(start, end)` after the normalizer `steps`, each with the span
 * of original text the Rust tokenizers engine gives it — so token offsets built on them equal
 * Python's `offset_mapping`. As in Python, a character composed from several code points (NFC of
 * "e" + U+0301) points at the first of them only; inserted text (a prepended "▁", a replacement)
 * points at the character it was put for.
 */
export function normalizeWithOffsets(text: string, start: number, end: number, steps: readonly NormalizerStep[]): AlignedChar[] {
  let chars = alignedChars(text, start, end);
  for (const step of steps) {
    if (chars.length === 0) break;
    chars = applyStep(chars, step, start);
  }
  return chars;
}
