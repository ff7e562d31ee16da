import type { AlignedChar } from "./transform-aligned.js";

/** How a split treats the text its pattern matches (the Rust engine's `SplitDelimiterBehavior`). */
export type SplitBehavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";

/**
 * One step of a tokenizer.json pre-tokenizer, as the span layout applies it (a `Sequence` is
 * flattened; Whitespace, WhitespaceSplit, BertPreTokenizer, Punctuation, Digits and
 * CharDelimiterSplit are splits on a pattern).
 */
export type PreTokenizerStep =
  /** Split each piece on the matches of `pattern` (global, unicode); `invert` swaps matches and the rest. */
  | { type: "split"; pattern: RegExp; behavior: SplitBehavior; invert: boolean }
  /** ByteLevel: a prefix space if asked, the GPT-2 split if `pattern`, then each char becomes its bytes' chars. */
  | { type: "byte-level"; addPrefixSpace: boolean; pattern: RegExp | null; byteChars: readonly string[] }
  /** Metaspace: spaces become `replacement`, one is put first as `prependScheme` says, then a split before each. */
  | { type: "metaspace"; replacement: string; prependScheme: "always" | "first" | "never"; split: boolean };

const encoder = new TextEncoder();

/** Rust's `Pattern::find_matches` (with `Invert` when asked): the piece cut into [start, end, isMatch] runs, in chars. */
function findMatches(chars: readonly AlignedChar[], pattern: RegExp, invert: boolean): [number, number, boolean][] {
  const joined = chars.map((c) => c.ch).join("");
  if (joined.length === 0) return [[0, 0, false]];
  const toChar = new Int32Array(joined.length + 1);
  let u = 0;
  chars.forEach((c, i) => {
    for (let k = 0; k < c.ch.length; k++) toChar[u++] = i;
  });
  toChar[joined.length] = chars.length;
  const out: [number, number, boolean][] = [];
  let prev = 0;
  for (const m of joined.matchAll(pattern)) {
    const start = toChar[m.index as number] as number;
    const end = toChar[(m.index as number) + m[0].length] as number;
    if (prev !== start) out.push([prev, start, invert]);
    out.push([start, end, !invert]);
    prev = end;
  }
  if (prev !== chars.length) out.push([prev, chars.length, invert]);
  return out;
}

/** Rust's `NormalizedString::split`: the pieces (empty ones dropped) for the given behavior. */
function split(chars: AlignedChar[], matches: [number, number, boolean][], behavior: SplitBehavior): AlignedChar[][] {
  const ranges: [number, number][] = [];
  if (behavior === "Isolated") {
    for (const [s, e] of matches) ranges.push([s, e]);
  } else if (behavior === "Removed") {
    for (const [s, e, isMatch] of matches) if (!isMatch) ranges.push([s, e]);
  } else if (behavior === "Contiguous") {
    let previous = false;
    for (const [s, e, isMatch] of matches) {
      const last = ranges[ranges.length - 1];
      if (isMatch === previous && last) last[1] = e;
      else ranges.push([s, e]);
      previous = isMatch;
    }
  } else if (behavior === "MergedWithPrevious") {
    let previous = false;
    for (const [s, e, isMatch] of matches) {
      const last = ranges[ranges.length - 1];
      if (isMatch && !previous && last) last[1] = e;
      else ranges.push([s, e]);
      previous = isMatch;
    }
  } else {
    let previous = false;
    for (let i = matches.length - 1; i >= 0; i--) {
      const [s, e, isMatch] = matches[i] as [number, number, boolean];
      const last = ranges[ranges.length - 1];
      if (isMatch && !previous && last) last[0] = s;
      else ranges.push([s, e]);
      previous = isMatch;
    }
    ranges.reverse();
  }
  return ranges.filter(([s, e]) => e > s).map(([s, e]) => chars.slice(s, e));
}

/** Rust's `NormalizedString::prepend`: the prepended chars share the source of the first char. */
function prepend(chars: AlignedChar[], text: string): AlignedChar[] {
  const first = chars[0] as AlignedChar;
  return [...[...text].map((ch) => ({ ch, start: first.start, end: first.end })), ...chars];
}

function applyStep(piece: AlignedChar[], step: PreTokenizerStep): AlignedChar[][] {
  if (step.type === "split") return split(piece, findMatches(piece, step.pattern, step.invert), step.behavior);
  if (step.type === "byte-level") {
    const chars = step.addPrefixSpace && piece[0]?.ch !== " " ? prepend(piece, " ") : piece;
    const parts = step.pattern ? split(chars, findMatches(chars, step.pattern, false), "Isolated") : [chars];
    return parts.map((part) => {
      const out: AlignedChar[] = [];
      for (const c of part) {
        if (c.ch.charCodeAt(0) < 0x80) out.push({ ch: step.byteChars[c.ch.charCodeAt(0)] as string, start: c.start, end: c.end });
        else for (const b of encoder.encode(c.ch)) out.push({ ch: step.byteChars[b] as string, start: c.start, end: c.end });
      }
      return out;
    });
  }
  let chars = piece.map((c) => (c.ch === " " ? { ...c, ch: step.replacement } : c));
  const first = chars[0] as AlignedChar;
  if (first.ch !== step.replacement && (step.prependScheme === "always" || (step.prependScheme === "first" && first.start === 0))) {
    chars = prepend(chars, step.replacement);
  }
  if (!step.split) return [chars];
  const at = new RegExp(step.replacement.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gu");
  return split(chars, findMatches(chars, at, false), "MergedWithNext");
}

/**
 * The words the model tokenizes, as the Rust engine's pre-tokenizer cuts and rewrites a piece of
 * normalized text (`steps` in order, each on every piece the previous left), each char still
 * carrying its source span. Empty pieces are dropped, as in Rust.
 */
export function preTokenizeWithOffsets(chars: AlignedChar[], steps: readonly PreTokenizerStep[]): AlignedChar[][] {
  let pieces = chars.length > 0 ? [chars] : [];
  for (const step of steps) {
    const next: AlignedChar[][] = [];
    for (const piece of pieces) for (const p of applyStep(piece, step)) if (p.length > 0) next.push(p);
    pieces = next;
  }
  return pieces;
}
