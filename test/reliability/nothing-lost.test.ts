// Nothing lost: train + test = the input rows, disjoint — checked by the pipeline itself at run time
// (checkSplitIndices, before any file is written) — and the truncated / empty counts it reports are
// the ones in stats.json and in the files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { checkSplitIndices, type PrepareStats, runCli, runPrepare } from "../../src/cli/index.js";
import { loadDataset, readDataFile } from "../../src/dataset/index.js";
import { IntegrityError } from "../../src/errors.js";
import { prepareInstructionDataset } from "../../src/prep/index.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { drain } from "../helpers/drain.js";
import { rejection, thrown } from "../helpers/failures.js";
import { pythiaDir } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

/** How the split is damaged on its way into the pipeline (the seam below). */
const fault = vi.hoisted(() => ({ kind: "none" as "none" | "overlap" | "missing" | "outside" | "duplicate" }));

vi.mock(import("../../src/dataset/index.js"), async (original) => {
  const mod = await original();
  return {
    ...mod,
    trainTestSplitIndices: (n: number, params?: Parameters<typeof mod.trainTestSplitIndices>[1]) => {
      const { train, test } = mod.trainTestSplitIndices(n, params);
      switch (fault.kind) {
        case "overlap":
          return { train, test: [...test.slice(1), train[0]!] };
        case "missing":
          return { train: train.slice(1), test };
        case "outside":
          return { train: [...train.slice(1), n], test };
        case "duplicate":
          return { train: [...train.slice(1), train[2]!], test };
        default:
          return { train, test };
      }
    },
  };
});

const tmp = tempDir("ftp-lost-");
let tok: Tokenizer;
let pythia: string;

interface QA {
  question: string;
  answer: string;
}

/** 40 rows, every answer distinct: some long (truncated at maxLength 24), two with an empty string. */
const rows: QA[] = Array.from({ length: 40 }, (_, i) => ({
  question: i === 7 ? "" : `Question number ${i}?`,
  answer: i === 11 ? "" : ` Answer ${i}.${i % 3 === 0 ? " It goes on for a while, with more words than the limit allows.".repeat(2) : ""}`,
}));
const MAX_LENGTH = 24;

beforeAll(async () => {
  pythia = pythiaDir();
  tok = await loadTokenizer(pythia);
});

