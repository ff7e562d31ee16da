import { readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hfHubDownload } from "../../src/hub/index.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { pythiaDir } from "../helpers/shared.js";
import { childLines, spawnDownloadChild } from "../helpers/ts-child.js";

const PYTHIA = "EleutherAI/pythia-70m";

const hub = useHubServer();

describe("concurrent downloads of the same file", () => {
  const env = useHubTestEnv();

  it("two processes at once end with one good copy and no temp file", async () => {
    // Both bodies pause midway, so the two downloads overlap whatever the start-up times.
    hub.setFaults([{ kind: "stall", path: "/repos/", server: "cdn", bytes: 500_000, ms: 1500, times: 2 }]);
    const spawnChild = () => spawnDownloadChild({ endpoint: hub.url, cacheDir: env.cacheDir, repoId: PYTHIA, path: "tokenizer.json" });
    const children = [spawnChild(), spawnChild()];
    const outs = children.map(childLines);
    try {
      expect(await Promise.all(outs.map((o) => o.next()))).toEqual(["ready", "ready"]);
      const start = hub.requests.length;
      for (const c of children) c.stdin!.write("go\n");
      const results = (await Promise.all(outs.map((o) => o.next()))).map((l) => JSON.parse(l) as { path?: string; error?: string });
      expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
      expect(results[0]!.path).toBe(results[1]!.path);
      const local = results[0]!.path!;
      expect(readFileSync(local).equals(readFileSync(join(pythiaDir(), "tokenizer.json")))).toBe(true);
      const storage = join(env.cacheDir, "models--EleutherAI--pythia-70m");
      const files = tree(storage);
      expect(files.filter((f) => f.startsWith("blobs/"))).toEqual([`blobs/${hub.file(PYTHIA, "tokenizer.json").sha256}`]);
      expect(files.filter((f) => /incomplete|\.tmp/.test(f))).toEqual([]);
      expect(readlinkSync(local)).toBe(`../../blobs/${hub.file(PYTHIA, "tokenizer.json").sha256}`);
      // Both really downloaded at the same time: two body GETs, both of them stalled.
      expect(
        hub.requests
          .slice(start)
          .filter((r) => r.server === "cdn")
          .map((r) => r.fault),
      ).toEqual(["stall", "stall"]);
    } finally {
      hub.setFaults([]);
      for (const c of children) c.kill();
    }
  });

  it("concurrent calls in one process share the result", async () => {
    const paths = await Promise.all(Array.from({ length: 4 }, () => hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json", ...fast(hub.url, env.cacheDir) })));
    expect(new Set(paths).size).toBe(1);
    expect(readFileSync(paths[0]!).equals(readFileSync(join(pythiaDir(), "tokenizer.json")))).toBe(true);
    expect(tree(join(env.cacheDir, "models--EleutherAI--pythia-70m")).filter((f) => f.startsWith("blobs/") || /incomplete|\.tmp/.test(f))).toEqual([
      `blobs/${hub.file(PYTHIA, "tokenizer.json").sha256}`,
    ]);
  });
});
