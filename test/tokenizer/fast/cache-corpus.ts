/**
 * Texts that would catch a piece cache keyed on the wrong thing: the same characters in different
 * contexts (where the pre-tokenizer cuts them differently), pieces next to added tokens, runs of
 * whitespace that hit Pythia's added whitespace tokens, and characters that become an added token
 * only after normalization. Written for this project (no data from ../shared).
 */
const words = ["the", "assistant", "RWKV", "<|endoftext|>", "x", "é", "e\u0301", "中", "😀", "'s", "42"];
const gaps = [" ", "  ", "   ", "\t", " \t ", "\n", "\n\n", "\r\n", "\u3000", "\u3000\u3000", "\u00A0", ""];

export const cacheCorpus: { name: string; text: string }[] = [
  { name: "word at start, after space, after newline", text: "the the\nthe\tthe  the" },
  { name: "two spaces: added token, then one space before a word", text: "a  b a   b a    b  " },
  { name: "space runs of every length up to 30", text: Array.from({ length: 30 }, (_, i) => `w${i}${" ".repeat(i + 1)}`).join("") },
  { name: "space runs before punctuation and digits", text: "x  . x   , x  1 x   22 x\t\t3" },
  { name: "trailing space runs", text: "end " + "end  " + "end   " },
  { name: "added token glued to words", text: "assistants xassistant RWKVRWKV <|endoftext|>s s<|endoftext|> assistant's" },
  { name: "added token between spaces", text: "  assistant  RWKV   <|endoftext|>    x" },
  { name: "partial added tokens", text: "assistan assistantt RWK RWKV_ <|endoftext <|endoftext|" },
  { name: "ideographic spaces (NFKC turns them into two spaces)", text: "x\u3000\u3000y x  y \u3000x" },
  { name: "composed and decomposed forms", text: "café cafe\u0301 e\u0301 é É E\u0301" },
  { name: "contractions and their look-alikes", text: "it's its 'sa 's 'S 'll'll 'd'd" },
  { name: "lone surrogates and the replacement character", text: "\uD800 \uFFFD \uDC00x \uFFFDx" },
  { name: "CRLF and mixed line ends", text: "a\r\nb\rc\n\rd\r\n\r\n  e" },
  {
    name: "every word after every gap",
    text: words.flatMap((w) => gaps.map((g) => `${g}${w}`)).join(""),
  },
];
