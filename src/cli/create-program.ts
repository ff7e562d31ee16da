import { Command } from "commander";
import { libraryVersion } from "../io/index.js";
import type { CliIo } from "./cli-io.js";
import { addPrepareCommand } from "./prepare-command.js";

/**
 * The `finetune-prep` program: global options and one subcommand per task (`prepare` today; more,
 * e.g. `notebooks`, are added the same way). Commander never exits the process itself: errors come
 * back as exceptions for {@link runCli} to map to exit codes.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command("finetune-prep")
    .description("Prepare instruction data for fine-tuning LLMs, with the token ids, labels and train/test split that Python transformers and datasets give.")
    .version(libraryVersion(), "-V, --version", "print the version")
    .option("--debug", "print stack traces on errors (as DEBUG=finetune-prep)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .showSuggestionAfterError(true)
    .addHelpText("after", '\nRun "finetune-prep <command> --help" for a command\'s options and examples.\n');
  addPrepareCommand(program, io);
  return program;
}
