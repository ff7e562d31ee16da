import { beforeAll, describe, expect, it } from "vitest";
import type { RaggedInt32Column } from "../../src/dataset/index.js";
import { ColumnTypeError, InvalidArgumentError, MissingColumnError, TemplateError } from "../../src/errors.js";
import { countPromptTokens, IGNORE_INDEX, type PreparedBatch, prepareBatch } from "../../src/prep/index.js";
import type { Tokenizer } from "../../src/tokenizer/index.js";
import { thrown } from "../helpers/failures.js";
import { pythiaTokenizer, tokenizerWithSpecials } from "./helpers.js";

let tok: Tokenizer;
beforeAll(async () => {
  tok = await pythiaTokenizer();
});

const rowsOf = (b: PreparedBatch, name: string) => (b.columns.get(name) as RaggedInt32Column).toArrays();
const PROMPT = "### Question:\nWhat?\n\n### Answer:";

describe("prepareBatch: ids", () => {
  it("tokenizes prompt + answer as one string, as the original", () => {
    const b = prepareBatch([{ question: "What?", answer: " Yes." }], tok);
    expect(rowsOf(b, "input_ids")).toEqual([tok.encode(`${PROMPT} Yes.`)]);
    expect([...b.columns.keys()]).toEqual(["question", "answer", "input_ids", "attention_mask", "labels"]);
    expect(b.columns.get("question")).toEqual([PROMPT]);
    expect(Array.from(b.lengths)).toEqual([tok.encode(`${PROMPT} Yes.`).length]);
  });

  it("truncates like Python's tokenizer (left and right), counting what was cut", () => {
    const rows = [
      { question: "A long question about the tokenizer", answer: " and an even longer answer that goes on." },
      { question: "Short", answer: "." },
    ];
    const texts = rows.map((r) => `### Question:\n${r.question}\n\n### Answer:${r.answer}`);
    for (const side of ["left", "right"] as const) {
      const b = prepareBatch(rows, tok, { maxLength: 12, truncationSide: side });
      expect(rowsOf(b, "input_ids")).toEqual(tok.batchEncode(texts, { truncation: true, maxLength: 12, truncationSide: side }).inputIds);
      const full = tok.encodeBatchIds(texts);
      expect(b.report.truncatedRows).toBe(full.filter((ids) => ids.length > 12).length);
      expect(b.report.truncatedTokens).toBe(full.reduce((s, ids) => s + Math.max(0, ids.length - 12), 0));
      expect(Array.from(b.lengths)).toEqual(full.map((ids) => ids.length));
    }
  });

  it("adds the special tokens the tokenizer adds (BOS/EOS), inside maxLength, as Python does", () => {
    const special = tokenizerWithSpecials({ bos: true, eos: true });
    const rows = [{ question: "What is it?", answer: " A long answer with several words in it." }];
    const text = `### Question:\nWhat is it?\n\n### Answer: A long answer with several words in it.`;
    for (const side of ["left", "right"] as const) {
      const b = prepareBatch(rows, special, { maxLength: 10, truncationSide: side });
      expect(rowsOf(b, "input_ids")).toEqual(special.batchEncode([text], { truncation: true, maxLength: 10, truncationSide: side }).inputIds);
      expect(rowsOf(b, "input_ids")[0]![0]).toBe(0);
      expect(rowsOf(b, "input_ids")[0]!.at(-1)).toBe(1);
    }
    expect(rowsOf(prepareBatch(rows, special), "input_ids")).toEqual([special.encode(text)]);
    expect(thrown(() => prepareBatch(rows, special, { maxLength: 1 }))).toBeInstanceOf(InvalidArgumentError);
  });

  it("keeps an empty answer (counted), and reports empty strings per column", () => {
    const b = prepareBatch(
      [
        { question: "", answer: "a" },
        { question: "q", answer: "" },
        { question: "q", answer: "a" },
      ],
      tok,
    );
    expect(b.numRows).toBe(3);
    expect(b.report.emptyRows).toBe(2);
    expect(b.report.emptyByColumn).toEqual({ question: 1, answer: 1 });
  });
});

