/** An added token (tokenizer.json `added_tokens`) as the splitter needs it. */
export interface AddedTokenInfo {
  /** The token's text. */
  content: string;
  id: number;
  /** Whitespace on its left belongs to it (and is not tokenized). */
  lstrip: boolean;
  /** Whitespace on its right belongs to it. */
  rstrip: boolean;
  /** Flagged special in tokenizer.json (skipped by `decode(ids, { skipSpecialTokens: true })`). */
  special: boolean;
}

/** A run of text: `[start, end)` in UTF-16 units; `token` set when the run is an added token. */
export interface TextPiece {
  start: number;
  end: number;
  token?: AddedTokenInfo;
  /** For a token piece: the text matched (the token's content, or its normalized form), without swallowed whitespace. */
  match?: string;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  token?: AddedTokenInfo;
  text?: string;
}

const WHITESPACE = /\s/;

/**
 * Finds added tokens in text the way transformers.js (and the Rust engine's leftmost-longest
 * matcher) does: scanning left to right, at each position the longest token that starts there.
 * Used to lay out character spans in the same sections the ids come from.
 */
export class AddedTokenSplitter {
  private readonly root: TrieNode = { next: new Map() };
  readonly size: number;

  /** `entries`: [text to match, token] — the text is the token's content, or its normalized form. */
  constructor(entries: Iterable<readonly [string, AddedTokenInfo]>) {
    let size = 0;
    for (const [text, token] of entries) {
      if (text.length === 0) continue;
      let node = this.root;
      // Keyed per UTF-16 unit, as transformers.js walks `text[j]`.
      for (let k = 0; k < text.length; k++) {
        const ch = text[k] as string;
        let child = node.next.get(ch);
        if (!child) {
          child = { next: new Map() };
          node.next.set(ch, child);
        }
        node = child;
      }
      node.token = token;
      node.text = text;
      size++;
    }
    this.size = size;
  }

  /**
   * Splits `text` into pieces covering it. Whitespace an lstrip/rstrip token
   * swallows is moved from the neighbouring piece into the token's piece (as the Rust engine's
   * offsets show it); pieces left empty are dropped.
   */
  split(text: string): TextPiece[] {
    const pieces: TextPiece[] = [];
    const to = text.length;
    let start = 0;
    let i = 0;
    while (i < to && this.size > 0) {
      let node: TrieNode | undefined = this.root;
      let match: { end: number; token: AddedTokenInfo; text: string } | undefined;
      for (let j = i; j < to; j++) {
        node = node.next.get(text[j] as string);
        if (!node) break;
        if (node.token) match = { end: j + 1, token: node.token, text: node.text as string };
      }
      if (match) {
        if (i > start) pieces.push({ start, end: i });
        pieces.push({ start: i, end: match.end, token: match.token, match: match.text });
        i = start = match.end;
      } else {
        i++;
      }
    }
    if (start < to) pieces.push({ start, end: to });

    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k] as TextPiece;
      if (!piece.token) continue;
      const prev = pieces[k - 1];
      if (piece.token.lstrip && prev && !prev.token) {
        while (prev.end > prev.start && WHITESPACE.test(text[prev.end - 1] as string)) prev.end--;
        piece.start = prev.end;
      }
      const next = pieces[k + 1];
      if (piece.token.rstrip && next && !next.token) {
        while (next.start < next.end && WHITESPACE.test(text[next.start] as string)) next.start++;
        piece.end = next.start;
      }
    }
    return pieces.filter((p) => p.token || p.end > p.start);
  }
}
