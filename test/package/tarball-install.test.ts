// The package as a user gets it: `npm pack`, then `npm install <tarball>` in an empty folder with
// no .npmrc and no overrides, from the npm registry alone. It must install without install
// scripts into a small node_modules, import by name (ESM and CommonJS), type-check a consumer,
// encode, and run `npx finetune-prep prepare` offline on ../shared/hf-home.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hfHome, pythiaDir, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

/** What a project that depends on finetune-prep may hold at most. */
const MAX_NODE_MODULES_BYTES = 60 * 1024 * 1024;
/** Scripts npm runs when it installs a package from the registry (prepare too for a tarball or folder: our own package). */
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];

/** This process's environment without what `npm test` exports (npm_config_* would carry our .npmrc into the user's install). */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !/^(HF_|HUGGING|TRANSFORMERS_)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Bytes under `dir`, links not followed. */
function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(p);
    else total += lstatSync(p).size;
  }
  return total;
}

/** Every installed package.json under node_modules (scoped ones and nested node_modules included). */
function installedPackages(nodeModules: string): { name: string; dir: string; json: Record<string, unknown> }[] {
  const out: { name: string; dir: string; json: Record<string, unknown> }[] = [];
  const visit = (folder: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const p = join(folder, entry.name);
      if (entry.name.startsWith("@")) {
        visit(p);
        continue;
      }
      const file = join(p, "package.json");
      if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        out.push({ name: String(json.name), dir: p, json });
      }
      visit(join(p, "node_modules"));
    }
  };
  visit(nodeModules);
  return out;
}

