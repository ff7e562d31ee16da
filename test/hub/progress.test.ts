import { describe, expect, it, vi } from "vitest";
import { fast, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";

// Capture what the download shows, wherever createProgress would draw it.
const calls = vi.hoisted(() => ({ created: [] as { total: number; label: string; unit?: string; progress?: boolean }[], updates: [] as number[], stopped: 0 }));
vi.mock("../../src/util/progress.js", () => ({
  createProgress: (p: { total: number; label: string; unit?: string; progress?: boolean }) => {
    calls.created.push(p);
    return { update: (n: number) => calls.updates.push(n), increment() {}, setTotal() {}, stop: () => void calls.stopped++ };
  },
}));

const { hfHubDownload } = await import("../../src/hub/index.js");

const hub = useHubServer();

describe("download progress", () => {
  const env = useHubTestEnv();

  it("goes through createProgress in bytes, up to the file's size, and stops", async () => {
    await hfHubDownload({ repoId: "EleutherAI/pythia-70m", path: "tokenizer.json", ...fast(hub.url, env.cacheDir, { progress: true }) });
    const size = hub.file("EleutherAI/pythia-70m", "tokenizer.json").size;
    expect(calls.created).toEqual([{ total: size, label: "Downloading tokenizer.json", unit: "B", progress: true }]);
    expect(calls.updates.at(-1)).toBe(size);
    expect(calls.updates.length).toBeGreaterThan(1);
    expect(calls.stopped).toBe(1);
    // progress: false is passed on (createProgress then shows nothing).
    await hfHubDownload({ repoId: "EleutherAI/pythia-70m", path: "config.json", ...fast(hub.url, env.cacheDir, { progress: false }) });
    expect(calls.created.at(-1)!.progress).toBe(false);
  });
});
