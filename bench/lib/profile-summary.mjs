// Summarizes a V8 .cpuprofile (node --cpu-prof) of `finetune-prep prepare` by pipeline stage:
// Parquet encoding, tokenizing, reading, spilling, garbage collection. Prints a Markdown table.
//   node --cpu-prof --cpu-prof-dir=prof dist/cli/main.js prepare --dataset bench/data/rows-100000.jsonl --out out --no-progress --quiet
//   node bench/lib/profile-summary.mjs prof/*.cpuprofile
import { readFileSync } from "node:fs";

const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const cat = (n) => {
  const u = n.callFrame.url,
    f = n.callFrame.functionName;
  if (f === "(garbage collector)") return "garbage collection";
  if (f === "(idle)" || f === "(program)") return "idle/program";
  if (/hyparquet-writer|hyparquet-compressors|snappy/.test(u) || /parquet-split-writer|write-split|split-writer/.test(u))
    return "Parquet encoding (hyparquet-writer)";
  if (/tokenizer\/|prep\//.test(u) || f.startsWith("RegExp:")) return "tokenizing + prepare (template, labels)";
  if (/spill/.test(u)) return "spilling (temp file)";
  if (/readers\/|dataset\//.test(u) || f === "decode" || f === "read" || f === "parse") return "reading (JSON Lines decode + parse)";
  return `other (${u.split("/").slice(-2).join("/") || f})`;
};
const self = new Map();
for (let i = 0; i < p.samples.length; i++) {
  const k = cat(byId.get(p.samples[i]));
  self.set(k, (self.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const rows = [...self].sort((a, b) => b[1] - a[1]);
let other = 0;
for (const [k, v] of rows) {
  if (k.startsWith("other") && v / total < 0.01) {
    other += v;
    continue;
  }
  console.log(`| ${k} | ${(v / 1000).toFixed(1)} | ${((100 * v) / total).toFixed(0)} % |`);
}
console.log(`| other (small) | ${(other / 1000).toFixed(1)} | ${((100 * other) / total).toFixed(0)} % |`);