const jsonl = (data = rows, name = "qa.jsonl") => tmp.write(name, `${data.map((r) => JSON.stringify(r)).join("\n")}\n`);
// CSV cannot hold an empty string (pandas reads an empty cell as missing, null): those two rows get text.
const csvRows = rows.map((r) => ({ question: r.question || "(no question)", answer: r.answer || " (no answer)" }));
const csv = () =>
  tmp.write("qa.csv", `question,answer\n${csvRows.map((r) => [r.question, r.answer].map((v) => `"${v.replaceAll('"', '""')}"`).join(",")).join("\n")}\n`);

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe("checkSplitIndices: the run-time check", () => {
  it("accepts a split that covers every row once", () => {
    expect(() => checkSplitIndices(5, { train: [4, 0, 2], test: [1, 3] })).not.toThrow();
    expect(() => checkSplitIndices(0, { train: [], test: [] })).not.toThrow();
  });

  for (const [what, n, indices, message] of [
    ["a row in both splits", 5, { train: [4, 0, 2], test: [1, 2] }, "Row 2 is in the split twice (train and test must be disjoint)."],
    ["a row twice in one split", 5, { train: [4, 4, 2], test: [1, 3] }, "Row 4 is in the split twice"],
    ["a row missing", 5, { train: [4, 0], test: [1, 3] }, "train (2) + test (2) rows ≠ 5 input rows."],
    ["a row that does not exist", 5, { train: [4, 0, 5], test: [1, 3] }, "The split holds row 5, outside the 5 input rows."],
    ["a negative index", 5, { train: [4, 0, -1], test: [1, 3] }, "The split holds row -1, outside the 5 input rows."],
    ["a fractional index", 5, { train: [4, 0, 2.5], test: [1, 3] }, "The split holds row 2.5"],
  ] as const) {
    it(`refuses ${what} (IntegrityError)`, () => {
      const e = thrown(() => checkSplitIndices(n, { train: [...indices.train], test: [...indices.test] }));
      expect(e).toBeInstanceOf(IntegrityError);
      expect(e.message).toContain(message);
    });
  }
});

describe("the pipeline checks its own split before writing anything", () => {
  for (const input of ["jsonl (streamed)", "csv (in memory)"] as const) {
    for (const kind of ["overlap", "missing", "outside", "duplicate"] as const) {
      it(`${input}: a faulty split (${kind}) stops the run with an IntegrityError; nothing written`, async () => {
        const out = tmp.path(`faulty-${kind}-${input.split(" ")[0]}`);
        fault.kind = kind;
        try {
          const e = await rejection(
            runPrepare({ dataset: input.startsWith("jsonl") ? jsonl() : csv(), tokenizer: pythia, out, progress: false, maxLength: MAX_LENGTH }),
          );
          expect(e).toBeInstanceOf(IntegrityError);
          expect(e.message).toMatch(/split|rows/);
        } finally {
          fault.kind = "none";
        }
        expect(filesIn(out)).toEqual([]);
      });
    }
  }

  it("the CLI reports it as an error (exit 1, the message, no stack), not a crash", async () => {
    const out = tmp.path("faulty-cli");
    const io = { stdout: "", stderr: "" };
    fault.kind = "overlap";
    let code: number;
    try {
      code = await runCli(["prepare", "--dataset", jsonl(), "--tokenizer", pythia, "--out", out, "--no-progress", "--quiet"], {
        stdout: { write: (s: string) => (io.stdout += s) },
        stderr: { write: (s: string) => (io.stderr += s) },
        env: { ...process.env, DEBUG: "" },
      });
    } finally {
      fault.kind = "none";
    }
    expect(code).toBe(1);
    expect(io.stderr).toMatch(/^error: Row \d+ is in the split twice \(train and test must be disjoint\)\.$/m);
    expect(io.stderr).not.toMatch(/^\s+at /m);
    expect(filesIn(out)).toEqual([]);
  });
});

describe("the counts reported are the counts in stats.json and in the files", () => {
  let stats: PrepareStats;
  let out: string;
  const cliIo = { stdout: "", stderr: "" };

  beforeAll(async () => {
    out = tmp.path("counts");
    const code = await runCli(
      [
        "prepare",
        "--dataset",
        jsonl(),
        "--tokenizer",
        pythia,
        "--out",
        out,
        "--no-progress",
        "--max-length",
        String(MAX_LENGTH),
        "--test-size",
        "0.25",
        "--seed",
        "5",
      ],
      {
        stdout: { write: (s: string) => (cliIo.stdout += s) },
        stderr: { write: (s: string) => (cliIo.stderr += s) },
        env: { ...process.env, DEBUG: "" },
      },
    );
    expect(code, cliIo.stderr).toBe(0);
    stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8")) as PrepareStats;
  });

  it("train + test hold every input row exactly once (read back from the files)", async () => {
    const train = (await drain(readDataFile(join(out, "train.parquet")))).rows;
    const test = (await drain(readDataFile(join(out, "test.parquet")))).rows;
    expect(stats.rows).toEqual({ input: 40, train: 30, test: 10 });
    expect(train).toHaveLength(stats.rows.train!);
    expect(test).toHaveLength(stats.rows.test!);
    const answers = [...train, ...test].map((r) => r.answer as string);
    expect(new Set(answers).size).toBe(40);
    expect([...answers].sort()).toEqual(rows.map((r) => r.answer).sort());
  });

  it("truncated and empty counts equal the library's report and an independent count", async () => {
    const ds = await loadDataset(jsonl(), { split: "train", progress: false });
    const prepared = await prepareInstructionDataset(ds, tok, { maxLength: MAX_LENGTH, progress: false, onWarning: () => {} });
    const report = prepared.report;
    // Independently: rows whose formatted text is longer than maxLength tokens.
    const full = tok.encodeBatchIds(
      rows.map((r) => `### Question:\n${r.question}\n\n### Answer:${r.answer}`),
      { addSpecialTokens: false },
    );
    const longer = full.filter((ids) => ids.length > MAX_LENGTH).length;
    expect(longer).toBeGreaterThan(5);
    expect(report.truncatedRows).toBe(longer);
    expect(stats.truncatedRows).toBe(longer);
    expect(stats.splits.train!.truncated + stats.splits.test!.truncated).toBe(longer);
    expect(report).toMatchObject({ emptyRows: 2, emptyByColumn: { question: 1, answer: 1 } });
    expect(stats).toMatchObject({ emptyRows: 2, emptyByColumn: { question: 1, answer: 1 } });
    // Every written row is at most maxLength tokens, and exactly `longer` of them are cut to it.
    const written = [...(await drain(readDataFile(join(out, "train.parquet")))).rows, ...(await drain(readDataFile(join(out, "test.parquet")))).rows];
    expect(written.every((r) => (r.input_ids as number[]).length <= MAX_LENGTH)).toBe(true);
    expect(stats.splits.train!.tokens + stats.splits.test!.tokens).toBe(written.reduce((s, r) => s + (r.input_ids as number[]).length, 0));
    expect(stats.splits.train!.tokenLengths.count + stats.splits.test!.tokenLengths.count).toBe(40);
  });

  it("the CLI's summary and warnings say the same numbers", () => {
    expect(cliIo.stdout).toContain(`${stats.truncatedRows} rows truncated`);
    expect(cliIo.stdout).toContain("2 rows with an empty string (kept)");
    expect(cliIo.stderr).toContain(`warning: ${stats.truncatedRows} rows were longer than maxLength ${MAX_LENGTH} and truncated`);
    expect(cliIo.stderr).toContain('warning: 2 rows have an empty string (1 in "question", 1 in "answer"); kept as they are.');
  });

  it("CSV (read whole) and JSON Lines (streamed) give the same counts", async () => {
    const options = { tokenizer: pythia, progress: false, maxLength: MAX_LENGTH, testSize: 0.25, seed: 5 };
    const result = await runPrepare({ ...options, dataset: csv(), out: tmp.path("counts-csv") });
    const streamed = await runPrepare({ ...options, dataset: jsonl(csvRows, "qa-no-empty.jsonl"), out: tmp.path("counts-jsonl") });
    const pick = (s: PrepareStats) => ({
      rows: s.rows,
      truncatedRows: s.truncatedRows,
      emptyRows: s.emptyRows,
      emptyByColumn: s.emptyByColumn,
      splits: Object.fromEntries(
        Object.entries(s.splits).map(([k, v]) => [k, { rows: v.rows, examples: v.examples, tokens: v.tokens, truncated: v.truncated }]),
      ),
    });
    expect(pick(result.stats)).toEqual(pick(streamed.stats));
    expect(result.stats.truncatedRows).toBe(stats.truncatedRows);
  });

  it("blank lines the readers skip are counted in stats.json and the summary: JSON Lines (streamed or not), CSV (read whole)", async () => {
    // A blank line before every 8th row: 5 of them, plus one of spaces only in the JSON Lines file.
    const withBlanks = (lines: string[], extra: string[] = []) => `${[...lines.flatMap((l, i) => (i % 8 === 0 ? ["", l] : [l])), ...extra].join("\n")}\n`;
    const jsonlFile = tmp.write(
      "blank-lines.jsonl",
      withBlanks(
        csvRows.map((r) => JSON.stringify(r)),
        ["   "],
      ),
    );
    const csvFile = tmp.write(
      "blank-lines.csv",
      `question,answer\n${withBlanks(csvRows.map((r) => [r.question, r.answer].map((v) => `"${v.replaceAll('"', '""')}"`).join(",")))}`,
    );
    const options = { tokenizer: pythia, progress: false, maxLength: MAX_LENGTH, warn: () => {} };
    for (const [file, expected, streaming] of [
      [jsonlFile, 6, true],
      [jsonlFile, 6, false],
      [csvFile, 5, false],
    ] as const) {
      const { summary } = await drain(readDataFile(file));
      expect(summary.blankLines, file).toBe(expected);
      const { stats } = await runPrepare({ ...options, dataset: file, streaming, out: tmp.path(`blank-lines-${streaming}-${file.slice(-3)}`) });
      expect(stats.rows.input).toBe(40);
      expect(stats.skippedBlankLines, `${file}, streaming: ${streaming}`).toBe(expected);
    }
    const cli = { stdout: "", stderr: "" };
    const code = await runCli(["prepare", "--dataset", jsonlFile, "--tokenizer", pythia, "--out", tmp.path("blank-lines-cli"), "--no-progress"], {
      stdout: { write: (s: string) => (cli.stdout += s) },
      stderr: { write: (s: string) => (cli.stderr += s) },
      env: { ...process.env, DEBUG: "" },
    });
    expect(code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain("6 blank lines skipped");
  });
});
