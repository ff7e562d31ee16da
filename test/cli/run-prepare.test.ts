// The pipeline and the CLI in-process, on small fixtures the project ships (test/fixtures/cli).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkSplitIndices, readTemplateArgument, runCli, runPrepare } from "../../src/cli/index.js";
import { trainTestSplitIndices } from "../../src/dataset/index.js";
import { IntegrityError, InvalidArgumentError, MalformedRecordError } from "../../src/errors.js";
import { rejection } from "../helpers/failures.js";
import { pythiaDir, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { duckdbRead } from "../io/helpers.js";

const fixtures = join(repoRoot, "test", "fixtures", "cli");
const tmp = tempDir("ftp-run-");
const qa = readFileSync(join(fixtures, "qa.jsonl"), "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l) as { question: string; answer: string });

function io() {
  const out = { stdout: "", stderr: "" };
  return {
    out,
    io: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) }, env: { ...process.env, DEBUG: "" } },
  };
}

describe("runPrepare on a small local file", () => {
  let pythia: string;
  beforeAll(() => {
    pythia = pythiaDir();
  });

  it("template from a file, a count test size, another seed: the split datasets would make", async () => {
    const out = tmp.path("small");
    const result = await runPrepare({
      dataset: join(fixtures, "qa.jsonl"),
      tokenizer: pythia,
      template: readTemplateArgument(`@${join(fixtures, "prompt.txt")}`),
      labels: "mask-prompt",
      testSize: 2,
      seed: 7,
      out,
      progress: false,
    });
    const expected = trainTestSplitIndices(10, { testSize: 2, seed: 7 });
    const { rows } = await duckdbRead(join(out, "test.parquet"));
    expect(rows.map((r) => r.question)).toEqual(expected.test.map((i) => `Q: ${qa[i]!.question}\nA:`));
    expect(rows.map((r) => r.answer)).toEqual(expected.test.map((i) => qa[i]!.answer));
    expect(result.stats.rows).toEqual({ input: 10, train: 8, test: 2 });
    expect(result.stats.template).toBe("Q: {question}\nA:");
    // The ":-)" answer merges with the prompt's last ":" (see countPromptTokens).
    expect(result.stats.boundaryMergedRows).toBe(1);
    expect(JSON.parse(readFileSync(result.statsPath, "utf8")).splits.train.examples).toBe(8);
  });

  it("chat rows with a chat template from a file; only the text and ids are written", async () => {
    const out = tmp.path("chat");
    const result = await runPrepare({
      dataset: join(fixtures, "chat.jsonl"),
      tokenizer: pythia,
      chatTemplate: readTemplateArgument(`@${join(fixtures, "chatml.jinja")}`),
      labels: "mask-prompt",
      testSize: 1,
      out,
      progress: false,
    });
    expect(result.stats.columns).toEqual({ kind: "chat", messages: "messages" });
    expect(result.stats.chatTemplate).toBe(true);
    const { types, rows } = await duckdbRead(join(out, "train.parquet"));
    expect(types).toEqual({ text: "VARCHAR", input_ids: "INTEGER[]", attention_mask: "INTEGER[]", labels: "INTEGER[]" });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect((row.labels as number[]).some((l) => l !== -100)).toBe(true);
  });

  it("packs each split after splitting, so no example spans train and test", async () => {
    const out = tmp.path("packed");
    const result = await runPrepare({
      dataset: join(fixtures, "qa.jsonl"),
      tokenizer: pythia,
      pack: true,
      maxLength: 16,
      testSize: 3,
      out,
      progress: false,
      warn: () => {},
    });
    const test = await duckdbRead(join(out, "test.parquet"));
    expect(test.rows.every((r) => (r.input_ids as number[]).length === 16)).toBe(true);
    expect(result.stats.splits.test!.packing).toMatchObject({ examples: 3, blocks: test.rows.length });
    expect(result.stats.splits.train!.packing!.examples).toBe(7);
    expect(result.stats.rows).toEqual({ input: 10, train: result.stats.splits.train!.packing!.blocks, test: test.rows.length });
  });
});

