// The generated inputs of the bench, written once into bench/data/ (git-ignored) and reused while
// the generator and its seed are unchanged.
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir, importLibrary } from "./common.mjs";
import { generateRows } from "./generate-rows.mjs";

/** Bump when generate-rows.mjs changes what it makes. */
const GENERATOR_VERSION = 1;

/** bench/data/rows-<count>.jsonl: `count` rows generated from `source` (the lamini rows) with `seed`. */
export async function ensureJsonl(source, count, seed) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `rows-${count}.jsonl`);
  const metaFile = `${file}.meta.json`;
  const meta = JSON.stringify({ generator: GENERATOR_VERSION, count, seed, sourceRows: source.length });
  if (existsSync(file) && existsSync(metaFile) && readFileSync(metaFile, "utf8") === meta) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  let chunk = "";
  for (const row of generateRows(source, count, seed)) {
    chunk += `${JSON.stringify(row)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  renameSync(tmp, file);
  writeFileSync(metaFile, meta);
  return file;
}

/** bench/data/rows-<count>.parquet: the same rows as the JSON Lines file, written by the library (row groups of 10,000). */
export async function ensureParquet(source, count, seed) {
  const jsonl = await ensureJsonl(source, count, seed);
  const file = join(dataDir, `rows-${count}.parquet`);
  const metaFile = `${file}.meta.json`;
  const meta = readFileSync(`${jsonl}.meta.json`, "utf8");
  if (existsSync(file) && existsSync(metaFile) && readFileSync(metaFile, "utf8") === meta) return file;
  const lib = await importLibrary();
  const writer = lib.createSplitWriter(dataDir, `rows-${count}`, { format: "parquet" });
  let questions = [];
  let answers = [];
  const flush = async () => {
    await writer.write({ question: questions, answer: answers });
    questions = [];
    answers = [];
  };
  for (const row of generateRows(source, count, seed)) {
    questions.push(row.question);
    answers.push(row.answer);
    if (questions.length === 10_000) await flush();
  }
  if (questions.length > 0) await flush();
  await writer.close();
  writeFileSync(metaFile, meta);
  return file;
}
