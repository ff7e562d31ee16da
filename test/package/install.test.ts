import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot, pythiaDir } from "../helpers/shared.js";

// The package as a user gets it: `npm install <path to repo>` in an empty folder, then import it
// by name from plain Node and type-check a consumer against its declarations. Needs dist/ (npm test builds first).
describe("installed as a dependency", () => {
  it("imports by name, tokenizes, and type-checks from an empty folder", () => {
    expect(existsSync(join(repoRoot, "dist", "index.js")), "dist/ is missing: run `npm run build` first").toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "ftp-install-"));
    try {
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
      execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", repoRoot], { cwd: dir, stdio: "pipe" });

      const script = `
        import { loadTokenizer } from "finetune-prep";
        const tok = await loadTokenizer(${JSON.stringify(pythiaDir())});
        console.log(JSON.stringify(tok.encode("Hi, how are you?")));
      `;
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
      expect(JSON.parse(out.trim())).toEqual([12764, 13, 849, 403, 368, 32]);

      // CommonJS consumers (and tslab, which require()s) get the same module.
      const cjs = execFileSync(process.execPath, ["-e", `console.log(typeof require("finetune-prep").loadDataset)`], { cwd: dir, encoding: "utf8" });
      expect(cjs.trim()).toBe("function");

      writeFileSync(
        join(dir, "consumer.ts"),
        `import { loadTokenizer, type Tokenizer } from "finetune-prep";\n` +
          `const tok: Tokenizer = await loadTokenizer("EleutherAI/pythia-70m", { offline: true });\n` +
          `const ids: number[] = tok.encode("x");\n` +
          `// @ts-expect-error encode takes a string\n` +
          `tok.encode(42);\n` +
          `export { ids };\n`,
      );
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["consumer.ts"] }),
      );
      execFileSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: dir, stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
