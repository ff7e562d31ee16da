let table: Map<string, number> | undefined;

/**
 * GPT-2's byte-level alphabet, reversed: the character a byte-level BPE token uses for each byte
 * (printable Latin-1 stands for itself, the rest is shifted to U+0100 and up, so " " is "Ġ").
 * Same table as `bytes_to_unicode` in Python's tokenizers/transformers.
 */
export function unicodeToBytes(): Map<string, number> {
  if (table) return table;
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Map<string, number>();
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (printable(b)) map.set(String.fromCharCode(b), b);
  }
  for (let b = 0; b < 256; b++) {
    if (!printable(b)) map.set(String.fromCharCode(256 + shifted++), b);
  }
  table = map;
  return map;
}
