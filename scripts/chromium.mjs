// Headless Chromium (Debian's `chromium`, never a downloaded browser) driven over the DevTools
// protocol on a pipe (--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-separated JSON), so no
// WebSocket library or port is needed. Used by jupyter.mjs to screenshot a plot of an executed
// notebook's HTML.
import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";

/** The flags every run uses: headless, no sandbox (containers), and nothing that reaches the network. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Chromium's path: $CHROMIUM_PATH, else `chromium` (Debian) or `chromium-browser` on PATH; null when none. */
export function findChromium() {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : [];
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of ["chromium", "chromium-browser"]) candidates.push(join(dir, name));
  }
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not this one
    }
  }
  return null;
}

/** A DevTools-protocol session with one page. */
class Cdp {
  #nextId = 1;
  #pending = new Map();
  #listeners = [];
  #buffer = "";

  constructor(writable, readable) {
    this.writable = writable;
    readable.setEncoding("utf8");
    readable.on("data", (chunk) => {
      this.#buffer += chunk;
      for (let end = this.#buffer.indexOf("\0"); end >= 0; end = this.#buffer.indexOf("\0")) {
        const message = JSON.parse(this.#buffer.slice(0, end));
        this.#buffer = this.#buffer.slice(end + 1);
        this.#dispatch(message);
      }
    });
  }

  #dispatch(message) {
    if (message.id !== undefined) {
      const waiter = this.#pending.get(message.id);
      if (!waiter) return;
      this.#pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
      return;
    }
    for (const listener of this.#listeners) listener(message);
  }

  send(method, params = {}, sessionId) {
    const id = this.#nextId++;
    const message = { id, method, params, ...(sessionId ? { sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.writable.write(`${JSON.stringify(message)}\0`);
    });
  }

  waitFor(method, sessionId, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${method}`));
      }, timeoutMs);
      const listener = (message) => {
        if (message.method !== method || (sessionId && message.sessionId !== sessionId)) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        resolve(message.params);
      };
      this.#listeners.push(listener);
    });
  }

  failAll(error) {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

/**
 * Opens `htmlFile` in a fresh headless Chromium (own temporary profile) and runs `use(page)`;
 * `page.evaluate(expression)` returns the expression's JSON value, `page.screenshot(selector, pngFile)`
 * saves a PNG of the first element matching `selector`. The browser is closed afterwards.
 */
export async function withPage({ chromium, htmlFile, timeoutMs = 60_000, windowSize = "1200,900" }, use) {
  const profile = mkdtempSync(join(tmpdir(), "finetune-prep-chromium-"));
  const child = spawn(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-pipe", `--window-size=${windowSize}`, "about:blank"], {
    stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const cdp = new Cdp(child.stdio[3], child.stdio[4]);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.on("exit", (code) => cdp.failAll(new Error(`chromium exited (${code}) before it was done:\n${stderr}`)));
  child.on("error", (e) => cdp.failAll(e));
  try {
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    await cdp.send("Page.enable", {}, sessionId);
    const loaded = cdp.waitFor("Page.loadEventFired", sessionId, timeoutMs);
    await cdp.send("Page.navigate", { url: pathToFileURL(htmlFile).href }, sessionId);
    await loaded;
    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression, returnByValue: true }, sessionId);
      if (exceptionDetails) throw new Error(`In ${htmlFile}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    };
    const screenshot = async (selector, pngFile) => {
      const rect = await evaluate(`(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return null;
        el.scrollIntoView({ block: "center" });
        const r = el.getBoundingClientRect(); return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height }; })()`);
      if (!rect) throw new Error(`No element ${selector} in ${htmlFile}.`);
      const { data } = await cdp.send("Page.captureScreenshot", { format: "png", clip: { ...rect, scale: 1 } }, sessionId);
      writeFileSync(pngFile, Buffer.from(data, "base64"));
    };
    return await use({ evaluate, screenshot });
  } finally {
    // A graceful close takes the renderer processes with it; kill only what is left after a while.
    const later = (ms) => new Promise((r) => setTimeout(r, ms).unref());
    if (child.exitCode === null && child.signalCode === null) {
      await Promise.race([cdp.send("Browser.close").catch(() => {}), later(5000)]);
      await Promise.race([exited, later(5000)]);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Opens `htmlFile`, waits until the plotly figure in `#<divId>` has drawn (its `.main-svg` and at
 * least one non-empty bar path), and saves a PNG of that element to `pngFile`.
 * Returns what was found: { svgs, bars }.
 */
export async function screenshotPlot({ chromium, htmlFile, divId, pngFile, timeoutMs = 60_000 }) {
  return withPage({ chromium, htmlFile, timeoutMs }, async (page) => {
    const probe = `(() => {
      const el = document.getElementById(${JSON.stringify(divId)});
      if (!el) return { found: false };
      // A bar is drawn as "M x,y0 V y1 H x' V y0 Z"; an empty bin has y1 = y0.
      const bars = [...el.querySelectorAll(".bars .point path")].filter((p) => { const m = /^M[-\\d.]+,([-\\d.]+)V([-\\d.]+)H/.exec(p.getAttribute("d") || ""); return m !== null && m[1] !== m[2]; }).length;
      return { found: true, svgs: el.querySelectorAll(".main-svg").length, bars };
    })()`;
    const deadline = Date.now() + timeoutMs;
    let state;
    for (;;) {
      state = await page.evaluate(probe);
      if (state.found && state.svgs > 0 && state.bars > 0) break;
      // No such div once the page has loaded and had a few seconds: it will not come.
      if (!state.found && Date.now() > deadline - timeoutMs + 10_000) throw new Error(`No #${divId} in ${htmlFile}.`);
      if (Date.now() > deadline) throw new Error(`#${divId} in ${htmlFile} did not draw within ${timeoutMs} ms (found: ${JSON.stringify(state)}).`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.screenshot(`#${divId}`, pngFile);
    return { svgs: state.svgs, bars: state.bars };
  });
}
