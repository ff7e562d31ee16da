// One bench process: loads a dataset, then times the engines it is given on the same texts —
// each once to warm up (its "first run"), then `reps` rounds in rotating order — and prints one
// JSON line. Run by bench/run.mjs; with a single engine, no warm-up and one rep, its peak RSS is
// that engine's.
import { IdsHash, importLibrary, median, peakRssMB } from "./common.mjs";

const config = JSON.parse(process.argv[2]);
const lib = await importLibrary();
const ds =
  config.input === "lamini" ? await lib.loadDataset("kotzeje/lamini_docs.jsonl", { split: "train" }) : await lib.loadDataset(config.input, { split: "train" });
const questions = ds.column("question");
const answers = ds.column("answer");
// The texts prepareInstructionDataset tokenizes: the default template + the answer.
const texts = questions.map((q, i) => `### Question:\n${q}\n\n### Answer:${answers[i]}`);
const RUST_CHUNK = 10_000;

async function makeEngine(name) {
  if (name === "rust") {
    const { Tokenizer } = await import("tokenizers");
    const files = await lib.resolveTokenizerFiles("EleutherAI/pythia-70m");
    const rust = Tokenizer.fromFile(files.tokenizerJson);
    return async () => {
      // Timed: encodeBatch only. Reading the ids out of the encodings (for the digest) is not.
      let ms = 0;
      const hash = new IdsHash();
      for (let i = 0; i < texts.length; i += RUST_CHUNK) {
        const chunk = texts.slice(i, i + RUST_CHUNK);
        const t0 = performance.now();
        const encodings = await rust.encodeBatch(chunk);
        ms += performance.now() - t0;
        for (const e of encodings) hash.addRow(e.getIds());
      }
      return { ms, hash };
    };
  }
  const tok = await lib.loadTokenizer("EleutherAI/pythia-70m");
  const timed = async (run) => {
    const t0 = performance.now();
    const column = await run();
    const ms = performance.now() - t0;
    const hash = new IdsHash();
    hash.addFlat(column.values, column.offsets);
    return { ms, hash };
  };
  if (name === "prepare") {
    // The whole prepareInstructionDataset path: formatting, tokenization, truncation, labels.
    return () => timed(async () => (await lib.prepareInstructionDataset(ds, tok, { progress: false, onWarning: () => {} })).rawColumn("input_ids"));
  }
  if (name === "encodeBatchFlat") return () => timed(async () => tok.encodeBatchFlat(texts));
  if (name === "encodeBatchFlatAsync") return () => timed(() => tok.encodeBatchFlatAsync(texts));
  throw new Error(`unknown engine ${name}`);
}

const engines = [];
for (const name of config.engines) engines.push({ name, run: await makeEngine(name), runs: [], first: undefined, hash: undefined, tokens: 0 });
const record = (engine, { ms, hash }) => {
  const digest = hash.digest();
  if (engine.hash !== undefined && engine.hash !== digest) throw new Error(`${engine.name}: ids changed between runs`);
  engine.hash = digest;
  engine.tokens = hash.tokens;
  return ms;
};
if (config.warmup) for (const e of engines) e.first = record(e, await e.run());
for (let r = 0; r < config.reps; r++) {
  for (let k = 0; k < engines.length; k++) {
    const e = engines[(k + r) % engines.length];
    const ms = record(e, await e.run());
    if (e.first === undefined) e.first = ms;
    e.runs.push(ms);
  }
}
const result = { input: config.input, rows: texts.length, chars: texts.reduce((n, t) => n + t.length, 0), peakRssMB: peakRssMB(), engines: {} };
for (const e of engines) result.engines[e.name] = { tokens: e.tokens, hash: e.hash, firstMs: e.first, runsMs: e.runs, medianMs: median(e.runs) };
process.stdout.write(`${JSON.stringify(result)}\n`);
// Worker threads of encodeBatchFlatAsync are unref'd: the process ends here.
