import { type Command, Option, InvalidArgumentError as UsageError } from "commander";
import { type PreparePipelineParams, preparePipeline } from "../pipeline/index.js";
import type { CliIo } from "./cli-io.js";
import { flagValues } from "./flag-values.js";
import { formatSummary } from "./format-summary.js";
import { PREPARE_HELP } from "./prepare-help.js";
import { type PrepareFlags, prepareParamsFromFlags } from "./prepare-params-from-flags.js";
import { readTemplateArgument } from "./read-template-argument.js";

/** Adds `prepare` to the program: format, tokenize, label, split and write, as the original notebook. */
export function addPrepareCommand(program: Command, io: CliIo): Command {
  return program
    .command("prepare")
    .summary("format, tokenize, label and split a Q/A dataset; write train/test files")
    .description(
      "Prepare instruction data as the original notebook does: format each row with the prompt template, tokenize prompt + answer, " +
        "truncate, add labels, split train/test exactly as Python datasets' train_test_split, and write one file per split plus stats.json.",
    )
    .addOption(
      new Option("--dataset <id|path>", "Hub dataset id, or a local file or folder (.jsonl, .json, .csv, .parquet)").default("kotzeje/lamini_docs.jsonl"),
    )
    .addOption(new Option("--split <name>", "input split to read").default("train"))
    .addOption(new Option("--revision <rev>", "dataset revision on the Hub (branch, tag or commit)"))
    .addOption(new Option("--tokenizer <id|dir>", "Hub model id or local folder with tokenizer.json").default("EleutherAI/pythia-70m"))
    .addOption(new Option("--tokenizer-revision <rev>", "tokenizer revision on the Hub"))
    .addOption(
      new Option(
        "--template <string|@file>",
        'prompt template with {column} placeholders ({{ }} for braces); @file reads it from a file (default for question/answer: "### Question:\\n{question}\\n\\n### Answer:")',
      ).argParser(readTemplateArgument),
    )
    .addOption(
      new Option("--chat-template <string|@file>", "Jinja chat template for chat rows (messages), when the tokenizer has none").argParser(readTemplateArgument),
    )
    .addOption(
      new Option("--prompt-column <name>", "prompt column (with --completion-column) instead of detecting question/answer, instruction/response, input/output"),
    )
    .addOption(new Option("--completion-column <name>", "completion column (with --prompt-column)"))
    .addOption(new Option("--text-column <name>", "one column holding the whole text"))
    .addOption(new Option("--messages-column <name>", "a column of chat messages [{role, content}]"))
    .addOption(new Option("--max-length <n>", "longest row in tokens (the block size with --pack)").default(2048).argParser(flagValues.positiveInteger))
    .addOption(new Option("--truncation-side <side>", "which end of a longer row is cut").choices(["left", "right"]).default("left"))
    .addOption(
      new Option("--labels <mode>", 'labels: "copy" = input_ids (the original); "mask-prompt" = -100 on the prompt\'s tokens')
        .choices(["copy", "mask-prompt"])
        .default("copy"),
    )
    .addOption(new Option("--pack", "pack each split into blocks of exactly --max-length tokens, EOS between examples"))
    .addOption(new Option("--test-size <n>", "test split: a fraction in (0, 1) or a number of rows").default(0.1).argParser(flagValues.testSize))
    .addOption(new Option("--seed <n>", "seed of numpy's default_rng for the split").default(123).argParser(flagValues.seed))
    .addOption(new Option("--out <dir>", "output folder (created if missing)").default("out"))
    .addOption(new Option("--format <format>", "file format of the splits").choices(["parquet", "jsonl"]).default("parquet"))
    .addOption(new Option("--offline", "use the Hugging Face cache only, never the network (as HF_HUB_OFFLINE=1)"))
    .addOption(
      new Option("--max-row-group-mb <n>", "Parquet input: the most one row group may take in memory, in MiB (row groups are read whole)")
        .default(256)
        .argParser(flagValues.positiveInteger),
    )
    .addOption(
      new Option(
        "--workers <n>",
        'worker threads that tokenize, then encode Parquet, while the main thread reads and writes (0: none); "auto": cores - 1, at most 3, from 50,000 rows',
      )
        .default("auto")
        .argParser(flagValues.workers),
    )
    .addOption(new Option("--quiet", "print nothing but errors (no progress, no log, no summary)"))
    .addOption(new Option("--no-progress", "no progress bars"))
    .addHelpText("after", PREPARE_HELP)
    .action(async (flags: PrepareFlags, command: Command) => {
      const quiet = flags.quiet ?? false;
      let params: PreparePipelineParams;
      try {
        params = prepareParamsFromFlags(flags, {
          onLog: quiet ? () => {} : (m) => io.stderr.write(`${m}\n`),
          onWarning: quiet ? () => {} : (m) => io.stderr.write(`warning: ${m}\n`),
        });
      } catch (e) {
        if (e instanceof UsageError) command.error(`error: ${e.message}`, { exitCode: 2, code: "finetune-prep.usage" });
        throw e;
      }
      const result = await preparePipeline(params);
      if (!quiet) io.stdout.write(formatSummary(result));
    });
}