describe("prepareBatch: labels", () => {
  it('"copy": labels are the input_ids; attention_mask is all ones', () => {
    const b = prepareBatch([{ question: "What?", answer: " Yes." }], tok);
    expect(rowsOf(b, "labels")).toEqual(rowsOf(b, "input_ids"));
    expect(rowsOf(b, "attention_mask")[0]!.every((v) => v === 1)).toBe(true);
    expect(b.report.maskedTokens).toBe(0);
  });

  it("\"mask-prompt\": -100 on the prompt's tokens, ids on the answer's", () => {
    const b = prepareBatch([{ question: "What?", answer: " Yes, it is." }], tok, { labels: "mask-prompt" });
    const n = tok.encode(PROMPT).length;
    const ids = rowsOf(b, "input_ids")[0]!;
    expect(rowsOf(b, "labels")[0]).toEqual(ids.map((id, j) => (j < n ? IGNORE_INDEX : id)));
    expect(b.report.maskedTokens).toBe(n);
    expect(b.report.boundaryMergedRows).toBe(0);
  });

  // "Answer:" + ":-)" tokenizes as … "ĠAnswer" "::" "-)": the "::" token holds the prompt's ":" and the
  // answer's first ":". It carries answer text, so it is learned; only the tokens wholly inside the prompt are masked.
  it.each([
    [":-)", ["::", "-)"]],
    ["/path", [":/", "path"]],
    [": yes", ["::", "Ġyes"]],
    [")", [":)"]],
    [".", [":."]],
  ])("answer %j merging with the prompt's last token: the straddling token is learned", (answer, answerTokens) => {
    const b = prepareBatch([{ question: "What?", answer }], tok, { labels: "mask-prompt" });
    const ids = rowsOf(b, "input_ids")[0]!;
    const labels = rowsOf(b, "labels")[0]!;
    expect(ids).toEqual(tok.encode(PROMPT + answer));
    const tokens = tok.convertIdsToTokens(ids);
    expect(tokens.slice(-answerTokens.length)).toEqual(answerTokens);
    const firstLearned = ids.length - answerTokens.length;
    // The prompt alone ends with ":" — one token more than the masked part.
    expect(tok.encode(PROMPT).length).toBe(firstLearned + 1);
    expect(labels).toEqual(ids.map((id, j) => (j < firstLearned ? IGNORE_INDEX : id)));
    expect(b.report.boundaryMergedRows).toBe(1);
    expect(countPromptTokens(tok, PROMPT + answer, PROMPT.length, ids, tok.encode(PROMPT))).toEqual({ count: firstLearned, merged: true });
  });

  it("no merge when the answer starts with a space or a letter run of its own", () => {
    for (const answer of [" ok", "\n\nx", "!!!", "-> x"]) {
      const b = prepareBatch([{ question: "What?", answer }], tok, { labels: "mask-prompt" });
      expect(b.report.boundaryMergedRows).toBe(0);
      expect(rowsOf(b, "labels")[0]!.filter((l) => l === IGNORE_INDEX)).toHaveLength(tok.encode(PROMPT).length);
    }
  });

  it("with left truncation the mask follows the tokens that remain", () => {
    const row = { question: "What is the answer to this?", answer: " It is a fairly long answer." };
    const full = prepareBatch([row], tok, { labels: "mask-prompt", maxLength: 10_000 });
    const fullIds = rowsOf(full, "input_ids")[0]!;
    const fullLabels = rowsOf(full, "labels")[0]!;
    for (const max of [fullIds.length - 3, 8, 3]) {
      const left = prepareBatch([row], tok, { labels: "mask-prompt", maxLength: max, truncationSide: "left" });
      expect(rowsOf(left, "input_ids")[0]).toEqual(fullIds.slice(-max));
      expect(rowsOf(left, "labels")[0]).toEqual(fullLabels.slice(-max));
      const right = prepareBatch([row], tok, { labels: "mask-prompt", maxLength: max, truncationSide: "right" });
      expect(rowsOf(right, "labels")[0]).toEqual(fullLabels.slice(0, max));
    }
    // Right truncation into the prompt leaves nothing to learn: counted.
    const cut = prepareBatch([row], tok, { labels: "mask-prompt", maxLength: 3, truncationSide: "right" });
    expect(cut.report.fullyMaskedRows).toBe(1);
  });

  it("masks the special tokens before the text and learns those after it", () => {
    const special = tokenizerWithSpecials({ bos: true, eos: true });
    const b = prepareBatch([{ question: "What?", answer: " Yes." }], special, { labels: "mask-prompt" });
    const ids = rowsOf(b, "input_ids")[0]!;
    const labels = rowsOf(b, "labels")[0]!;
    const promptOwn = special.encode(PROMPT, { addSpecialTokens: false }).length;
    expect(ids[0]).toBe(0);
    expect(labels[0]).toBe(IGNORE_INDEX);
    expect(labels.slice(1, 1 + promptOwn).every((l) => l === IGNORE_INDEX)).toBe(true);
    expect(labels.slice(1 + promptOwn)).toEqual(ids.slice(1 + promptOwn));
    expect(labels.at(-1)).toBe(1);
  });
});

