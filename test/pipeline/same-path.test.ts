// `finetune-prep prepare` and the library's preparePipeline run one code path: the command parses its
// flags and calls preparePipeline, which runs the same steps (open the input, prepare into the spill
// file, write each split from it) — counted here with spies on those steps — and gives the same files,
// byte for byte, and the same stats.json. On the lamini set (the command's defaults, offline from the
// Hugging Face cache) and on a streamed 50,000-row JSON Lines file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/index.js";
import { preparePipeline as libraryPreparePipeline, type PreparePipelineResult } from "../../src/index.js";
import * as opened from "../../src/pipeline/open-input.js";
import * as pipeline from "../../src/pipeline/prepare-pipeline.js";
import * as spilled from "../../src/pipeline/prepare-to-spill.js";
import * as written from "../../src/pipeline/write-split-from-spill.js";
import { hfHome, laminiRows, pythiaDir } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

// Each step, still doing its work, and counted.
vi.mock("../../src/pipeline/prepare-pipeline.js", async (load) => {
  const actual = await load<typeof import("../../src/pipeline/prepare-pipeline.js")>();
  return { ...actual, preparePipeline: vi.fn(actual.preparePipeline) };
});
vi.mock("../../src/pipeline/open-input.js", async (load) => {
  const actual = await load<typeof import("../../src/pipeline/open-input.js")>();
  return { ...actual, openInput: vi.fn(actual.openInput) };
});
vi.mock("../../src/pipeline/prepare-to-spill.js", async (load) => {
  const actual = await load<typeof import("../../src/pipeline/prepare-to-spill.js")>();
  return { ...actual, prepareToSpill: vi.fn(actual.prepareToSpill) };
});
vi.mock("../../src/pipeline/write-split-from-spill.js", async (load) => {
  const actual = await load<typeof import("../../src/pipeline/write-split-from-spill.js")>();
  return { ...actual, writeSplitFromSpill: vi.fn(actual.writeSplitFromSpill) };
});

const tmp = tempDir("ftp-same-path-");
const spies = {
  preparePipeline: vi.mocked(pipeline.preparePipeline),
  openInput: vi.mocked(opened.openInput),
  prepareToSpill: vi.mocked(spilled.prepareToSpill),
  writeSplitFromSpill: vi.mocked(written.writeSplitFromSpill),
};

afterEach(() => {
  for (const spy of Object.values(spies)) spy.mockClear();
});

/** The steps one run took: what each was called with (the parts that say which path), and what openInput gave. */
async function steps() {
  const inputs = await Promise.all(spies.openInput.mock.results.map((r) => r.value as ReturnType<typeof opened.openInput>));
  return {
    preparePipeline: spies.preparePipeline.mock.calls.length,
    openInput: spies.openInput.mock.calls.map(([p]) => ({ dataset: p.dataset, split: p.split, streaming: p.streaming })),
    streamed: inputs.map((i) => i.streamed),
    prepareToSpill: spies.prepareToSpill.mock.calls.map(([p]) => ({ dir: p.dir, prepare: p.prepare, columns: p.columns })),
    writeSplitFromSpill: spies.writeSplitFromSpill.mock.calls.map(([p]) => ({ name: p.name, rows: p.indices.length, format: p.format, pack: p.pack })),
  };
}

/** Runs `finetune-prep prepare <args> --out <out>` in this process; returns its steps and what it printed. */
async function viaCli(args: string[], out: string) {
  let stdout = "";
  let stderr = "";
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { ...process.env, DEBUG: "" } };
  const code = await runCli(["prepare", ...args, "--out", out, "--no-progress"], io);
  expect(stderr).not.toContain("error");
  expect(code).toBe(0);
  const taken = await steps();
  const result = await (spies.preparePipeline.mock.results[0]!.value as Promise<PreparePipelineResult>);
  for (const spy of Object.values(spies)) spy.mockClear();
  return { taken, result, stdout };
}

function expectSameOutput(a: PreparePipelineResult, b: PreparePipelineResult): void {
  expect(Object.keys(a.files)).toEqual(["train", "test"]);
  for (const split of Object.keys(a.files)) {
    expect(readFileSync(a.files[split]!.path).equals(readFileSync(b.files[split]!.path)), `${split} files differ`).toBe(true);
  }
  const { createdAt: _a, ...sa } = JSON.parse(readFileSync(a.statsPath, "utf8")) as Record<string, unknown>;
  const { createdAt: _b, ...sb } = JSON.parse(readFileSync(b.statsPath, "utf8")) as Record<string, unknown>;
  expect(sa).toEqual(sb);
}