describe("runCli in-process", () => {
  it("chat rows with a tokenizer without a chat template: exit 1, pointing at --chat-template", async () => {
    const { out, io: cliIo } = io();
    const code = await runCli(
      ["prepare", "--dataset", join(fixtures, "chat.jsonl"), "--tokenizer", pythiaDir(), "--out", tmp.path("x"), "--no-progress"],
      cliIo,
    );
    expect(code).toBe(1);
    expect(out.stderr).toContain("has no chat template");
    expect(out.stderr).toContain("--chat-template");
  });

  it("a template file that does not exist: exit 1 naming it", async () => {
    const { out, io: cliIo } = io();
    const code = await runCli(["prepare", "--template", "@/no/such/prompt.txt"], cliIo);
    expect(code).toBe(1);
    expect(out.stderr).toContain("/no/such/prompt.txt");
  });

  it("column options must come in a usable combination: exit 2", async () => {
    for (const args of [
      ["--prompt-column", "q"],
      ["--text-column", "t", "--messages-column", "m"],
    ]) {
      const { out, io: cliIo } = io();
      expect(await runCli(["prepare", ...args], cliIo)).toBe(2);
      expect(out.stderr).toMatch(/^error: /);
    }
  });

  it("an unexpected failure: exit 1, one line asking for a report, no stack", async () => {
    const { out, io: cliIo } = io();
    const broken = {
      ...cliIo,
      stdout: {
        write: (): unknown => {
          throw new TypeError("stdout is gone");
        },
      },
    };
    const code = await runCli(
      ["prepare", "--dataset", join(fixtures, "qa.jsonl"), "--tokenizer", pythiaDir(), "--out", tmp.path("broken"), "--no-progress", "--test-size", "2"],
      broken,
    );
    expect(code).toBe(1);
    expect(out.stderr).toContain("error: unexpected failure: stdout is gone");
    expect(out.stderr).toContain("please report");
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("a run that fails leaves no --out folder it created", () => {
  const qaLines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ question: `Q${i}?`, answer: ` A${i}.` }));

  it("bad input in the first rows, streamed and in memory: no folder, nor the missing folders above it", async () => {
    const file = tmp.write("fail-early.jsonl", `${[...qaLines(2), "{not json", ...qaLines(2)].join("\n")}\n`);
    for (const streaming of [true, false]) {
      const top = tmp.path(`fail-early-${streaming}`);
      const e = await rejection(runPrepare({ dataset: file, tokenizer: pythiaDir(), out: join(top, "nested", "out"), progress: false, streaming }));
      expect(e).toBeInstanceOf(MalformedRecordError);
      expect(existsSync(top), `streaming: ${streaming}`).toBe(false);
    }
  });

  it("bad input after rows were already spilled into --out: the folder is removed again", async () => {
    // The readers' batches are 1,000 rows: the first ones are prepared and spilled beside the output before line 2,501 fails.
    const file = tmp.write("fail-late.jsonl", `${[...qaLines(2500), "{not json"].join("\n")}\n`);
    const top = tmp.path("fail-late");
    const e = await rejection(runPrepare({ dataset: file, tokenizer: pythiaDir(), out: join(top, "out"), progress: false }));
    expect(e).toBeInstanceOf(MalformedRecordError);
    expect((e as MalformedRecordError).line).toBe(2501);
    expect(existsSync(top)).toBe(false);
  });

  it("an --out folder that was there before stays, as it was", async () => {
    const file = tmp.write("fail-kept.jsonl", `${[...qaLines(1500), "{not json"].join("\n")}\n`);
    const out = tmp.path("fail-kept");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "mine");
    expect(await rejection(runPrepare({ dataset: file, tokenizer: pythiaDir(), out, progress: false }))).toBeInstanceOf(MalformedRecordError);
    expect(readdirSync(out)).toEqual(["notes.txt"]);
    const empty = tmp.path("fail-kept-empty");
    mkdirSync(empty);
    expect(await rejection(runPrepare({ dataset: file, tokenizer: pythiaDir(), out: empty, progress: false }))).toBeInstanceOf(MalformedRecordError);
    expect(readdirSync(empty)).toEqual([]);
  });

  it("through runCli: exit 1 and no folder", async () => {
    const { io: cliIo } = io();
    const out = tmp.path("cli-fail");
    expect(await runCli(["prepare", "--dataset", join(fixtures, "chat.jsonl"), "--tokenizer", pythiaDir(), "--out", out, "--no-progress"], cliIo)).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});

describe("helpers", () => {
  it("readTemplateArgument: text as is, @file read exactly, @@ for a literal @", () => {
    expect(readTemplateArgument("### {question}")).toBe("### {question}");
    expect(readTemplateArgument(`@${join(fixtures, "prompt.txt")}`)).toBe("Q: {question}\nA:");
    expect(readTemplateArgument("@@home")).toBe("@home");
    expect(() => readTemplateArgument("@/no/such/file")).toThrow(InvalidArgumentError);
  });

  it("checkSplitIndices: every row exactly once, or IntegrityError", () => {
    expect(() => checkSplitIndices(4, { train: [3, 0], test: [2, 1] })).not.toThrow();
    expect(() => checkSplitIndices(4, { train: [3, 0], test: [2, 0] })).toThrow(IntegrityError);
    expect(() => checkSplitIndices(4, { train: [3, 0], test: [2] })).toThrow(IntegrityError);
    expect(() => checkSplitIndices(4, { train: [3, 0, 1], test: [4] })).toThrow(IntegrityError);
  });
});
