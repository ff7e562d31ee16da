// The native pipeline `finetune-prep prepare` is compared with: DuckDB converts the same JSON Lines
// file to Parquet, then the Rust engine (npm `tokenizers`) tokenizes every row read back from that
// Parquet file (DuckDB streaming it chunk by chunk; encodeBatch on the formatted texts). Less work
// than prepare (no labels, no split, no statistics), all native code, both cores (DuckDB and Rust
// use threads). Prints one JSON line: the times of each step. Run by bench/run.mjs in its own process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { IdsHash, importLibrary, peakRssMB } from "./common.mjs";

const { input, hubId } = JSON.parse(process.argv[2]);
const lib = await importLibrary();
const { Tokenizer: Rust } = await import("tokenizers");
const dir = mkdtempSync(join(tmpdir(), "bench-native-"));
const parquet = join(dir, "rows.parquet");
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
const t0 = performance.now();
const instance = await DuckDBInstance.create(":memory:");
const conn = await instance.connect();
await conn.run(`COPY (SELECT * FROM read_json_auto(${quote(input)})) TO ${quote(parquet)} (FORMAT parquet)`);
const t1 = performance.now();
const rust = Rust.fromFile((await lib.resolveTokenizerFiles(hubId)).tokenizerJson);
const result = await conn.stream(`SELECT question, answer FROM read_parquet(${quote(parquet)})`);
const hash = new IdsHash();
let rows = 0;
let texts = [];
const flush = async () => {
  const encodings = await rust.encodeBatch(texts);
  for (const e of encodings) hash.addRow(e.getIds());
  rows += texts.length;
  texts = [];
};
for (;;) {
  const chunk = await result.fetchChunk();
  if (chunk === null || chunk.rowCount === 0) break;
  const [questions, answers] = chunk.getColumns();
  for (let i = 0; i < questions.length; i++) texts.push(`### Question:\n${questions[i]}\n\n### Answer:${answers[i]}`);
  if (texts.length >= 10_000) await flush();
}
if (texts.length > 0) await flush();
const t2 = performance.now();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({ rows, tokens: hash.tokens, duckdbSeconds: (t1 - t0) / 1000, tokenizeSeconds: (t2 - t1) / 1000, seconds: (t2 - t0) / 1000, peakRssMB: peakRssMB(), idsDigest: hash.digest() })}\n`,
);
