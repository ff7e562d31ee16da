// Synthetic instruction rows built from the lamini docs rows, for benchmarks at 200k and 1M rows.
// Varied so that a cache of encoded words is not trivially perfect: sentences are shuffled across
// answers, numbers are redrawn and product names replaced (some by made-up names), and a share of
// rows gets made-up words. Deterministic: the same seed gives the same rows.

/** mulberry32: a small seeded PRNG (numbers in [0, 1)). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  "Lamini",
  "Llama",
  "Mistral",
  "Falcon",
  "Pythia",
  "Gemma",
  "Phi",
  "Qwen",
  "Orca",
  "Vicuna",
  "Alpaca",
  "Dolly",
  "Bloom",
  "Zephyr",
  "Olmo",
  "Cohere",
  "Jurassic",
  "Claude",
  "Gopher",
  "Chinchilla",
];
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ne",
  "ra",
  "tu",
  "vo",
  "zen",
  "qua",
  "ix",
  "bel",
  "dor",
  "fi",
  "gra",
  "hu",
  "jo",
  "kri",
  "lum",
  "mor",
  "pex",
  "sil",
  "tra",
  "und",
  "vel",
  "wy",
  "xan",
  "yor",
  "zu",
];

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function madeUpName(rand) {
  const n = 2 + Math.floor(rand() * 3);
  let s = "";
  for (let i = 0; i < n; i++) s += pick(rand, SYLLABLES);
  return s[0].toUpperCase() + s.slice(1);
}

function redrawNumber(rand, digits) {
  if (rand() < 0.5) return digits;
  const r = rand();
  if (r < 0.4) return String(Math.floor(rand() * 100));
  if (r < 0.7) return String(Math.floor(rand() * 100000));
  if (r < 0.9) return (rand() * 1000).toFixed(2);
  return String(1990 + Math.floor(rand() * 40));
}

/** Each source answer cut into sentences (kept with their end punctuation). */
function sentencesOf(rows) {
  const pool = [];
  const counts = [];
  for (const r of rows) {
    const parts = String(r.answer)
      .split(/(?<=[.!?])\s+/)
      .filter((s) => s.length > 0);
    counts.push(parts.length);
    pool.push(...parts);
  }
  return { pool, counts };
}

/**
 * `count` rows { question, answer } from `source` (the lamini rows), with seed `seed`.
 * A generator: rows are made one at a time, so a million need no memory.
 */
export function* generateRows(source, count, seed) {
  const rand = prng(seed);
  const { pool, counts } = sentencesOf(source);
  const vary = (text, name) => text.replace(/\bLamini\b/g, () => (rand() < 0.5 ? "Lamini" : name)).replace(/\d+/g, (d) => redrawNumber(rand, d));
  for (let i = 0; i < count; i++) {
    // A name per row: a known one, or (one row in four) a made-up one the cache has not seen.
    const name = rand() < 0.25 ? madeUpName(rand) : pick(rand, NAMES);
    const question = vary(String(pick(rand, source).question), name);
    const k = Math.max(1, pick(rand, counts));
    const sentences = [];
    for (let j = 0; j < k; j++) sentences.push(vary(pick(rand, pool), name));
    if (rand() < 0.2) sentences.push(`See ${madeUpName(rand)} ${Math.floor(rand() * 1000)} for details.`);
    yield { question, answer: sentences.join(" ") };
  }
}
