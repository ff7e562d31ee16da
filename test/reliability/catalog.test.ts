// The catalog of bad inputs (test/reliability/catalog.ts, the README's table): each row through the
// library (error class, fields, message) and through the built CLI (exit code, message on stderr,
// no stack trace, nothing written to --out). dist/ must be built first (npm test does).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { runPrepare } from "../../src/cli/index.js";
import { type Dataset, loadDataset, readCsv, readJson, readJsonLines, trainTestSplitIndices } from "../../src/dataset/index.js";
import {
  ColumnTypeError,
  CorruptFileError,
  DuplicateColumnError,
  EmptyFileError,
  EncodingError,
  FinetunePrepError,
  HubUnreachableError,
  InvalidArgumentError,
  MalformedRecordError,
  MissingColumnError,
  RecordTooLargeError,
  TemplateError,
  TokenizerFileError,
  UnsupportedFormatError,
} from "../../src/errors.js";
import { unreachableHubs } from "../../src/hub/unreachable-hubs.js";
import type { PrepareStats } from "../../src/pipeline/index.js";
import { type PrepareInstructionDatasetParams, prepareInstructionDataset } from "../../src/prep/index.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { rewriteParquet } from "../fixtures/reliability/rewrite-parquet.js";
import { runBuiltCli } from "../helpers/built-cli.js";
import { drain } from "../helpers/drain.js";
import { rejection, thrown } from "../helpers/failures.js";
import { startUnreachableHub, type UnreachableHub } from "../helpers/hub-server.js";
import { hfHome, pythiaDir, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { CATALOG, catalogEntry, matchesMessage } from "./catalog.js";

const fixtures = join(repoRoot, "test", "fixtures", "reliability");
const fx = (name: string) => join(fixtures, name);
const tmp = tempDir("ftp-catalog-");
const exercised = { library: new Set<string>(), cli: new Set<string>() };

let tok: Tokenizer;
let pythia: string;
const qaRows = () =>
  readFileSync(fx("qa.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { question: string; answer: string });

beforeAll(async () => {
  pythia = pythiaDir();
  tok = await loadTokenizer(pythia);
});

/** The library error for catalog row `id`: its class, the fields given, and the catalog's message. */
function expectLibraryError(e: unknown, id: string, fields: Record<string, unknown>, paths: { file?: string; dir?: string } = {}): void {
  const entry = catalogEntry(id);
  expect(e).toBeInstanceOf(FinetunePrepError);
  const err = e as FinetunePrepError;
  expect(err.name).toBe(entry.error);
  expect(err).toMatchObject(fields);
  if (!matchesMessage(err.message, entry.message, paths)) expect(err.message).toBe(entry.message); // shows both
  exercised.library.add(id);
}

function prepare(ds: Dataset, params: PrepareInstructionDatasetParams = {}) {
  return prepareInstructionDataset(ds, tok, { progress: false, onWarning: () => {}, ...params });
}

const load = (file: string) => loadDataset(file, { split: "train", progress: false });

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The --out folder given. */
  out: string;
}

let runs = 0;
/** `finetune-prep prepare` on `dataset`, offline, with the Pythia tokenizer folder unless `args` names another. */
function cli(dataset: string, args: string[] = []): CliRun {
  const out = tmp.path(`out-${++runs}`);
  const tokenizer = args.includes("--tokenizer") ? [] : ["--tokenizer", pythia];
  const r = runBuiltCli(["prepare", "--dataset", dataset, ...tokenizer, "--out", out, "--no-progress", ...args], {
    cwd: tmp.dir,
    env: { HF_HOME: hfHome(), HF_HUB_OFFLINE: "1", HF_TOKEN: "" },
  });
  return { ...r, out };
}

/** A refused input on the command line: the exit code, `error: <message>` on stderr, no stack, no --out folder. */
function expectCliError(r: CliRun, id: string, paths: { file?: string; dir?: string } = {}, usage = false): void {
  const entry = catalogEntry(id);
  const expected = usage ? entry.usage! : entry.message;
  expect(r.code, r.stderr).toBe(usage ? 2 : entry.exit);
  const errorLine = r.stderr.split("\n").find((l) => l.startsWith("error: ")) ?? "";
  if (!matchesMessage(r.stderr, expected, paths)) expect(r.stderr).toBe(expected);
  expect(matchesMessage(errorLine.slice("error: ".length), expected.split("…")[0]!, paths)).toBe(true);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe("");
  // Nothing written: no split, no stats.json, no temp file — and no --out folder (it did not exist before).
  expect(existsSync(r.out) ? readdirSync(r.out) : []).toEqual([]);
  expect(existsSync(r.out), `${r.out} was left behind`).toBe(false);
  exercised.cli.add(id);
}

/** An accepted input on the command line: exit 0 and stats.json. */
function expectCliDone(r: CliRun, id: string): PrepareStats {
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^error: /m);
  exercised.cli.add(id);
  return JSON.parse(readFileSync(join(r.out, "stats.json"), "utf8"));
}

describe("malformed and undecodable files", () => {
  it("a JSON Lines line that is not JSON: MalformedRecordError with file and line", async () => {
    const file = fx("malformed.jsonl");
    expectLibraryError(await rejection(load(file)), "malformed-jsonl", { file, line: 3 }, { file });
    expectCliError(cli(file), "malformed-jsonl", { file });
  });

  it("a JSON Lines line that is JSON but not an object", async () => {
    const file = fx("not-an-object.jsonl");
    expectLibraryError(await rejection(load(file)), "jsonl-not-object", { file, line: 2 }, { file });
    expectCliError(cli(file), "jsonl-not-object", { file });
  });

  it("bytes that are not UTF-8: EncodingError with file, line and byte offset (JSON Lines, CSV, JSON)", async () => {
    const file = fx("not-utf8.jsonl");
    const bytes = readFileSync(file);
    const e = await rejection(load(file));
    expectLibraryError(e, "not-utf8", { file, line: 2, byteOffset: bytes.indexOf(0xe9) }, { file });
    expect(e.message).toContain(`byte offset ${bytes.indexOf(0xe9)}.`);
    // The same byte in a CSV file and a JSON document.
    const csv = tmp.write("latin1.csv", Buffer.concat([Buffer.from("question,answer\nWhat?,fine\nCaf"), Buffer.from([0xe9]), Buffer.from("?,no\n")]));
    const ce = await rejection(drain(readCsv(csv)));
    expect(ce).toBeInstanceOf(EncodingError);
    expect(ce).toMatchObject({ file: csv, line: 3 });
    expect(ce.message).toContain(`${csv}:3: bytes that are not valid UTF-8 at byte offset ${readFileSync(csv).indexOf(0xe9)}.`);
    const json = tmp.write(
      "latin1.json",
      Buffer.concat([Buffer.from('[{"question": "What?", "answer": "fine"},\n{"question": "Caf'), Buffer.from([0xe9]), Buffer.from('?", "answer": "no"}]\n')]),
    );
    const je = await rejection(drain(readJson(json)));
    expect(je).toBeInstanceOf(EncodingError);
    expect(je).toMatchObject({ file: json, line: 2 });
    expect(je.message).toContain(`${json}:2: bytes that are not valid UTF-8 at byte offset ${readFileSync(json).indexOf(0xe9)}.`);
    expectCliError(cli(file), "not-utf8", { file });
  });

  it("a UTF-8 BOM, CRLF line ends and blank lines are accepted: the same rows, blank lines counted", async () => {
    const file = fx("bom-crlf-blank.jsonl");
    const ds = await load(file);
    expect(ds.toRows()).toEqual(qaRows().slice(0, 4));
    const { summary } = await drain(readJsonLines(file));
    // The "\r" line, the empty ones and the spaces-only one.
    expect(summary).toMatchObject({ rows: 4, blankLines: 4 });
    exercised.library.add("bom-crlf-blank");
    const r = cli(file, ["--test-size", "1"]);
    const stats = expectCliDone(r, "bom-crlf-blank");
    expect(stats.rows).toEqual({ input: 4, train: 3, test: 1 });
    // The count reaches stats.json and the summary, streamed (the CLI's default) and read whole.
    expect(stats.skippedBlankLines).toBe(4);
    expect(r.stdout).toContain(catalogEntry("bom-crlf-blank").message.split("summary: ")[1]!.replace(/\.$/, ""));
    const inMemory = await runPrepare({
      dataset: file,
      tokenizer: pythia,
      out: tmp.path("bom-crlf-blank-memory"),
      testSize: 1,
      progress: false,
      streaming: false,
    });
    expect(inMemory.stats.skippedBlankLines).toBe(4);
  });

  it("an empty file, or one with blank lines only: EmptyFileError", async () => {
    const file = fx("empty.jsonl");
    expectLibraryError(await rejection(load(file)), "empty-file", { file }, { file });
    const blank = tmp.write("blank.jsonl", "\n  \n");
    const e = await rejection(load(blank));
    expect(e).toBeInstanceOf(EmptyFileError);
    expect(e.message).toContain(`${blank}: no rows: the file is empty.`);
    expectCliError(cli(file), "empty-file", { file });
  });

  it("a CSV record with the wrong number of fields: MalformedRecordError", async () => {
    const file = fx("field-count.csv");
    expectLibraryError(await rejection(load(file)), "csv-field-count", { file, line: 3 }, { file });
    expectCliError(cli(file), "csv-field-count", { file });
  });

  it("the same column twice in a CSV header: DuplicateColumnError with file, line and column", async () => {
    const file = fx("duplicate-columns.csv");
    expectLibraryError(await rejection(load(file)), "duplicate-columns", { file, line: 1, column: "question" }, { file });
    expectCliError(cli(file), "duplicate-columns", { file });
  });

  it("an unknown file extension: UnsupportedFormatError listing the supported ones", async () => {
    const file = fx("data.txt");
    expectLibraryError(await rejection(load(file)), "unknown-extension", { file }, { file });
    expectCliError(cli(file), "unknown-extension", { file });
  });
});

describe("Parquet files cut short or damaged", () => {
  let good: string;
  beforeAll(() => {
    const rows = qaRows();
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: "question", data: rows.map((r) => r.question) },
        { name: "answer", data: rows.map((r) => r.answer) },
      ],
    });
    good = tmp.write("qa.parquet", new Uint8Array(bytes));
  });

  it("the intact file reads (the baseline)", async () => {
    expect((await load(good)).toRows()).toEqual(qaRows());
  });

  it("a truncated file (an interrupted download): CorruptFileError naming the file", async () => {
    const bytes = readFileSync(good);
    for (const keep of [0.5, 0.99]) {
      const file = tmp.write(`truncated-${keep}.parquet`, bytes.subarray(0, Math.floor(bytes.length * keep)));
      expectLibraryError(await rejection(load(file)), "truncated-parquet", { file }, { file });
    }
    const file = tmp.path("truncated-0.5.parquet");
    expectCliError(cli(file), "truncated-parquet", { file });
  });

  it("a damaged page header: CorruptFileError naming the file, row group and column", async () => {
    const bytes = Buffer.from(readFileSync(good));
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const chunk = meta.row_groups[0]!.columns.find((c) => c.meta_data!.path_in_schema[0] === "answer")!.meta_data!;
    // A Thrift STOP where the first page header of "answer" starts: a header without a page type.
    bytes[Number(chunk.data_page_offset)] = 0;
    const file = tmp.write("damaged.parquet", bytes);
    const e = await rejection(load(file));
    expectLibraryError(e, "corrupt-parquet", { file, column: "answer" }, { file });
    expect(e).toBeInstanceOf(CorruptFileError);
    expect(e.message).toContain(`unknown page type at byte ${Number(chunk.data_page_offset)}`);
    expectCliError(cli(file), "corrupt-parquet", { file });
  });
});

