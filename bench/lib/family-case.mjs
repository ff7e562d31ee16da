// One bench process for one tokenizer family: loading, a cold pass (the first on a fresh
// tokenizer) and warm passes of the project (prepareInstructionDataset: format + tokenize + labels)
// against the Rust engine (npm `tokenizers`: Tokenizer.fromFile, encodeBatch) on the lamini texts,
// side by side in this process. Prints one JSON line. Run by bench/run.mjs.
import { join } from "node:path";
import { IdsHash, importLibrary, median } from "./common.mjs";

const config = JSON.parse(process.argv[2]);
const lib = await importLibrary();
const ds = await lib.loadDataset("kotzeje/lamini_docs.jsonl", { split: "train" });
const questions = ds.column("question");
const answers = ds.column("answer");
// The texts prepareInstructionDataset tokenizes: the default template + the answer.
const texts = questions.map((q, i) => `### Question:\n${q}\n\n### Answer:${answers[i]}`);
const { Tokenizer: Rust } = await import("tokenizers");
const file = config.dir ? join(config.dir, "tokenizer.json") : (await lib.resolveTokenizerFiles(config.hubId)).tokenizerJson;
const source = config.dir ?? config.hubId;
const prepareOptions = { progress: false, onWarning: () => {}, maxLength: 1 << 30 };

async function rustPass(rust) {
  const t0 = performance.now();
  const encodings = await rust.encodeBatch(texts);
  const ms = performance.now() - t0;
  const hash = new IdsHash();
  for (const e of encodings) hash.addRow(e.getIds());
  return { ms, hash: hash.digest(), tokens: hash.tokens };
}

async function ownPass(tok) {
  const t0 = performance.now();
  const prepared = await lib.prepareInstructionDataset(ds, tok, prepareOptions);
  const ms = performance.now() - t0;
  const column = prepared.rawColumn("input_ids");
  const hash = new IdsHash();
  hash.addFlat(column.values, column.offsets);
  return { ms, hash: hash.digest(), tokens: hash.tokens };
}

const timeIt = async (f) => {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
};

// Loading, then the cold pass, alternating which engine goes first across the two rounds.
const result = {
  family: config.family,
  rows: texts.length,
  chars: texts.reduce((n, t) => n + t.length, 0),
  rust: { loadMs: [], coldMs: [], warmMs: [] },
  own: { loadMs: [], coldMs: [], warmMs: [] },
};
let rust;
let tok;
for (let round = 0; round < 2; round++) {
  for (const engine of round === 0 ? ["rust", "own"] : ["own", "rust"]) {
    if (engine === "rust") {
      const load = await timeIt(() => Rust.fromFile(file));
      rust = load.value;
      result.rust.loadMs.push(load.ms);
      const cold = await rustPass(rust);
      result.rust.coldMs.push(cold.ms);
      result.rust.hash = cold.hash;
      result.rust.tokens = cold.tokens;
    } else {
      const load = await timeIt(() => lib.loadTokenizer(source));
      tok = load.value;
      result.own.loadMs.push(load.ms);
      const cold = await ownPass(tok);
      result.own.coldMs.push(cold.ms);
      result.own.hash = cold.hash;
      result.own.tokens = cold.tokens;
      result.own.fastPath = tok.fastPath;
    }
  }
}
for (let r = 0; r < config.reps; r++) {
  for (const engine of r % 2 === 0 ? ["rust", "own"] : ["own", "rust"]) {
    if (engine === "rust") result.rust.warmMs.push((await rustPass(rust)).ms);
    else result.own.warmMs.push((await ownPass(tok)).ms);
  }
}
for (const e of [result.rust, result.own]) {
  e.load = median(e.loadMs);
  e.cold = median(e.coldMs);
  e.warm = median(e.warmMs);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
