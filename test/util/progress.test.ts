import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/util/progress.js";

function fakeStream(isTTY: boolean) {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { chunks: string[] };
  s.chunks = [];
  (s as { isTTY: boolean }).isTTY = isTTY;
  (s as { columns: number }).columns = 100;
  (s as unknown as { cursorTo: () => boolean }).cursorTo = () => true;
  (s as unknown as { clearLine: () => boolean }).clearLine = () => true;
  (s as unknown as { moveCursor: () => boolean }).moveCursor = () => true;
  s.on("data", (c: Buffer) => s.chunks.push(c.toString()));
  return s;
}

describe("createProgress", () => {
  it("writes nothing when the stream is not a terminal", () => {
    const s = fakeStream(false);
    const p = createProgress({ total: 10, label: "Map", stream: s });
    p.increment(10);
    p.stop();
    expect(s.chunks.join("")).toBe("");
  });

  it("draws a bar with label and counts on a terminal", async () => {
    const s = fakeStream(true);
    const p = createProgress({ total: 10, label: "Map", unit: "examples", stream: s });
    p.increment(4);
    p.update(10);
    p.stop();
    await new Promise((r) => setImmediate(r));
    const out = s.chunks.join("");
    expect(out).toContain("Map");
    expect(out).toContain("10/10 examples");
  });

  it("writes nothing with progress: false, even on a terminal", () => {
    const s = fakeStream(true);
    const p = createProgress({ total: 10, label: "Map", stream: s, progress: false });
    p.increment(10);
    p.stop();
    expect(s.chunks.join("")).toBe("");
  });

  it("honours HF_DATASETS_DISABLE_PROGRESS_BARS", () => {
    const s = fakeStream(true);
    process.env.HF_DATASETS_DISABLE_PROGRESS_BARS = "1";
    try {
      const p = createProgress({ total: 10, label: "Map", stream: s });
      p.increment(10);
      p.stop();
    } finally {
      delete process.env.HF_DATASETS_DISABLE_PROGRESS_BARS;
    }
    expect(s.chunks.join("")).toBe("");
  });

  it("renders into a tslab display inside a notebook", () => {
    const shown: string[] = [];
    const g = globalThis as { __tslab__?: unknown };
    g.__tslab__ = { require: (id: string) => (id === "tslab" ? { newDisplay: () => ({ html: (h: string) => shown.push(h), text() {} }) } : undefined) };
    try {
      const p = createProgress({ total: 4, label: "Map", unit: "examples" });
      p.increment(4);
      p.stop();
    } finally {
      delete g.__tslab__;
    }
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown.at(-1)).toContain('<progress value="4" max="4"');
    expect(shown.at(-1)).toContain("100%");
  });
});
