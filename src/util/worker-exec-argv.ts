/** Options of `node` that take a value and only concern the main script: a worker given them fails to start. */
const MAIN_SCRIPT_OPTIONS = new Set(["--input-type", "-e", "--eval", "-p", "--print", "-pe"]);

/** The parent's node options minus those about its main script (`node --input-type=module -e ...`), which workers inherit otherwise. */
export function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    const name = arg.startsWith("--") ? arg.split("=")[0]! : arg;
    if (MAIN_SCRIPT_OPTIONS.has(name)) {
      if (!arg.includes("=")) k++;
      continue;
    }
    out.push(arg);
  }
  return out;
}
