#!/usr/bin/env node
// The `finetune-prep` command (package.json "bin"). All the work is in runCli.
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2));
// Exit once stdout and stderr are flushed, even if a library left a handle open.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
