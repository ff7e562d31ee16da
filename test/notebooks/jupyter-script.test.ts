// scripts/jupyter.mjs (npm start / npm run notebooks:execute): its messages when something is
// missing, its usage errors, and `start` serving the notebooks with the tslab kernel registered.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const script = join(repoRoot, "scripts", "jupyter.mjs");
const temp = tempDir("ftp-jupyter-script-").dir;

function runScript(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, env, encoding: "utf8", timeout: 60_000 });
}

/** A PATH holding only the named commands (links to the real ones). */
function pathWith(...commands: string[]): string {
  const dir = mkdtempSync(join(temp, "bin-"));
  for (const c of commands) {
    const real = spawnSync("sh", ["-c", `command -v ${c}`], { encoding: "utf8" }).stdout.trim();
    if (!real) throw new Error(`${c} is not installed here; this test needs it (Debian: jupyter-notebook, jupyter-nbconvert).`);
    symlinkSync(real, join(dir, c));
  }
  return dir;
}

describe("when something is missing", () => {
  it.each(["start", "execute"])("%s without Jupyter: one line saying how to install it, exit 1", (command) => {
    const r = runScript([command], { ...process.env, PATH: pathWith() });
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("pip install notebook");
    expect(lines[0]).toContain("apt-get install jupyter-notebook");
    expect(r.stdout).toBe("");
  });

  it("execute without Chromium: one line saying how to install it (or skip the screenshot), exit 1", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWith("jupyter", "jupyter-nbconvert") };
    delete env.CHROMIUM_PATH;
    const r = runScript(["execute"], env);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/apt-get install chromium.*--no-screenshot/)]);
  });
});

describe("usage errors exit 2", () => {
  it("an unknown command", () => {
    const r = runScript(["serve"], process.env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^Usage: node scripts\/jupyter\.mjs start .* \| execute/);
  });

  it("an unknown option or notebook", () => {
    expect(runScript(["execute", "--fast"], process.env).status).toBe(2);
    const r = runScript(["execute", "--no-screenshot", "missing.ipynb"], process.env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(repoRoot, "notebooks", "missing.ipynb"));
  });
});

describe("the package link tslab resolves `finetune-prep` through", () => {
  it("notebooks/node_modules/finetune-prep is the repository", () => {
    expect(realpathSync(join(repoRoot, "notebooks", "node_modules", "finetune-prep"))).toBe(realpathSync(repoRoot));
    const pkg = JSON.parse(readFileSync(join(repoRoot, "notebooks", "node_modules", "finetune-prep", "package.json"), "utf8")) as { name: string };
    expect(pkg.name).toBe("finetune-prep");
  });
});

describe("npm start", () => {
  it("serves notebooks/ with the tslab TypeScript kernel registered, lists only the notebooks, opens on the first, and stops on SIGTERM", async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const token = "finetune-prep-test";
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JUPYTER_TOKEN: token,
      JUPYTER_RUNTIME_DIR: mkdtempSync(join(temp, "runtime-")),
      JUPYTER_CONFIG_DIR: mkdtempSync(join(temp, "config-")),
    };
    const child = spawn(process.execPath, [script, "start", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0"], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      let specs: { kernelspecs: Record<string, { spec: { argv: string[]; display_name: string; language: string } }> } | undefined;
      let contents: { content: { name: string }[] } | undefined;
      let home: Response | undefined;
      for (let attempt = 0; attempt < 300 && !specs; attempt++) {
        await new Promise((r) => setTimeout(r, 200));
        if (child.exitCode !== null) break;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`);
          if (res.ok) specs = (await res.json()) as typeof specs;
          const list = await fetch(`http://127.0.0.1:${port}/api/contents?token=${token}`);
          if (list.ok) contents = (await list.json()) as typeof contents;
          home = await fetch(`http://127.0.0.1:${port}/?token=${token}`, { redirect: "manual" });
        } catch {
          // not listening yet
        }
      }
      expect(specs, log).toBeDefined();
      const tslab = specs!.kernelspecs.tslab!.spec;
      expect(tslab.display_name).toBe("TypeScript");
      expect(tslab.language).toBe("typescript");
      expect(tslab.argv[1]).toBe(join(repoRoot, "node_modules", "tslab", "bin", "tslab"));
      // The server's root is notebooks/, and its file list holds the notebooks and nothing else
      // (notebooks/node_modules, the link tslab resolves the package through, is hidden).
      const notebooks = readdirSync(join(repoRoot, "notebooks"))
        .filter((f) => f.endsWith(".ipynb"))
        .sort();
      expect(notebooks).toEqual(expect.arrayContaining(["tokenization_data_prep.ipynb", "token_lengths.ipynb"]));
      expect(contents!.content.map((c) => c.name).sort()).toEqual(notebooks);
      // The URL Jupyter prints (and sends a browser to) leads to the first notebook, the original's port.
      expect(home!.status).toBe(302);
      expect(home!.headers.get("location")).toMatch(/^\/notebooks\/tokenization_data_prep\.ipynb(\?|$)/);
    } finally {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    expect(log).not.toMatch(/Traceback/);
  }, 120_000);
});
