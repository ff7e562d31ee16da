// The one-way rule of src/ (docs/architecture.md): data flows hub → dataset → tokenizer → prep →
// stats, viz → io → pipeline → cli, and a stage imports only from the stages before it, plus
// src/errors.ts and src/util/. Checked on every import of every source file.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/shared.js";

/** Each stage, and the stages it may import from (besides itself, errors.ts and util/). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  hub: [],
  dataset: ["hub"],
  tokenizer: ["hub", "dataset"],
  prep: ["hub", "dataset", "tokenizer"],
  stats: ["hub", "dataset", "tokenizer", "prep"],
  viz: ["hub", "dataset", "tokenizer", "prep", "stats"],
  io: ["hub", "dataset", "tokenizer", "prep", "stats"],
  pipeline: ["hub", "dataset", "tokenizer", "prep", "stats", "io"],
  cli: ["hub", "dataset", "tokenizer", "prep", "stats", "io", "pipeline"],
  util: [],
};

/** Files under src/ that belong to no stage: the package's entry (imports every stage) and the errors (import none). */
const ROOT_FILES: Record<string, readonly string[] | "all"> = { "index.ts": "all", "errors.ts": [] };

const src = join(repoRoot, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** The relative module specifiers of a source text: static imports and re-exports, side-effect and dynamic imports. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.[^"']*)["']/gm)) found.push(m[1]!);
  return found;
}

/** Where a file of src/ belongs: a stage's folder, or a root file's name (its first path segment either way). */
function stageOf(file: string): string {
  return relative(src, file).split(sep)[0]!;
}

/** The imports that break the rule, as "importer → imported" lines. */
function violations(files: { file: string; text: string }[]): string[] {
  const out: string[] = [];
  for (const { file, text } of files) {
    const from = stageOf(file);
    for (const spec of relativeImports(text)) {
      const target = resolve(dirname(file), spec);
      const rel = relative(src, target);
      if (rel.startsWith("..")) {
        out.push(`${relative(repoRoot, file)} → ${spec} (outside src/)`);
        continue;
      }
      const to = stageOf(target).replace(/\.js$/, ".ts");
      if (to === from || to === "errors.ts" || to === "util") continue;
      const allowed = from in ROOT_FILES ? ROOT_FILES[from] : MAY_IMPORT[from];
      if (allowed === undefined) out.push(`${relative(repoRoot, file)}: ${from} is not a known stage (add it to MAY_IMPORT and docs/architecture.md)`);
      else if (allowed !== "all" && !allowed.includes(to)) out.push(`${relative(repoRoot, file)} (${from}) → ${spec} (${to})`);
    }
  }
  return out;
}

describe("imports between the stages of src/ run one way", () => {
  it("every stage of src/ is a known stage", () => {
    const folders = readdirSync(src, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it("no source file imports from a later stage", () => {
    const files = sourceFiles(src).map((file) => ({ file, text: readFileSync(file, "utf8") }));
    expect(files.length).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it("the check catches an import that runs back up, a re-export and a dynamic import", () => {
    const at = (p: string) => join(src, p);
    expect(
      violations([
        { file: at("prep/x.ts"), text: 'import { runCli } from "../cli/index.js";\nimport { Dataset } from "../dataset/index.js";' },
        { file: at("dataset/readers/y.ts"), text: 'export { loadTokenizer } from "../../tokenizer/index.js";\nimport { thing } from "../dataset.js";' },
        { file: at("io/z.ts"), text: 'const m = await import("../pipeline/index.js");\nimport { IntegrityError } from "../errors.js";' },
        { file: at("util/w.ts"), text: 'import "../../test/helpers/shared.js";' },
      ]),
    ).toEqual([
      "src/prep/x.ts (prep) → ../cli/index.js (cli)",
      "src/dataset/readers/y.ts (dataset) → ../../tokenizer/index.js (tokenizer)",
      "src/io/z.ts (io) → ../pipeline/index.js (pipeline)",
      "src/util/w.ts → ../../test/helpers/shared.js (outside src/)",
    ]);
  });
});
