#!/usr/bin/env node
// The notebooks' entry points:
//   npm start                   → node scripts/jupyter.mjs start [jupyter notebook options…]
//   npm run notebooks:execute   → node scripts/jupyter.mjs execute [--no-screenshot] [notebook.ipynb…]
//
// Both register tslab's TypeScript kernel in a project-local Jupyter path (build/jupyter), so nothing
// is written to the user's Jupyter setup, and run Jupyter with JUPYTER_PATH pointing there.
// `execute` runs every notebook headless (nbconvert, tslab kernel) into build/notebooks/ as executed
// .ipynb and .html, then screenshots the token-length histogram with headless Chromium.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findChromium, screenshotPlot } from "./chromium.mjs";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const notebooksDir = join(repoRoot, "notebooks");
export const buildDir = join(repoRoot, "build");
export const jupyterPrefix = join(buildDir, "jupyter");
export const outputDir = join(buildDir, "notebooks");
/** The div token_lengths.ipynb draws its histogram into (displayPlotly's divId). */
export const HISTOGRAM_DIV_ID = "token-lengths-histogram";
export const HISTOGRAM_NOTEBOOK = "token_lengths";
export const HISTOGRAM_PNG = "token_lengths_histogram.png";

const INSTALL_JUPYTER = "Jupyter is not installed: install it with `pip install notebook` (or `apt-get install jupyter-notebook`), then try again.";
const INSTALL_NBCONVERT =
  "Jupyter's nbconvert is not installed: install it with `pip install nbconvert` (or `apt-get install jupyter-nbconvert`), then try again.";
const INSTALL_CHROMIUM =
  "Chromium is not installed (needed for the histogram screenshot): install it with `apt-get install chromium` (or set CHROMIUM_PATH), or pass --no-screenshot.";

class UsageError extends Error {}

/** An executable named `name` on PATH, or null. */
function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** The `jupyter` command, or a one-line install hint and exit 1. */
function requireJupyter(subcommand) {
  const jupyter = onPath("jupyter");
  if (!jupyter) fail(INSTALL_JUPYTER);
  // `jupyter <sub>` runs `jupyter-<sub>` from PATH or from beside the jupyter script.
  if (subcommand && !onPath(`jupyter-${subcommand}`) && !existsSync(join(dirname(jupyter), `jupyter-${subcommand}`))) {
    fail(subcommand === "nbconvert" ? INSTALL_NBCONVERT : INSTALL_JUPYTER);
  }
  return jupyter;
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** The library must be built: the notebooks import it from dist/ (npm ci builds it). */
function requireBuiltLibrary() {
  if (!existsSync(join(repoRoot, "dist", "index.js"))) fail("finetune-prep is not built (dist/ is missing): run `npm ci` or `npm run build` first.");
  if (!existsSync(join(repoRoot, "node_modules", "tslab", "bin", "tslab"))) fail("tslab is not installed: run `npm ci` first.");
}

/**
 * The kernelspec Jupyter looks for under $JUPYTER_PATH/kernels/tslab — what `tslab install --prefix`
 * writes, except that it names this Node and this repository's tslab by absolute path, so the kernel
 * starts whatever PATH Jupyter is given. Rewritten when it differs (e.g. a new Node).
 */
export function registerKernel() {
  const dir = join(jupyterPrefix, "share", "jupyter", "kernels", "tslab");
  const file = join(dir, "kernel.json");
  const spec = {
    argv: [process.execPath, join(repoRoot, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  };
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, text);
    process.stderr.write(`Registered the tslab TypeScript kernel in ${dir}\n`);
  }
  return join(jupyterPrefix, "share", "jupyter");
}

/**
 * tslab type-checks cells with Node10 module resolution, which finds `finetune-prep`'s types only
 * through a node_modules folder: notebooks/node_modules/finetune-prep links to the repository
 * (committed; recreated here if a checkout lost it).
 */
export function linkPackage() {
  const link = join(notebooksDir, "node_modules", "finetune-prep");
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === repoRoot;
  } catch {
    ok = false;
  }
  if (ok) return;
  rmSync(link, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(process.platform === "win32" ? repoRoot : join("..", ".."), link, process.platform === "win32" ? "junction" : "dir");
}

/** Environment for Jupyter: our kernelspec first on JUPYTER_PATH; node_modules/.bin on PATH. */
function jupyterEnv(jupyterPath) {
  const env = { ...process.env };
  env.JUPYTER_PATH = [jupyterPath, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter);
  env.PATH = [join(repoRoot, "node_modules", ".bin"), process.env.PATH].filter(Boolean).join(delimiter);
  return env;
}

/** Runs a command to completion, output passed through; resolves to its exit code. */
function run(command, args, options) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}

