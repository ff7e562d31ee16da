import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Dataset, type RaggedInt32Column } from "../../src/dataset/index.js";
import { InvalidArgumentError, MissingColumnError } from "../../src/errors.js";
import { DEFAULT_TEMPLATE, prepareInstructionDataset } from "../../src/prep/index.js";
import { Tokenizer } from "../../src/tokenizer/index.js";
import { rejection } from "../helpers/failures.js";
import { pythiaDir } from "../helpers/shared.js";
import { pythiaTokenizer } from "./helpers.js";

let tok: Tokenizer;
beforeAll(async () => {
  tok = await pythiaTokenizer();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const rows = [
  { question: "What is a token?", answer: " A piece of text." },
  { question: "", answer: " An empty question." },
  { question: "Why?", answer: "" },
  { question: "A question that is long enough to be cut at a small max length", answer: " and its answer." },
  { question: "Last?", answer: " Yes." },
];

describe("prepareInstructionDataset", () => {
  it("is stateless across batches: any batchSize gives the same dataset", async () => {
    const ds = Dataset.fromList(rows);
    const whole = await prepareInstructionDataset(ds, tok, { progress: false, onWarning: () => {} });
    const small = await prepareInstructionDataset(ds, tok, { progress: false, batchSize: 2, onWarning: () => {} });
    expect(small.toRows()).toEqual(whole.toRows());
    expect(small.report).toEqual(whole.report);
    expect(whole.report.selection).toEqual({ kind: "pair", prompt: "question", completion: "answer" });
    expect(whole.report.template).toBe(DEFAULT_TEMPLATE);
  });

  it("warns (once, with counts) about empty strings, truncation and rows with nothing to learn", async () => {
    const warnings: string[] = [];
    const ds = await prepareInstructionDataset(Dataset.fromList(rows), tok, {
      maxLength: 12,
      labels: "mask-prompt",
      progress: false,
      onWarning: (m) => warnings.push(m),
    });
    expect(ds.numRows).toBe(5);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('2 rows have an empty string (1 in "question", 1 in "answer")');
    expect(warnings[1]).toMatch(/every label masked/);
    expect(warnings[2]).toMatch(/longer than maxLength 12 and truncated/);
    expect(ds.report.truncatedRows).toBeGreaterThan(0);
    expect((ds.rawColumn("input_ids") as RaggedInt32Column).toArrays().every((r) => r.length <= 12)).toBe(true);
  });

  it("by default warnings go to process.emitWarning", async () => {
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    await prepareInstructionDataset(Dataset.fromList(rows), tok, { progress: false });
    expect(spy).toHaveBeenCalledWith(expect.stringContaining("empty string"), { code: "FINETUNE_PREP_PREPARE" });
  });

  it("an empty dataset gives an empty dataset with the output columns", async () => {
    const ds = await prepareInstructionDataset(Dataset.fromDict({ question: [], answer: [] }), tok, { progress: false });
    expect(ds.numRows).toBe(0);
    expect(ds.columnNames).toEqual(["question", "answer", "input_ids", "attention_mask", "labels"]);
  });

  it("the columns option overrides detection; unused columns are not carried over", async () => {
    const ds = Dataset.fromList([{ id: 1, q: "Hi?", a: " Hello." }]);
    await expect(prepareInstructionDataset(ds, tok, { progress: false })).rejects.toThrow(MissingColumnError);
    const out = await prepareInstructionDataset(ds, tok, { columns: { prompt: "q", completion: "a" }, template: "Q: {q}\nA:", progress: false });
    expect(out.columnNames).toEqual(["q", "a", "input_ids", "attention_mask", "labels"]);
    expect(out.row(0).input_ids).toEqual(tok.encode("Q: Hi?\nA: Hello."));
  });

  it("chat rows use the tokenizer's own chat template when it has one", async () => {
    const withTemplate = new Tokenizer({
      tokenizerJson: JSON.parse(readFileSync(join(pythiaDir(), "tokenizer.json"), "utf8")),
      tokenizerConfig: JSON.parse(readFileSync(join(pythiaDir(), "tokenizer_config.json"), "utf8")),
      chatTemplate: "{% for m in messages %}{{ m.role }}: {{ m.content }}{{ eos_token }}\n{% endfor %}",
      nameOrPath: "pythia-chat",
    });
    const ds = Dataset.fromList([
      {
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      },
    ]);
    const out = await prepareInstructionDataset(ds, withTemplate, { labels: "mask-prompt", progress: false });
    expect(out.row(0).text).toBe("user: Hi<|endoftext|>\nassistant: Hello<|endoftext|>\n");
    const ids = out.row(0).input_ids as number[];
    const labels = out.row(0).labels as number[];
    // "ĠHello" holds the template's space and the assistant's "Hello": it carries assistant text, so it is learned.
    expect(withTemplate.decode(ids.filter((_, j) => labels[j] !== -100))).toBe(" Hello<|endoftext|>");
  });

  it("refuses a bad batchSize, a bad block size for pack, and pack without an EOS token", async () => {
    const ds = Dataset.fromList(rows);
    expect(await rejection(prepareInstructionDataset(ds, tok, { batchSize: 0, progress: false }))).toBeInstanceOf(InvalidArgumentError);
    expect(await rejection(prepareInstructionDataset(ds, tok, { pack: true, maxLength: 0, progress: false }))).toBeInstanceOf(InvalidArgumentError);
    const noEos = new Tokenizer({
      tokenizerJson: JSON.parse(readFileSync(join(pythiaDir(), "tokenizer.json"), "utf8")),
      tokenizerConfig: {},
      nameOrPath: "no-eos",
    });
    expect(noEos.eosTokenId).toBeNull();
    const e = await rejection(prepareInstructionDataset(ds, noEos, { pack: true, progress: false }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toContain("no EOS token");
  });
});
