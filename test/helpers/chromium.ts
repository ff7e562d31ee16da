// Headless Chromium (Debian's package) as the browser that runs a page's scripts: plotly must draw offline.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

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
 * {@link chromiumDom} without blocking the test worker: a long synchronous run starves vitest's
 * worker of its event loop (its RPC to the runner times out, an "unhandled error"), so tests that
 * load big pages (plotly's 10 MB bundle) should await this one.
 */
export function chromiumDomAsync(file: string): Promise<{ dom: string; error?: Error }> {
  const profile = mkdtempSync(join(tmpdir(), "ftp-test-chromium-"));
  return new Promise<{ dom: string; error?: Error }>((resolve) => {
    const child = spawn("chromium", [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--virtual-time-budget=30000", "--dump-dom", pathToFileURL(file).href], {
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 180_000,
    });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => chunks.push(d));
    child.on("error", (error) => resolve({ dom: Buffer.concat(chunks).toString("utf8"), error }));
    child.on("close", () => resolve({ dom: Buffer.concat(chunks).toString("utf8") }));
  }).finally(() => rmSync(profile, { recursive: true, force: true }));
}