describe("columns and values", () => {
  it("no instruction columns, or a named column that is not there: MissingColumnError listing the columns", async () => {
    const file = fx("no-instruction-columns.jsonl");
    const ds = await load(file);
    expectLibraryError(await rejection(prepare(ds)), "missing-column", { columns: ["q", "a"] });
    const named = await rejection(prepare(ds, { columns: { prompt: "question", completion: "a" } }));
    expect(named).toBeInstanceOf(MissingColumnError);
    expect(named).toMatchObject({ column: "question", columns: ["q", "a"] });
    expect(named.message).toBe('The columns option names "question", which the dataset does not have. Its columns: ["q","a"].');
    expectCliError(cli(file), "missing-column");
    const r = cli(file, ["--prompt-column", "question", "--completion-column", "a"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: ${named.message}`);
  });

  for (const [kind, id, found] of [
    ["null", "null-value", "null"],
    ["number", "number-value", "number"],
    ["object", "object-value", "object"],
  ] as const) {
    it(`${kind} in a text column: ColumnTypeError with row and column`, async () => {
      const file = fx(`answer-${kind}.jsonl`);
      const e = await rejection(prepare(await load(file)));
      expectLibraryError(e, id, { row: 2, column: "answer", found });
      expect(e).toBeInstanceOf(ColumnTypeError);
      expectCliError(cli(file), id);
    });
  }

  it("empty strings are kept, counted and warned about (library report, CLI warning, stats.json)", async () => {
    const file = fx("empty-strings.jsonl");
    const warnings: string[] = [];
    const prepared = await prepare(await load(file), { onWarning: (m) => warnings.push(m) });
    expect(prepared.numRows).toBe(6);
    expect(prepared.report).toMatchObject({ emptyRows: 2, emptyByColumn: { answer: 1, question: 1 } });
    const warning = catalogEntry("empty-strings").message.replace(/^Kept and counted, with a warning: /, "");
    expect(warnings).toContain(warning);
    expect(prepared.column("answer")[2]).toBe("");
    exercised.library.add("empty-strings");
    const r = cli(file, ["--test-size", "2"]);
    const stats = expectCliDone(r, "empty-strings");
    expect(r.stderr).toContain(`warning: ${warning}`);
    expect(r.stdout).toContain("2 rows with an empty string (kept)");
    expect(stats).toMatchObject({ emptyRows: 2, emptyByColumn: { answer: 1, question: 1 }, rows: { input: 6, train: 4, test: 2 } });
  });

  it("a template placeholder that is not a column: TemplateError naming it and listing the columns", async () => {
    const file = fx("qa.jsonl");
    expectLibraryError(await rejection(prepare(await load(file), { template: "### Q: {quest}" })), "unknown-placeholder", { placeholder: "quest" });
    expectCliError(cli(file, ["--template", "### Q: {quest}"]), "unknown-placeholder");
  });
});

describe("a very long row", () => {
  let file: string;
  beforeAll(() => {
    // ~1.5 MB of answer: far past 2048 tokens, well under the readers' 256 MiB line limit.
    const long = { question: "Why is this answer so long?", answer: " It goes on and on.".repeat(80_000) };
    file = tmp.write(
      "long.jsonl",
      `${[
        JSON.stringify(qaRows()[0]),
        JSON.stringify(long),
        ...qaRows()
          .slice(1, 4)
          .map((r) => JSON.stringify(r)),
      ].join("\n")}\n`,
    );
  });

  it("is handled: cut to maxLength, counted and warned (library and CLI, stats.json)", async () => {
    const warnings: string[] = [];
    const prepared = await prepare(await load(file), { onWarning: (m) => warnings.push(m) });
    expect(prepared.report.truncatedRows).toBe(1);
    expect(prepared.report.lengths[1]).toBeGreaterThan(2048);
    expect(Array.from(prepared.row(1).input_ids as number[]).length).toBe(2048);
    const cut = prepared.report.truncatedTokens;
    expect(warnings).toContain(`1 row was longer than maxLength 2048 and truncated (${cut} tokens cut).`);
    expect(
      matchesMessage(warnings.join("\n"), catalogEntry("long-row").message.split(" A line over")[0]!.replace("Handled: cut to maxLength and counted: ", "")),
    ).toBe(true);
    exercised.library.add("long-row");

    const r = cli(file, ["--test-size", "1", "--seed", "1"]);
    const stats = expectCliDone(r, "long-row");
    expect(r.stderr).toContain(`warning: 1 row was longer than maxLength 2048 and truncated (${cut} tokens cut).`);
    expect(stats.truncatedRows).toBe(1);
    const { train, test } = stats.splits;
    expect(train!.truncated + test!.truncated).toBe(1);
    expect(Math.max(train!.tokenLengths.max!, test!.tokenLengths.max!)).toBe(prepared.report.lengths[1]);
    expect(r.stdout).toContain("1 row truncated");
  });

  it("past the readers' limit it is refused with the limit named (JSON Lines, CSV, JSON)", async () => {
    const e = await rejection(drain(readJsonLines(file, { maxLineBytes: 100_000 })));
    expect(e).toBeInstanceOf(RecordTooLargeError);
    expect(e).toMatchObject({ file, line: 2 });
    expect(matchesMessage(e.message, catalogEntry("long-row").message.split("is refused: ")[1]!, { file })).toBe(true);
    expect(e.message).toContain("line longer than 100000 bytes, the limit.");
    const csv = tmp.write("long.csv", `question,answer\nq,"${"x".repeat(5000)}"\n`);
    const ce = await rejection(drain(readCsv(csv, { maxRecordSize: 1000 })));
    expect(ce).toBeInstanceOf(RecordTooLargeError);
    expect(ce.message).toContain("a record longer than 1000 characters, the limit.");
    const json = tmp.write("long.json", JSON.stringify([{ question: "q", answer: "x".repeat(5000) }]));
    const je = await rejection(drain(readJson(json, { maxBytes: 1000 })));
    expect(je).toBeInstanceOf(RecordTooLargeError);
    expect(je.message).toContain("a JSON document larger than 1000 bytes, the limit.");
  });
});

describe("options out of range", () => {
  it("testSize or trainSize out of range: InvalidArgumentError (CLI: exit 1, or 2 when the option parser refuses the value)", async () => {
    expectLibraryError(
      thrown(() => trainTestSplitIndices(10, { testSize: 10 })),
      "test-size",
      { argument: "testSize", value: 10 },
    );
    for (const params of [
      { testSize: 1.5 },
      { testSize: 0 },
      { testSize: -1 },
      { trainSize: 10 },
      { trainSize: 0 },
      { testSize: 0.5, trainSize: 0.6 },
      { testSize: 0.99999 },
    ]) {
      const e = thrown(() => trainTestSplitIndices(10, params));
      expect(e, JSON.stringify(params)).toBeInstanceOf(InvalidArgumentError);
    }
    const file = fx("qa.jsonl");
    expectCliError(cli(file, ["--test-size", "10"]), "test-size");
    expectCliError(cli(file, ["--test-size", "1.5"]), "test-size", {}, true);
  });

  it("maxLength < 1: InvalidArgumentError (CLI: a usage error, exit 2)", async () => {
    const ds = await load(fx("qa.jsonl"));
    expectLibraryError(await rejection(prepare(ds, { maxLength: 0 })), "max-length", { argument: "maxLength", value: 0 });
    for (const maxLength of [-1, 1.5, Number.NaN]) expect(await rejection(prepare(ds, { maxLength }))).toBeInstanceOf(InvalidArgumentError);
    const r = cli(fx("qa.jsonl"), ["--max-length", "0"]);
    expectCliError(r, "max-length", {}, true);
  });
});

describe("hostile chat templates", () => {
  /** Pythia's files with `template` as the chat template (Jinja2's sandbox limits, and ours: steps or time, output size). */
  function tokenizerWithTemplate(name: string, template: string): string {
    const dir = tmp.path(`template-${name}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(pythia, "tokenizer.json"), join(dir, "tokenizer.json"));
    const config = JSON.parse(readFileSync(join(pythia, "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ ...config, chat_template: template }));
    return dir;
  }
  const chat = [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
  ];
  const chatRows = () => tmp.write("chat-rows.jsonl", `${JSON.stringify({ messages: chat })}\n`);

  for (const [id, template] of [
    ["template-range", "{% for i in range(10**8) %}{{ i }}{% endfor %}"],
    ["template-budget", "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}"],
  ] as const) {
    it(`${id}: a TemplateError naming the limit, from the library and the command`, async () => {
      const dir = tokenizerWithTemplate(id, template);
      const hostile = await loadTokenizer(dir);
      expectLibraryError(
        thrown(() => hostile.applyChatTemplate(chat, { tokenize: false })),
        id,
        {},
        { dir },
      );
      expectCliError(cli(chatRows(), ["--tokenizer", dir]), id, { dir });
    }, 120_000);
  }
});

describe("tokenizer files", () => {
  it("a tokenizer folder without tokenizer.json: TokenizerFileError naming the folder and what it holds", async () => {
    const dir = fx("no-tokenizer");
    expectLibraryError(await rejection(loadTokenizer(dir)), "no-tokenizer-json", { file: dir }, { dir });
    expectCliError(cli(fx("qa.jsonl"), ["--tokenizer", dir]), "no-tokenizer-json", { dir });
  });
});

describe("Parquet sizes the file cannot hold, row groups over the memory budget", () => {
  /** question/answer rows written as one row group. */
  const qaParquet = (rows: number) =>
    new Uint8Array(
      parquetWriteBuffer({
        columnData: [
          { name: "question", data: Array.from({ length: rows }, (_, i) => `What is item ${i}?`) },
          { name: "answer", data: Array.from({ length: rows }, (_, i) => `It is item number ${i}, described.`) },
        ],
        rowGroupSize: rows,
      }),
    );

  it("a page declaring more than its codec can expand to: CorruptFileError before any allocation", async () => {
    const bytes = rewriteParquet(qaParquet(50), {
      page: (p) => {
        if (p.column === "answer" && p.header.type !== "DICTIONARY_PAGE") p.header.uncompressed_page_size = 1_500_000_000;
      },
    });
    const file = tmp.write("inflated.parquet", bytes);
    expectLibraryError(await rejection(load(file)), "parquet-inflated-sizes", { file, column: "answer" }, { file });
    expectCliError(cli(file), "parquet-inflated-sizes", { file });
  });

  it("a row group over maxRowGroupBytes: RecordTooLargeError naming the limit and how to rewrite the file", async () => {
    const small = tmp.write("row-group-small.parquet", qaParquet(200));
    expectLibraryError(
      await rejection(loadDataset(small, { split: "train", progress: false, maxRowGroupBytes: 4 * 1024 })),
      "parquet-row-group-too-large",
      { file: small, row: 0 },
      { file: small },
    );
    // On the command line: a row group of about 2 MiB against --max-row-group-mb 1.
    const big = tmp.write("row-group-big.parquet", qaParquet(40_000));
    expectCliError(cli(big, ["--max-row-group-mb", "1"]), "parquet-row-group-too-large", { file: big });
    expect(cli(fx("qa.jsonl"), ["--max-row-group-mb", "0"]).code).toBe(2);
  });
});

describe("the Hub unreachable, HF_HUB_OFFLINE not set", () => {
  let refused: UnreachableHub;
  beforeAll(async () => {
    refused = await startUnreachableHub("refused");
  });
  /** An HF_HOME of its own whose hub/ is the test data's cache (not copied). */
  const home = (name: string) => {
    const dir = tmp.path(name);
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(hfHome(), "hub"), join(dir, "hub"));
    return dir;
  };
  const cliOnline = (tokenizer: string, name: string): CliRun => {
    const out = tmp.path(`out-${++runs}`);
    const r = runBuiltCli(["prepare", "--dataset", "kotzeje/lamini_docs.jsonl", "--tokenizer", tokenizer, "--out", out, "--no-progress"], {
      cwd: tmp.dir,
      env: { HF_HOME: home(name), HF_ENDPOINT: refused.url, HF_TOKEN: "" },
      timeoutMs: 60_000,
    });
    return { ...r, out };
  };

  it("the files in the cache: used at once, said once", async () => {
    unreachableHubs.reset();
    const warnings: string[] = [];
    const fromHub = await loadTokenizer("EleutherAI/pythia-70m", {
      endpoint: refused.url,
      cacheDir: join(hfHome(), "hub"),
      progress: false,
      onWarning: (m) => warnings.push(m),
    });
    // The cached files, the same tokenizer as the folder's.
    expect(fromHub.encode("Hello, unreachable Hub!")).toEqual(tok.encode("Hello, unreachable Hub!"));
    const entry = catalogEntry("hub-unreachable-cached");
    const said = entry.message.split("said once: ")[1]!;
    expect(warnings).toHaveLength(1);
    expect(matchesMessage(warnings[0]!, said)).toBe(true);
    exercised.library.add(entry.id);
    const r = cliOnline("EleutherAI/pythia-70m", "home-cached");
    expectCliDone(r, entry.id);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("warning: Hub unreachable ("))).toHaveLength(1);
    expect(matchesMessage(r.stderr, `warning: ${said}`)).toBe(true);
  });

  it("a needed file not in the cache: HubUnreachableError naming the file and the cache", async () => {
    unreachableHubs.reset();
    const cacheDir = join(hfHome(), "hub");
    const e = await rejection(
      loadTokenizer("EleutherAI/pythia-160m", {
        endpoint: refused.url,
        cacheDir,
        progress: false,
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
        onWarning: () => {},
      }),
    );
    expectLibraryError(e, "hub-unreachable-not-cached", { repoId: "EleutherAI/pythia-160m" });
    expect(e).toBeInstanceOf(HubUnreachableError);
    expect((e as HubUnreachableError).reason).toMatch(/connection refused/);
    expect(e.message).toContain(`is not in the cache ${cacheDir}`);
    expectCliError(cliOnline("EleutherAI/pythia-160m", "home-missing"), "hub-unreachable-not-cached");
  });
});

describe("the catalog", () => {
  it("every row was checked through the library and through the CLI", () => {
    const ids = CATALOG.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...exercised.library].sort()).toEqual([...ids].sort());
    expect([...exercised.cli].sort()).toEqual([...ids].sort());
  });

  it("lists an error class that exists for every refused input", async () => {
    const errors = await import("../../src/errors.js");
    for (const e of CATALOG) if (e.error !== null) expect(typeof (errors as Record<string, unknown>)[e.error], e.error).toBe("function");
    // The catalog's classes are the typed errors users can catch.
    for (const cls of [
      MalformedRecordError,
      EncodingError,
      EmptyFileError,
      DuplicateColumnError,
      CorruptFileError,
      UnsupportedFormatError,
      TemplateError,
      TokenizerFileError,
    ]) {
      expect(CATALOG.some((e) => e.error === cls.name)).toBe(true);
    }
  });
});