describe("prepare and preparePipeline: one code path", () => {
  beforeAll(() => {
    // The command's defaults read the lamini set and Pythia's tokenizer from the Hub: here, from the cache.
    process.env.HF_HOME = hfHome();
    process.env.HF_HUB_OFFLINE = "1";
  });

  it("the lamini set with the command's defaults: the same steps, files and stats", async () => {
    const cli = await viaCli([], tmp.path("lamini-cli"));
    const out = tmp.path("lamini-lib");
    const lib = await libraryPreparePipeline({
      dataset: "kotzeje/lamini_docs.jsonl",
      tokenizer: "EleutherAI/pythia-70m",
      out,
      progress: false,
      onWarning: () => {},
    });
    const taken = await steps();
    // The library's own export is the function the command calls.
    expect(taken.preparePipeline).toBe(1);
    expect(cli.taken.preparePipeline).toBe(1);
    expect({ ...cli.taken, prepareToSpill: cli.taken.prepareToSpill.map((c) => ({ ...c, dir: "out" })) }).toEqual({
      ...taken,
      prepareToSpill: taken.prepareToSpill.map((c) => ({ ...c, dir: "out" })),
    });
    expect(taken.openInput).toEqual([{ dataset: "kotzeje/lamini_docs.jsonl", split: "train", streaming: true }]);
    expect(taken.streamed).toEqual([true]);
    expect(taken.writeSplitFromSpill).toEqual([
      { name: "train", rows: 1260, format: "parquet", pack: undefined },
      { name: "test", rows: 140, format: "parquet", pack: undefined },
    ]);
    expectSameOutput(cli.result, lib);
    expect(lib.stats.rows).toEqual({ input: 1400, train: 1260, test: 140 });
    expect(cli.stdout).toContain(`stats: ${cli.result.statsPath}`);
  });

  it("a streamed 50,000-row JSON Lines file, packed, JSON Lines out: the same steps, files and stats", async () => {
    const lamini = laminiRows();
    const N = 50_000;
    const lines = Array.from({ length: N }, (_, i) =>
      JSON.stringify({ question: `${lamini[i % lamini.length]!.question} (${i})`, answer: lamini[(i * 7 + 3) % lamini.length]!.answer }),
    );
    const file = tmp.write("rows-50k.jsonl", `${lines.join("\n")}\n`);
    const tokenizer = pythiaDir();
    const cli = await viaCli(
      ["--dataset", file, "--tokenizer", tokenizer, "--pack", "--max-length", "512", "--format", "jsonl", "--seed", "7"],
      tmp.path("50k-cli"),
    );
    const events: string[] = [];
    const lib = await libraryPreparePipeline({
      dataset: file,
      tokenizer,
      pack: true,
      maxLength: 512,
      format: "jsonl",
      seed: 7,
      out: tmp.path("50k-lib"),
      progress: false,
      onWarning: () => {},
      onProgress: (e) => events.push(`${e.stage}${e.split ? ` ${e.split}` : ""}`),
    });
    const taken = await steps();
    expect({ ...cli.taken, prepareToSpill: cli.taken.prepareToSpill.map((c) => ({ ...c, dir: "out" })) }).toEqual({
      ...taken,
      prepareToSpill: taken.prepareToSpill.map((c) => ({ ...c, dir: "out" })),
    });
    // Streamed: read batch by batch, never as a whole Dataset (no columns known before the first row).
    expect(taken.streamed).toEqual([true]);
    expect(taken.prepareToSpill.map((c) => c.columns)).toEqual([undefined]);
    expect(taken.writeSplitFromSpill.map((c) => [c.name, c.rows])).toEqual([
      ["train", 45_000],
      ["test", 5_000],
    ]);
    expectSameOutput(cli.result, lib);
    expect(lib.stats.splits.train!.examples + lib.stats.splits.test!.examples).toBe(N);
    // Progress came as callbacks: the rows prepared, then each split written.
    expect([...new Set(events)]).toEqual(["prepare", "write train", "write test"]);
    expect(lib.statsPath).toBe(join(tmp.path("50k-lib"), "stats.json"));
  }, 300_000); // two preparations of 50,000 rows: minutes on a busy 2-core machine
});
