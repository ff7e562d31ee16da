import { IntegrityError } from "../errors.js";

/** One character (code point) of a normalized string and the source text it stands for. */
export interface AlignedChar {
  /** The character: one code point (or a lone surrogate). */
  ch: string;
  /** `[start, end)` in the original text, in UTF-16 units. */
  start: number;
  end: number;
}

/** One character of a transformation, as in the Rust engine's `NormalizedString::transform`. */
export interface CharChange {
  ch: string;
  /** 0: replaces the next source char; 1: inserted; -n: replaces the next char and removes the n after it. */
  change: number;
}

/**
 * The Rust engine's `NormalizedString::transform` on aligned characters: a replacing char keeps
 * the source of the char it replaces, an inserted one shares the source of the char before it
 * (`origin`, an empty span, when there is none), removed chars lose theirs. `initialOffset` chars
 * at the start are removed first (Rust's `initial_offset`).
 */
export function transformAligned(chars: readonly AlignedChar[], stream: readonly CharChange[], origin: number, initialOffset = 0): AlignedChar[] {
  const out: AlignedChar[] = [];
  let idx = initialOffset;
  for (const { ch, change } of stream) {
    let source: { start: number; end: number } | undefined;
    if (change > 0) {
      source = idx < 1 ? { start: origin, end: origin } : chars[idx - 1];
    } else {
      source = chars[idx];
      idx += 1 + (change < 0 ? -change : 0);
    }
    if (!source) throw new IntegrityError("Normalization offsets ran past the text (a bug: please report the text).");
    out.push({ ch, start: source.start, end: source.end });
  }
  return out;
}
