import type { TokenSpan } from "./compute-token-spans.js";

const SPACE_CHAR = "\u0120"; // "Ġ": the byte-level form of " "
const WHITE_SPACE = /^\p{White_Space}$/u;

function isSpace(c: string): boolean {
  return c === SPACE_CHAR || WHITE_SPACE.test(c);
}

/**
 * The Rust engine's `process_offsets` (ByteLevel post-processor with `trim_offsets: true`): each
 * span loses as many characters on each side as its token has leading/trailing spaces ("Ġ" or
 * whitespace), so "Ġhow" spans "how"; a whitespace-only token is left with an empty span at its
 * end. With `addPrefixSpace`, a single leading space on the first token is kept (it was added).
 * Rust counts characters (code points), so the arithmetic is done in code points of `text`.
 */
export function trimOffsets(text: string, spans: TokenSpan[], addPrefixSpace: boolean): TokenSpan[] {
  const toCp = new Map<number, number>();
  const toUnit: number[] = [];
  let unit = 0;
  for (const ch of text) {
    toCp.set(unit, toUnit.length);
    toUnit.push(unit);
    unit += ch.length;
  }
  toCp.set(unit, toUnit.length);
  toUnit.push(unit);

  return spans.map((span, i) => {
    const chars = [...span.token];
    let leading = 0;
    while (leading < chars.length && isSpace(chars[leading] as string)) leading++;
    let trailing = 0;
    while (trailing < chars.length && isSpace(chars[chars.length - 1 - trailing] as string)) trailing++;
    if (leading === 0 && trailing === 0) return span;
    let start = toCp.get(span.start) as number;
    let end = toCp.get(span.end) as number;
    if (leading > 0) {
      const isFirst = i === 0 || start === 0;
      if (!(isFirst && addPrefixSpace && leading === 1)) start = Math.min(start + leading, end);
    }
    if (trailing > 0 && end >= trailing) end = Math.max(end - trailing, start);
    return { ...span, start: toUnit[start] as number, end: toUnit[end] as number };
  });
}
