import { Command, InvalidArgumentError as UsageError, Option } from "commander";
import type { ColumnOverride } from "../prep/index.js";
import { formatSummary } from "./format-summary.js";
import type { CliIo } from "./cli-io.js";
import { readTemplateArgument, runPrepare, type RunPrepareOptions } from "./run-prepare.js";

interface PrepareFlags {
  dataset: string;
  split: string;
  revision?: string;
  tokenizer: string;
  tokenizerRevision?: string;
  template?: string;
  chatTemplate?: string;
  promptColumn?: string;
  completionColumn?: string;
  textColumn?: string;
  messagesColumn?: string;
  maxLength: number;
  truncationSide: "left" | "right";
  labels: "copy" | "mask-prompt";
  pack?: boolean;
  testSize: number;
  seed: number;
  out: string;
  format: "parquet" | "jsonl";
  offline?: boolean;
  quiet?: boolean;
  progress: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError("expected a whole number ≥ 1.");
  return n;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UsageError("expected a whole number ≥ 0.");
  return n;
}

function testSizeValue(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError("expected a fraction in (0, 1) or a whole number of rows.");
  if (n >= 1 && !Number.isInteger(n)) throw new UsageError("expected a fraction in (0, 1) or a whole number of rows.");
  return n;
}

function columnsOf(flags: PrepareFlags): ColumnOverride | undefined {
  const { promptColumn, completionColumn, textColumn, messagesColumn } = flags;
  const given = [promptColumn !== undefined || completionColumn !== undefined, textColumn !== undefined, messagesColumn !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError("use either --prompt-column/--completion-column, --text-column or --messages-column, not several.");
  if (promptColumn !== undefined || completionColumn !== undefined) {
    if (promptColumn === undefined || completionColumn === undefined) throw new UsageError("--prompt-column and --completion-column go together.");
    return { prompt: promptColumn, completion: completionColumn };
  }
  if (textColumn !== undefined) return { text: textColumn };
  if (messagesColumn !== undefined) return { messages: messagesColumn };
  return undefined;
}

const EXAMPLES = `
Examples:
  # The original notebook: lamini docs + Pythia-70m, 2048 tokens, left truncation,
  # labels = input_ids, the 90/10 split of datasets' train_test_split(seed=123)
  $ finetune-prep prepare --out out

  # Offline, from the Hugging Face cache only
  $ HF_HUB_OFFLINE=1 finetune-prep prepare

  # Your own data, a template from a file, loss on the answers only
  $ finetune-prep prepare --dataset ./qa.jsonl --template @prompt.txt --labels mask-prompt

  # A template on the command line (bash's $'…' turns \\n into newlines)
  $ finetune-prep prepare --template $'### Instruction:\\n{question}\\n\\n### Response:'

  # Blocks of exactly 1024 tokens (TRL ConstantLengthDataset style), as JSON Lines
  $ finetune-prep prepare --pack --max-length 1024 --format jsonl

Output, in --out:
  train.parquet, test.parquet  one row per example: the formatted prompt (question), answer,
                               input_ids, attention_mask, labels (lists of int32). Python:
                               load_dataset("parquet", data_files={"train": "out/train.parquet", ...})
  stats.json                   rows per split, token-length percentiles, truncation, settings
  Each file is written to a temp file and renamed into place: never half-written.

Environment:
  HF_HOME          Hugging Face folder; the cache is $HF_HOME/hub (default ~/.cache/huggingface)
  HF_HUB_CACHE     the cache folder itself (instead of $HF_HOME/hub)
  HF_HUB_OFFLINE   1: no network, read the cache only (same as --offline)
  HF_TOKEN         access token for gated or private repos (sent to the Hub only, never written)
  HF_ENDPOINT      the Hub's URL (default https://huggingface.co)
  HF_HUB_DISABLE_PROGRESS_BARS=1  no progress bars
  DEBUG=finetune-prep             stack traces on errors (same as --debug)

Exit status: 0 done, 1 data or processing error, 2 usage error.
`;

/** Adds `prepare` to the program: format, tokenize, label, split and write, as the original notebook. */
export function addPrepareCommand(program: Command, io: CliIo): Command {
  return program
    .command("prepare")
    .summary("format, tokenize, label and split a Q/A dataset; write train/test files")
    .description(
      "Prepare instruction data as the original notebook does: format each row with the prompt template, tokenize prompt + answer, " +
        "truncate, add labels, split train/test exactly as Python datasets' train_test_split, and write one file per split plus stats.json.",
    )
    .addOption(new Option("--dataset <id|path>", "Hub dataset id, or a local file or folder (.jsonl, .json, .csv, .parquet)").default("kotzeje/lamini_docs.jsonl"))
    .addOption(new Option("--split <name>", "input split to read").default("train"))
    .addOption(new Option("--revision <rev>", "dataset revision on the Hub (branch, tag or commit)"))
    .addOption(new Option("--tokenizer <id|dir>", "Hub model id or local folder with tokenizer.json").default("EleutherAI/pythia-70m"))
    .addOption(new Option("--tokenizer-revision <rev>", "tokenizer revision on the Hub"))
    .addOption(
      new Option("--template <string|@file>", 'prompt template with {column} placeholders ({{ }} for braces); @file reads it from a file (default for question/answer: "### Question:\\n{question}\\n\\n### Answer:")').argParser(
        readTemplateArgument,
      ),
    )
    .addOption(new Option("--chat-template <string|@file>", "Jinja chat template for chat rows (messages), when the tokenizer has none").argParser(readTemplateArgument))
    .addOption(new Option("--prompt-column <name>", "prompt column (with --completion-column) instead of detecting question/answer, instruction/response, input/output"))
    .addOption(new Option("--completion-column <name>", "completion column (with --prompt-column)"))
    .addOption(new Option("--text-column <name>", "one column holding the whole text"))
    .addOption(new Option("--messages-column <name>", "a column of chat messages [{role, content}]"))
    .addOption(new Option("--max-length <n>", "longest row in tokens (the block size with --pack)").default(2048).argParser(positiveInteger))
    .addOption(new Option("--truncation-side <side>", "which end of a longer row is cut").choices(["left", "right"]).default("left"))
    .addOption(new Option("--labels <mode>", 'labels: "copy" = input_ids (the original); "mask-prompt" = -100 on the prompt\'s tokens').choices(["copy", "mask-prompt"]).default("copy"))
    .addOption(new Option("--pack", "pack each split into blocks of exactly --max-length tokens, EOS between examples"))
    .addOption(new Option("--test-size <n>", "test split: a fraction in (0, 1) or a number of rows").default(0.1).argParser(testSizeValue))
    .addOption(new Option("--seed <n>", "seed of numpy's default_rng for the split").default(123).argParser(seedValue))
    .addOption(new Option("--out <dir>", "output folder (created if missing)").default("out"))
    .addOption(new Option("--format <format>", "file format of the splits").choices(["parquet", "jsonl"]).default("parquet"))
    .addOption(new Option("--offline", "use the Hugging Face cache only, never the network (as HF_HUB_OFFLINE=1)"))
    .addOption(new Option("--quiet", "print nothing but errors (no progress, no log, no summary)"))
    .addOption(new Option("--no-progress", "no progress bars"))
    .addHelpText("after", EXAMPLES)
    .action(async (flags: PrepareFlags, command: Command) => {
      const quiet = flags.quiet ?? false;
      const log = quiet ? () => {} : (m: string) => io.stderr.write(`${m}\n`);
      const options: RunPrepareOptions = {
        dataset: flags.dataset,
        split: flags.split,
        tokenizer: flags.tokenizer,
        maxLength: flags.maxLength,
        truncationSide: flags.truncationSide,
        labels: flags.labels,
        pack: flags.pack ?? false,
        testSize: flags.testSize,
        seed: flags.seed,
        out: flags.out,
        format: flags.format,
        offline: flags.offline ?? false,
        progress: flags.progress && !quiet,
        log,
        warn: quiet ? () => {} : (m: string) => io.stderr.write(`warning: ${m}\n`),
        ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
        ...(flags.tokenizerRevision !== undefined ? { tokenizerRevision: flags.tokenizerRevision } : {}),
        ...(flags.template !== undefined ? { template: flags.template } : {}),
        ...(flags.chatTemplate !== undefined ? { chatTemplate: flags.chatTemplate } : {}),
      };
      let columns: ColumnOverride | undefined;
      try {
        columns = columnsOf(flags);
      } catch (e) {
        if (e instanceof UsageError) command.error(`error: ${e.message}`, { exitCode: 2, code: "finetune-prep.usage" });
        throw e;
      }
      if (columns) options.columns = columns;
      const result = await runPrepare(options);
      if (!quiet) io.stdout.write(formatSummary(result));
    });
}
