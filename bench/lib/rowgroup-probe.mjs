// One row group of `prepare`'s output (10,000 rows of bench/data/rows-20000.jsonl, Pythia ids),
// encoded once per encoding choice: time and bytes per column. Not part of `npm run bench`.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { useDictionary } from "hyparquet-writer/src/dictionary.js";
import { hubEnv } from "./common.mjs";

Object.assign(process.env, hubEnv());
const lib = await import("../../dist/index.js");
const rows = readFileSync(new URL("../data/rows-20000.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(0, 10000)
  .map((l) => JSON.parse(l));
const tok = await lib.loadTokenizer("EleutherAI/pythia-70m");
const ids = tok.encodeBatchFlat(rows.map((r) => `### Question:\n${r.question}\n\n### Answer:${r.answer}`));
const mask = lib.RaggedInt32Column.fromArrays(Array.from({ length: ids.length }, (_, i) => new Array(ids.get(i).length).fill(1)));
const cols = { question: rows.map((r) => r.question), answer: rows.map((r) => r.answer) };
for (const [name, values] of Object.entries({ ...cols, input_ids: ids.values, attention_mask: mask.values })) {
  const t = performance.now();
  const { dictionary } = useDictionary(values, typeof values[0] === "string" ? "BYTE_ARRAY" : "INT32", undefined, undefined, undefined, false);
  console.log(
    `useDictionary ${name}: ${(performance.now() - t).toFixed(1)} ms, ${dictionary ? `kept (${dictionary.length} values)` : "declined"} of ${values.length}`,
  );
}
const { RowGroupParquetWriter } = await import("../../dist/io/row-group-parquet-writer.js");
const { ByteWriter } = await import("hyparquet-writer");
const schema = [
  { name: "root", num_children: 4 },
  { name: "question", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  { name: "answer", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
  ...["input_ids", "attention_mask"].flatMap((name) => [
    { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
    { name: "list", repetition_type: "REPEATED", num_children: 1 },
    { name: "element", type: "INT32", repetition_type: "OPTIONAL" },
  ]),
];
for (const [label, idsEnc, maskEnc] of [
  ["library's choice", undefined, undefined],
  ["ids DELTA_BINARY_PACKED", "DELTA_BINARY_PACKED", "DELTA_BINARY_PACKED"],
  ["ids PLAIN", "PLAIN", "PLAIN"],
  ["ids PLAIN, mask DELTA", "PLAIN", "DELTA_BINARY_PACKED"],
  ["library again", undefined, undefined],
]) {
  const writer = new RowGroupParquetWriter({ writer: new ByteWriter(), schema });
  const t = performance.now();
  let at = 0;
  const sizes = [];
  for (const [name, data, encoding] of [
    ["question", cols.question],
    ["answer", cols.answer],
    ["input_ids", ids, idsEnc],
    ["attention_mask", mask, maskEnc],
  ]) {
    const t0 = performance.now();
    writer.writeRowGroup([{ name, data, encoding }], 10000);
    sizes.push(`${(performance.now() - t0).toFixed(0)} ms`);
    sizes.push(`${name} ${((writer.writer.offset - at) / 1e6).toFixed(2)} MB`);
    at = writer.writer.offset;
  }
  console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms; ${sizes.join(", ")}`);
}
