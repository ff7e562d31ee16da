// Headless Chromium (Debian's package) as the browser that runs a page's scripts: plotly must draw offline.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The DOM of a local HTML file after Chromium ran its scripts (virtual time, so timers run out
 * quickly), in a throwaway profile. `error` is set when Chromium could not be run.
 */
export function chromiumDom(file: string): { dom: string; error?: Error } {
  const profile = mkdtempSync(join(tmpdir(), "ftp-test-chromium-"));
  try {
    const r = spawnSync("chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--virtual-time-budget=30000", "--dump-dom", pathToFileURL(file).href], {
      encoding: "utf8",
      maxBuffer: 256 << 20,
      timeout: 180_000,
    });
    return { dom: r.stdout, ...(r.error ? { error: r.error } : {}) };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * {@link chromiumDom} without blocking the test worker while Chromium runs (a long synchronous
 * spawn starves vitest's worker RPC): the DOM after the page's scripts ran, `error` when Chromium
 * could not be run or timed out.
 */
export function chromiumDomAsync(file: string): Promise<{ dom: string; error?: Error }> {
  const profile = mkdtempSync(join(tmpdir(), "ftp-test-chromium-"));
  return new Promise((resolve) => {
    const child = spawn("chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--virtual-time-budget=30000", "--dump-dom", pathToFileURL(file).href], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    const chunks: Buffer[] = [];
    let error: Error | undefined;
    const timer = setTimeout(() => {
      error = new Error("chromium did not finish in 180 s");
      child.kill("SIGKILL");
    }, 180_000);
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", (e) => (error = e));
    child.on("close", () => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      resolve({ dom: Buffer.concat(chunks).toString("utf8"), ...(error ? { error } : {}) });
    });
  });
}