describe("prepareBatch: column kinds", () => {
  it("instruction/response and input/output: no template by default, the text is prompt + completion", () => {
    const a = prepareBatch([{ instruction: "Say hi", response: " hi" }], tok);
    expect(a.columns.get("instruction")).toEqual(["Say hi"]);
    expect(rowsOf(a, "input_ids")).toEqual([tok.encode("Say hi hi")]);
    const b = prepareBatch([{ input: "1+1=", output: "2" }], tok, { template: "Q: {input}\nA: " });
    expect(b.columns.get("input")).toEqual(["Q: 1+1=\nA: "]);
    expect(rowsOf(b, "input_ids")).toEqual([tok.encode("Q: 1+1=\nA: 2")]);
  });

  it("text rows: the text as it is; mask-prompt is refused (there is no prompt)", () => {
    const b = prepareBatch([{ text: "Hello world" }], tok);
    expect([...b.columns.keys()]).toEqual(["text", "input_ids", "attention_mask", "labels"]);
    expect(rowsOf(b, "input_ids")).toEqual([tok.encode("Hello world")]);
    const e = thrown(() => prepareBatch([{ text: "x" }], tok, { labels: "mask-prompt" }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toContain("mask-prompt");
  });

  it("a template may use other columns of the row", () => {
    const b = prepareBatch([{ context: "C", question: "Q", answer: "A" }], tok, { template: "{context}\n{question}\n" });
    expect(b.columns.get("question")).toEqual(["C\nQ\n"]);
  });
});

describe("prepareBatch: errors name the row and column", () => {
  it("null or number values: ColumnTypeError at the dataset row (rowOffset)", () => {
    const e = thrown(() =>
      prepareBatch(
        [
          { question: "q", answer: "a" },
          { question: "q", answer: null },
        ],
        tok,
        { rowOffset: 1000 },
      ),
    ) as ColumnTypeError;
    expect(e).toBeInstanceOf(ColumnTypeError);
    expect(e.row).toBe(1001);
    expect(e.column).toBe("answer");
    expect(e.message).toMatch(/^Row 1001, column "answer": expected text, found null/);
    const f = thrown(() => prepareBatch([{ question: 7, answer: "a" }], tok)) as ColumnTypeError;
    expect(f.column).toBe("question");
    expect(f.found).toBe("number");
  });

  it("a template placeholder that is not a column: TemplateError listing the columns, before any work", () => {
    const e = thrown(() => prepareBatch([{ question: "q", answer: "a" }], tok, { template: "{prompt}" })) as TemplateError;
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.placeholder).toBe("prompt");
    expect(e.message).toContain('["question","answer"]');
  });

  it("no usable columns: MissingColumnError", () => {
    expect(thrown(() => prepareBatch([{ q: "x" }], tok))).toBeInstanceOf(MissingColumnError);
  });

  it.each([
    [{ maxLength: 0 }, "maxLength"],
    [{ maxLength: 1.5 }, "maxLength"],
    [{ truncationSide: "middle" }, "truncationSide"],
    [{ labels: "all" }, "labels"],
  ])("bad option %j: InvalidArgumentError", (options, argument) => {
    const e = thrown(() => prepareBatch([{ question: "q", answer: "a" }], tok, options as never)) as InvalidArgumentError;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.argument).toBe(argument);
  });

  it("an empty batch is fine", () => {
    const b = prepareBatch([], tok, { columns: { prompt: "question", completion: "answer" } });
    expect(b.numRows).toBe(0);
    expect(rowsOf(b, "input_ids")).toEqual([]);
  });
});