/** The notebooks/*.ipynb files, or the ones named. */
function notebookFiles(names) {
  if (names.length > 0) {
    return names.map((n) => {
      const file = resolve(n.includes("/") || n.includes("\\") ? n : join(notebooksDir, n));
      if (!existsSync(file)) throw new UsageError(`No notebook ${file}.`);
      return file;
    });
  }
  return readdirSync(notebooksDir)
    .filter((f) => f.endsWith(".ipynb") && !f.startsWith("."))
    .sort()
    .map((f) => join(notebooksDir, f));
}

/**
 * Problems in an executed notebook: error outputs, and output on stderr — tslab reports compile and
 * run-time errors there (it sends no error message), then skips the cells after the failing one.
 */
export function notebookProblems(file) {
  const nb = JSON.parse(readFileSync(file, "utf8"));
  const problems = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const where = `${basename(file)} cell ${index} (${JSON.stringify(source.split("\n")[0].slice(0, 60))})`;
    for (const out of cell.outputs ?? []) {
      if (out.output_type === "error") problems.push(`${where}: ${out.ename}: ${out.evalue}`);
      if (out.output_type === "stream" && out.name === "stderr") {
        const text = Array.isArray(out.text) ? out.text.join("") : out.text;
        problems.push(`${where}: ${text.trim().split("\n").slice(0, 3).join(" | ")}`);
      }
    }
  });
  if (problems.length > 0) problems.push(`${basename(file)}: tslab skips the cells after a failing one; fix the first problem and run again.`);
  return problems;
}

/** Jupyter's own defaults for ContentsManager.hide_globs (Notebook 6.4), which a new list replaces. */
const JUPYTER_HIDE_GLOBS = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*.so", "*.dylib", "*~"];

/** The notebook a learner starts with: the original notebook's port. */
export const FIRST_NOTEBOOK = "tokenization_data_prep.ipynb";

/**
 * `npm start`'s options for the classic Notebook (6.4): the file list shows the notebooks only
 * (notebooks/node_modules, the link tslab needs, is hidden), and the server opens on the first
 * notebook (what a browser is sent to, and where the printed URL leads). Options given to `npm start`
 * come after these and win.
 */
export function notebookServerOptions() {
  const files = notebookFiles([]);
  const first = files.find((f) => basename(f) === FIRST_NOTEBOOK) ?? files[0];
  return [
    ...[...JUPYTER_HIDE_GLOBS, "node_modules"].map((glob) => `--ContentsManager.hide_globs=${glob}`),
    ...(first ? [`--NotebookApp.default_url=/notebooks/${encodeURIComponent(basename(first))}`] : []),
  ];
}

