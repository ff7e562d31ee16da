interface TrieNode {
  /** Children keyed by UTF-16 code unit, in insertion order. */
  next: Map<number, TrieNode>;
  /** A word ends here. */
  end: boolean;
}

const unit = (code: number) => `\\u${code.toString(16).padStart(4, "0")}`;

/** The trie below `node` as a regex: at each node one child per next unit, optional past a word's end (greedy, so the longest word wins). */
function trieSource(node: TrieNode): string {
  const alternatives: string[] = [];
  for (const [code, child] of node.next) {
    let rest = "";
    if (child.next.size > 0) rest = child.end ? `(?:${trieSource(child)})?` : trieSource(child);
    alternatives.push(unit(code) + rest);
  }
  return alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join("|")})`;
}

/** The trie of the non-empty `words`, and how many distinct ones it holds. */
function buildTrie(words: Iterable<string>): { root: TrieNode; size: number } {
  const root: TrieNode = { next: new Map(), end: false };
  let size = 0;
  for (const word of words) {
    if (word.length === 0) continue;
    let node = root;
    for (let k = 0; k < word.length; k++) {
      const code = word.charCodeAt(k);
      let child = node.next.get(code);
      if (!child) {
        child = { next: new Map(), end: false };
        node.next.set(code, child);
      }
      node = child;
    }
    if (!node.end) size++;
    node.end = true;
  }
  return { root, size };
}

/**
 * Leftmost-longest matcher over a set of words (the Rust engine's Aho-Corasick, LeftmostLongest):
 * the trie compiled to one global regular expression, as {@link AddedTokenScanner} uses it; null
 * when there is no non-empty word.
 */
export function wordMatcher(words: Iterable<string>): RegExp | null {
  const { root, size } = buildTrie(words);
  return size === 0 ? null : new RegExp(trieSource(root), "g");
}

/**
 * The added-token splitter of transformers.js (its `DictionarySplitter`) with the same output,
 * faster: the word trie is compiled into one regular expression, so the scan runs in the regex
 * engine. Semantics, as the original: scanning left to right, at the first position where some word
 * starts, the longest word starting there; the text between words is its own piece; matching is per
 * UTF-16 unit (no `u` flag: a surrogate is a unit, as the original's `text[j]`); empty words never
 * match.
 *
 * Why the regex equals the trie walk: a match is searched for at each position in turn, so the
 * first position where one exists is the first where a word starts; at that position each node has
 * at most one child matching the next unit, so the regex follows the same path as the trie, and
 * the greedy optional group after a word's end makes it end at the deepest word on that path —
 * the longest.
 */
export class AddedTokenScanner {
  private readonly pattern: RegExp | null;
  /** Number of distinct non-empty words. */
  readonly size: number;

  constructor(words: Iterable<string>) {
    const { root, size } = buildTrie(words);
    this.size = size;
    this.pattern = size === 0 ? null : new RegExp(trieSource(root), "g");
  }

  /** `text` cut into words and the runs between them, in order (no empty pieces; "" gives []). */
  split(text: string): string[] {
    const n = text.length;
    const re = this.pattern;
    if (n === 0) return [];
    if (re === null) return [text];
    re.lastIndex = 0;
    let m = re.exec(text);
    if (m === null) return [text];
    const out: string[] = [];
    let start = 0;
    while (m !== null) {
      if (m.index > start) out.push(text.slice(start, m.index));
      out.push(m[0]);
      start = re.lastIndex;
      m = re.exec(text);
    }
    if (start < n) out.push(text.slice(start));
    return out;
  }
}
