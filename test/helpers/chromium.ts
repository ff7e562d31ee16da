// Headless Chromium (Debian's package) as the browser that runs a page's scripts: plotly must draw offline.
import { spawnSync } from "node:child_process";
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
