import { CommanderError } from "commander";
import { FinetunePrepError } from "../errors.js";
import type { CliIo } from "./cli-io.js";
import { createProgram } from "./create-program.js";

/** Exit codes: 0 done, 1 data or processing error, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

function debugWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes("--debug") || (env.DEBUG ?? "").split(/[\s,]+/).some((d) => d === "finetune-prep" || d === "finetune-prep:*" || d === "*");
}

/**
 * Runs the CLI on `argv` (the arguments after the program name) and returns the exit code. Errors are
 * printed, never thrown: a FinetunePrepError as its message (what, where, what to do), anything else
 * as one line asking for a report; stack traces only with --debug or DEBUG=finetune-prep.
 */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const program = createProgram(io);
  const debug = debugWanted(argv, io.env);
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT_USAGE;
    }
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version end here too (exit code 0); everything else commander reports is a usage error.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof FinetunePrepError) {
      io.stderr.write(`error: ${e.message}\n`);
      if (debug && e.stack) io.stderr.write(`${e.stack}\n`);
      return EXIT_FAILURE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(
      `error: unexpected failure: ${message.split("\n")[0]}\nThis is a bug in finetune-prep: please report it${debug ? "" : " (run again with --debug for the stack trace)"}.\n`,
    );
    if (debug && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    return EXIT_FAILURE;
  }
}
