import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The parts of tslab's public module used here (tslab 1.0: `display`, `newDisplay`). */
interface TslabPublic {
  display: { html(s: string): void; raw(mime: string, data: string): void };
}

/** tslab's jupyter module: `lastWriteDisplayData` sends a display_data message for the running cell. */
interface TslabJupyter {
  lastWriteDisplayData?:
    | ((content: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void)
    | null;
}

/** Display access inside a tslab kernel. */
export interface TslabKernel {
  /**
   * Sends one display_data message holding every mime type of `bundle` (JSON types as objects),
   * so the front end picks the richest it can render. tslab's public API sends one mime type per
   * message; when its message writer cannot be reached only the "text/html" entry is shown.
   */
  displayBundle(bundle: Record<string, unknown>): void;
  /** Whether displayBundle sends the whole bundle (false: HTML only). */
  readonly bundles: boolean;
}

/**
 * The running tslab kernel, or undefined outside one. tslab hooks `require("tslab")` for notebook
 * code only; library code reaches the kernel's instance through the `__tslab__` global it installs.
 * Its public API sends one mime type per message, so the message writer is taken from the module
 * beside it (dist/jupyter.js, found in Node's module cache next to the public module): that is the
 * function tslab's own `display.raw` calls, given a bundle instead of a one-entry object.
 */
export function tslabKernel(): TslabKernel | undefined {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (typeof hook?.require !== "function") return undefined;
  let pub: TslabPublic;
  try {
    pub = hook.require("tslab") as TslabPublic;
  } catch {
    return undefined;
  }
  if (!pub?.display) return undefined;
  const cache = createRequire(import.meta.url).cache;
  const entry = Object.values(cache).find((m) => m?.exports === pub);
  const jupyter = entry ? (cache[join(dirname(entry.filename), "jupyter.js")]?.exports as TslabJupyter | undefined) : undefined;
  const bundles = typeof jupyter === "object" && jupyter !== null && "lastWriteDisplayData" in jupyter;
  return {
    bundles,
    displayBundle(bundle) {
      // Read at call time: tslab points it at the cell being executed.
      const write = jupyter?.lastWriteDisplayData;
      if (typeof write === "function") {
        write({ data: bundle, metadata: {}, transient: {} }, false);
        return;
      }
      const html = bundle["text/html"];
      if (typeof html === "string") pub.display.html(html);
      else {
        const [mime, data] = Object.entries(bundle)[0] ?? [];
        if (mime !== undefined) pub.display.raw(mime, typeof data === "string" ? data : JSON.stringify(data));
      }
    },
  };
}