describe("npm install <packed tarball> in an empty project", () => {
  const tmp = tempDir("ftp-tarball-");
  let installLog = "";

  beforeAll(() => {
    expect(existsSync(join(repoRoot, "dist", "index.js")), "dist/ is missing: run `npm run build` first").toBe(true);
    // --ignore-scripts: dist/ is already built (npm test builds it); prepack would build it again.
    const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp.dir], {
      cwd: repoRoot,
      env: userEnv(),
      encoding: "utf8",
    });
    const tarball = join(tmp.dir, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    tmp.write("project/package.json", JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", tarball], {
      cwd: tmp.path("project"),
      env: userEnv(),
      encoding: "utf8",
      timeout: 300_000,
    });
    installLog = `${r.stdout}\n${r.stderr}`;
    expect(r.status, `npm install failed:\n${installLog}`).toBe(0);
  }, 360_000);

  it("has no install scripts anywhere in the tree, and npm warns of none", () => {
    const withScripts = installedPackages(tmp.path("project/node_modules")).filter(({ json, dir }) => {
      const scripts = (json.scripts ?? {}) as Record<string, unknown>;
      const run = json.name === "finetune-prep" ? [...INSTALL_SCRIPTS, "prepare"] : INSTALL_SCRIPTS;
      return run.some((s) => s in scripts) || existsSync(join(dir, "binding.gyp"));
    });
    expect(withScripts.map((p) => p.name)).toEqual([]);
    expect(installLog).not.toMatch(/install-scripts|install script/i);
  });

  it(`fits in ${MAX_NODE_MODULES_BYTES / 1024 / 1024} MB of node_modules and brings no notebook or ONNX package`, () => {
    const bytes = sizeOf(tmp.path("project/node_modules"));
    expect(bytes).toBeLessThanOrEqual(MAX_NODE_MODULES_BYTES);
    const names = installedPackages(tmp.path("project/node_modules")).map((p) => p.name);
    for (const heavy of [
      "@huggingface/transformers",
      "onnxruntime-node",
      "onnxruntime-web",
      "tslab",
      "danfojs-node",
      "plotly.js-dist",
      "zeromq",
      "sharp",
      "typescript",
    ]) {
      expect(names).not.toContain(heavy);
    }
  });

  it("imports by name from ESM and CommonJS and encodes as Python", () => {
    const script = `
      import { loadTokenizer, prepareInstructionDataset } from "finetune-prep";
      const tok = await loadTokenizer(${JSON.stringify(pythiaDir())});
      console.log(JSON.stringify({ ids: tok.encode("Hi, how are you?"), prep: typeof prepareInstructionDataset }));
    `;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: tmp.path("project"), env: userEnv(), encoding: "utf8" });
    expect(JSON.parse(out.trim())).toEqual({ ids: [12764, 13, 849, 403, 368, 32], prep: "function" });
    const cjs = execFileSync(process.execPath, ["-e", `console.log(typeof require("finetune-prep").loadDataset)`], {
      cwd: tmp.path("project"),
      env: userEnv(),
      encoding: "utf8",
    });
    expect(cjs.trim()).toBe("function");
  });

  it("says which package to install when an optional display package is missing", () => {
    const script = `
      import { Dataset } from "finetune-prep";
      try { Dataset.fromDict({ a: [1] }).toDataFrame(); console.log("{}"); }
      catch (e) { console.log(JSON.stringify({ name: e.name, pkg: e.packageName, message: e.message })); }
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: tmp.path("project"), env: userEnv(), encoding: "utf8" }).trim(),
    ) as Record<string, string>;
    expect(out).toMatchObject({ name: "MissingDependencyError", pkg: "danfojs-node" });
    expect(out.message).toContain("npm install danfojs-node");
  });

  it("type-checks a consumer against the shipped declarations (skipLibCheck off)", () => {
    tmp.write(
      "project/consumer.ts",
      `import { loadTokenizer, type Tokenizer, type DataFrame } from "finetune-prep";\n` +
        `const tok: Tokenizer = await loadTokenizer("EleutherAI/pythia-70m", { offline: true });\n` +
        `const ids: number[] = tok.encode("x");\n` +
        `// @ts-expect-error encode takes a string\n` +
        `tok.encode(42);\n` +
        `export type { DataFrame };\n` +
        `export { ids };\n`,
    );
    // A CommonJS consumer: require() of this ESM package is typed (TypeScript 5.8+, nodenext) as Node 20.19+ runs it.
    tmp.write(
      "project/consumer-cjs.cts",
      `import ftp = require("finetune-prep");\n` + `const load: typeof ftp.loadTokenizer = ftp.loadTokenizer;\n` + `export = load;\n`,
    );
    // @types/node is the consumer's own business: the repository's copy stands in for it.
    tmp.write(
      "project/tsconfig.json",
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          lib: ["ES2023"],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [join(repoRoot, "node_modules", "@types")],
          types: ["node"],
        },
        files: ["consumer.ts", "consumer-cjs.cts"],
      }),
    );
    const r = spawnSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", tmp.path("project")], {
      cwd: tmp.path("project"),
      encoding: "utf8",
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("runs `npx finetune-prep prepare` offline on the cached Pythia and lamini files", () => {
    const r = spawnSync("npx", ["--no-install", "finetune-prep", "prepare", "--out", tmp.path("out")], {
      cwd: tmp.path("project"),
      env: userEnv({ HF_HOME: hfHome(), HF_HUB_OFFLINE: "1" }),
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const stats = JSON.parse(readFileSync(tmp.path("out/stats.json"), "utf8")) as { splits?: Record<string, { rows?: number }> };
    expect(existsSync(tmp.path("out/train.parquet")) && existsSync(tmp.path("out/test.parquet"))).toBe(true);
    expect(JSON.stringify(stats)).toMatch(/1260/);
    // The same with a worker thread (its script resolved inside the installed package): the same files.
    const w = spawnSync("npx", ["--no-install", "finetune-prep", "prepare", "--workers", "1", "--out", tmp.path("out-worker")], {
      cwd: tmp.path("project"),
      env: userEnv({ HF_HOME: hfHome(), HF_HUB_OFFLINE: "1" }),
      encoding: "utf8",
      timeout: 180_000,
    });
    expect(w.status, w.stdout + w.stderr).toBe(0);
    expect(w.stderr).toMatch(/Prepared 1,400 rows \(\d of 2 batches on 1 worker thread\)/);
    for (const f of ["train.parquet", "test.parquet"]) expect(readFileSync(tmp.path(`out-worker/${f}`)).equals(readFileSync(tmp.path(`out/${f}`)))).toBe(true);
  }, 300_000);
});