async function start(args) {
  const jupyter = requireJupyter("notebook");
  requireBuiltLibrary();
  linkPackage();
  const env = jupyterEnv(registerKernel());
  // Jupyter refuses to run as root unless told; root is the norm in containers.
  const asRoot = process.getuid?.() === 0 && !args.includes("--allow-root") ? ["--allow-root"] : [];
  const child = spawn(jupyter, ["notebook", `--notebook-dir=${notebooksDir}`, ...notebookServerOptions(), ...asRoot, ...args], {
    stdio: "inherit",
    env,
    cwd: notebooksDir,
  });
  // Ctrl-C reaches Jupyter through the terminal; this process waits for it to finish. A SIGTERM
  // (a process manager, a test) is passed on, so Jupyter shuts down cleanly too.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("error", (e) => fail(`Could not start Jupyter: ${e.message}`));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}

async function execute(args) {
  const screenshot = !args.includes("--no-screenshot");
  const unknown = args.filter((a) => a.startsWith("-") && a !== "--no-screenshot");
  if (unknown.length > 0) throw new UsageError(`Unknown option ${unknown[0]}. Usage: jupyter.mjs execute [--no-screenshot] [notebook.ipynb…]`);
  const files = notebookFiles(args.filter((a) => !a.startsWith("-")));
  const jupyter = requireJupyter("nbconvert");
  requireBuiltLibrary();
  const chromium = screenshot ? findChromium() : null;
  if (screenshot && !chromium) fail(INSTALL_CHROMIUM);
  linkPackage();
  const env = jupyterEnv(registerKernel());
  mkdirSync(outputDir, { recursive: true });
  const template = join(repoRoot, "scripts", "nbconvert", "offline.html.j2");
  const problems = [];
  for (const file of files) {
    const name = basename(file, ".ipynb");
    const executed = join(outputDir, `${name}.ipynb`);
    process.stderr.write(`Executing ${basename(file)} → ${executed}\n`);
    // --allow-errors: keep every output so the problems can be listed below (tslab reports them on stderr).
    const code = await run(
      jupyter,
      [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        file,
        "--output-dir",
        outputDir,
        "--output",
        name,
        "--allow-errors",
        "--ExecutePreprocessor.kernel_name=tslab",
        "--ExecutePreprocessor.timeout=900",
      ],
      { env, cwd: notebooksDir },
    );
    if (code !== 0 || !existsSync(executed)) {
      problems.push(`${basename(file)}: nbconvert failed (exit ${code})`);
      continue;
    }
    problems.push(...notebookProblems(executed));
    const htmlCode = await run(jupyter, ["nbconvert", "--to", "html", executed, "--output-dir", outputDir, "--output", name, `--template-file=${template}`], {
      env,
      cwd: outputDir,
    });
    if (htmlCode !== 0) problems.push(`${name}.ipynb: HTML export failed (exit ${htmlCode})`);
  }
  const histogramHtml = join(outputDir, `${HISTOGRAM_NOTEBOOK}.html`);
  if (chromium && existsSync(histogramHtml)) {
    const png = join(outputDir, HISTOGRAM_PNG);
    try {
      const found = await screenshotPlot({ chromium, htmlFile: histogramHtml, divId: HISTOGRAM_DIV_ID, pngFile: png });
      process.stderr.write(`Screenshot of the token-length histogram (${found.bars} bars drawn) → ${png}\n`);
    } catch (e) {
      problems.push(`Screenshot of #${HISTOGRAM_DIV_ID} in ${histogramHtml} failed: ${e.message}`);
    }
  } else if (chromium && files.some((f) => basename(f, ".ipynb") === HISTOGRAM_NOTEBOOK)) {
    problems.push(`${histogramHtml} was not written, so the histogram could not be screenshot.`);
  }
  if (problems.length > 0) {
    process.stderr.write(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
  }
  process.stderr.write(`Done: ${files.length} notebook(s) executed into ${outputDir}\n`);
}

async function main() {
  const [command, ...args] = process.argv.slice(2);
  try {
    if (command === "start") await start(args);
    else if (command === "execute") await execute(args);
    else throw new UsageError(`Usage: node scripts/jupyter.mjs start [jupyter notebook options…] | execute [--no-screenshot] [notebook.ipynb…]`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
