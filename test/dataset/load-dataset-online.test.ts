import { describe, expect, it, vi } from "vitest";
import { loadDataset, NotCachedError } from "../../src/index.js";
import { rejection } from "../helpers/failures.js";
import { useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { laminiRows } from "../helpers/shared.js";

const COMMIT = "a".repeat(40);
const jsonl = (...rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

const hub = useHubServer({
  repos: [
    {
      id: "org/qa-configs",
      type: "dataset",
      refs: { main: COMMIT },
      commits: {
        [COMMIT]: {
          "README.md":
            "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n    path: raw/part-*.jsonl\n  - split: test\n    path: held-out.csv\n---\n# QA\n",
          "raw/part-1.jsonl": jsonl({ q: "b" }),
          "raw/part-0.jsonl": jsonl({ q: "a" }, { q: "a2" }),
          "held-out.csv": "q\nz\n",
          "train.jsonl": jsonl({ q: "not in the config" }),
        },
      },
    },
  ],
});

describe("loadDataset online, through a loopback Hub", () => {
  // No real token, cache or endpoint from the machine's environment.
  const env = useHubTestEnv();

  it("downloads lamini_docs into an empty cache, then loads it offline from that cache without a request", async () => {
    const online = await loadDataset("kotzeje/lamini_docs.jsonl", { endpoint: hub.url, cacheDir: env.cacheDir, progress: false });
    expect(online.numRows).toEqual({ train: 1400 });
    expect(online.train.toRows()).toEqual(laminiRows());
    const paths = hub.requests.map((r) => r.path);
    expect(paths.some((p) => p.includes("/api/datasets/kotzeje/lamini_docs.jsonl/tree/"))).toBe(true);
    expect(paths.some((p) => p.includes("/datasets/kotzeje/lamini_docs.jsonl/resolve/") && p.endsWith("/README.md"))).toBe(true);
    expect(paths.some((p) => p.endsWith("data/train-00000-of-00001.parquet"))).toBe(true);

    const before = hub.requests.length;
    const offline = await loadDataset("kotzeje/lamini_docs.jsonl", { cacheDir: env.cacheDir, offline: true, progress: false });
    expect(offline.train.toRows()).toEqual(laminiRows());
    expect(hub.requests.length).toBe(before);
  });

  it("reads the endpoint from HF_ENDPOINT and the cache from HF_HUB_CACHE", async () => {
    vi.stubEnv("HF_ENDPOINT", hub.url);
    vi.stubEnv("HF_HUB_CACHE", env.cacheDir);
    const ds = await loadDataset("kotzeje/lamini_docs.jsonl", { split: "train", progress: false });
    expect(ds.numRows).toBe(1400);
  });

  it("follows the repo README's configs: files per split, formats per split, other files not downloaded", async () => {
    const dd = await loadDataset("org/qa-configs", { endpoint: hub.url, cacheDir: env.cacheDir, progress: false });
    expect(dd.keys()).toEqual(["train", "test"]);
    expect(dd.train.column("q")).toEqual(["a", "a2", "b"]);
    expect(dd.test.toRows()).toEqual([{ q: "z" }]);
    expect(hub.requests.some((r) => r.path.endsWith("/train.jsonl"))).toBe(false);
  });

  it("is NotCachedError offline before anything was downloaded", async () => {
    expect(await rejection(loadDataset("org/qa-configs", { cacheDir: env.cacheDir, offline: true }))).toBeInstanceOf(NotCachedError);
  });
});
