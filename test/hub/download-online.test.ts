import { createHash } from "node:crypto";
import { chmodSync, cpSync, lstatSync, readFileSync, readlinkSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { hfHubDownload, listRepoFiles, REGEX_COMMIT_HASH } from "../../src/hub/index.js";
import { startHubServer } from "../helpers/hub-server.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { sharedPath } from "../helpers/shared.js";

const PYTHIA = "EleutherAI/pythia-70m";
const LAMINI = "kotzeje/lamini_docs.jsonl";
const PYTHIA_FILES = ["config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"];
const LAMINI_FILES = ["README.md", "data/train-00000-of-00001.parquet"];

/** The snapshot folder of a repo in ../shared/hf-home, found through its refs/main. */
function sharedSnapshot(folder: string): { commit: string; dir: string } {
  const repo = sharedPath("hf-home", "hub", folder);
  const commit = readFileSync(join(repo, "refs", "main"), "utf8");
  return { commit: commit.trim(), dir: join(repo, "snapshots", commit.trim()) };
}

/** The blob name Python gives a file: sha256 for LFS files, else the git blob sha1 (computed here, independently of the server). */
function expectedEtag(bytes: Buffer, lfs: boolean): string {
  return lfs ? createHash("sha256").update(bytes).digest("hex") : createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

const hub = useHubServer();

describe("hfHubDownload online into Python's cache layout", () => {
  const env = useHubTestEnv();

  it("downloads pythia-70m and the lamini dataset as Python's hf_hub_download lays them out", async () => {
    for (const [repoId, repoType, folder, files] of [
      [PYTHIA, "model", "models--EleutherAI--pythia-70m", PYTHIA_FILES],
      [LAMINI, "dataset", "datasets--kotzeje--lamini_docs.jsonl", LAMINI_FILES],
    ] as const) {
      const shared = sharedSnapshot(folder);
      const storage = join(env.cacheDir, folder);
      for (const path of files) {
        const local = await hfHubDownload({ repoId, repoType, path, ...fast(hub.url, env.cacheDir) });
        expect(local).toBe(join(storage, "snapshots", shared.commit, ...path.split("/")));
        const original = readFileSync(join(shared.dir, path));
        expect(readFileSync(local).equals(original)).toBe(true);
        // A relative symlink into blobs/, one "../" per folder level of the repo path.
        expect(lstatSync(local).isSymbolicLink()).toBe(true);
        const lfs = path.endsWith(".parquet") || path === "tokenizer.json";
        const etag = expectedEtag(original, lfs);
        const depth = path.split("/").length;
        expect(readlinkSync(local)).toBe(`${"../".repeat(depth + 1)}blobs/${etag}`);
        expect(realpathSync(local)).toBe(join(storage, "blobs", etag));
      }
      // refs/main: the commit, no newline.
      expect(readFileSync(join(storage, "refs", "main"), "utf8")).toBe(shared.commit);
      expect(REGEX_COMMIT_HASH.test(shared.commit)).toBe(true);
      // Nothing else left behind (no temp files, no stray links).
      const blobs = files.map((p) => expectedEtag(readFileSync(join(shared.dir, p)), p.endsWith(".parquet") || p === "tokenizer.json"));
      expect(tree(storage)).toEqual(
        [
          "blobs",
          ...blobs.map((b) => `blobs/${b}`),
          "refs",
          "refs/main",
          "snapshots",
          `snapshots/${shared.commit}`,
          ...files.map((p) => `snapshots/${shared.commit}/${p}`),
          ...(files.some((p) => p.includes("/")) ? [`snapshots/${shared.commit}/data`] : []),
        ].sort(),
      );
    }
    // The LFS files came from the CDN, the regular ones from the hub.
    const gets = hub.requests.filter((r) => r.method === "GET" && !r.path.startsWith("/api/"));
    expect(gets.filter((r) => r.server === "cdn").map((r) => r.path.split("?")[0]!.split("/").pop())).toEqual(
      expect.arrayContaining([hub.file(PYTHIA, "tokenizer.json").sha256, hub.file(LAMINI, "data/train-00000-of-00001.parquet", { type: "dataset" }).sha256]),
    );

    // The same repos offline, from that cache: files and listings.
    for (const [repoId, repoType, files] of [
      [PYTHIA, "model", PYTHIA_FILES],
      [LAMINI, "dataset", LAMINI_FILES],
    ] as const) {
      expect(await listRepoFiles({ repoId, repoType, cacheDir: env.cacheDir, offline: true })).toEqual(files);
      for (const path of files) {
        const p = await hfHubDownload({ repoId, repoType, path, cacheDir: env.cacheDir, offline: true });
        expect(
          readFileSync(p).equals(
            readFileSync(join(sharedSnapshot(repoType === "model" ? "models--EleutherAI--pythia-70m" : "datasets--kotzeje--lamini_docs.jsonl").dir, path)),
          ),
        ).toBe(true);
      }
    }
  });

  it("a second online call asks the Hub (HEAD) but downloads nothing", async () => {
    const opts = { repoId: PYTHIA, path: "tokenizer.json", ...fast(hub.url, env.cacheDir) };
    const first = await hfHubDownload(opts);
    const before = hub.requests.length;
    const second = await hfHubDownload(opts);
    expect(second).toBe(first);
    const after = hub.requests.slice(before);
    expect(after.map((r) => `${r.server} ${r.method}`)).toEqual(["hub HEAD"]);
  });

  it("online over a cache Python made (../shared/hf-home, copied to a temp folder): one HEAD per file, nothing downloaded or written", async () => {
    const copy = join(env.dir, "python-cache");
    // The copy keeps ../shared's read-only modes: made writable again afterwards so the temp folder can be removed.
    cpSync(sharedPath("hf-home", "hub"), copy, { recursive: true });
    try {
      const before = tree(copy);
      const start = hub.requests.length;
      for (const path of PYTHIA_FILES) {
        const p = await hfHubDownload({ repoId: PYTHIA, path, ...fast(hub.url, copy) });
        expect(p).toBe(join(copy, "models--EleutherAI--pythia-70m", "snapshots", hub.commit(PYTHIA), path));
      }
      expect(hub.requests.slice(start).map((r) => r.method)).toEqual(PYTHIA_FILES.map(() => "HEAD"));
      expect(tree(copy)).toEqual(before);
    } finally {
      for (const rel of ["", ...tree(copy)]) chmodSync(join(copy, rel), 0o755);
    }
  });

  it("a revision given as a cached commit hash makes no request at all", async () => {
    const commit = hub.commit(PYTHIA);
    const first = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir) });
    const before = hub.requests.length;
    const again = await hfHubDownload({ repoId: PYTHIA, path: "config.json", revision: commit, ...fast(hub.url, env.cacheDir) });
    expect(again).toBe(first);
    expect(hub.requests.length).toBe(before);
  });

  it("a commit hash not yet cached is downloaded without writing a ref for it", async () => {
    const commit = hub.commit(LAMINI, { type: "dataset" });
    const p = await hfHubDownload({ repoId: LAMINI, repoType: "dataset", path: "README.md", revision: commit, ...fast(hub.url, env.cacheDir) });
    expect(p).toBe(join(env.cacheDir, "datasets--kotzeje--lamini_docs.jsonl", "snapshots", commit, "README.md"));
    expect(tree(join(env.cacheDir, "datasets--kotzeje--lamini_docs.jsonl")).filter((x) => x.startsWith("refs"))).toEqual([]);
  });

  it("lists repo files online through the tree API, sorted, files only", async () => {
    expect(await listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir) })).toEqual(PYTHIA_FILES);
    expect(await listRepoFiles({ repoId: LAMINI, repoType: "dataset", ...fast(hub.url, env.cacheDir) })).toEqual(LAMINI_FILES);
    const listing = hub.requests.filter((r) => r.path.includes("/tree/")).at(-1)!;
    expect(listing.path).toContain("/api/datasets/kotzeje/lamini_docs.jsonl/tree/main");
    expect(listing.path).toContain("recursive=true");
  });

  it("follows the tree API's pagination (Link: rel=next)", async () => {
    const paged = await startHubServer({ pageSize: 1 });
    try {
      expect(await listRepoFiles({ repoId: LAMINI, repoType: "dataset", ...fast(paged.url, env.cacheDir) })).toEqual(LAMINI_FILES);
      // "data" (a folder), README.md, data/train…: three pages.
      expect(paged.requests.filter((r) => r.path.includes("/tree/")).length).toBe(3);
    } finally {
      await paged.close();
    }
  });

  it("honours HF_ENDPOINT and HF_HOME from the environment", async () => {
    vi.stubEnv("HF_ENDPOINT", hub.url);
    vi.stubEnv("HF_HOME", join(env.dir, "home"));
    const p = await hfHubDownload({ repoId: PYTHIA, path: "special_tokens_map.json", progress: false });
    expect(p.startsWith(join(env.dir, "home", "hub", "models--EleutherAI--pythia-70m", "snapshots"))).toBe(true);
    vi.stubEnv("HF_HUB_CACHE", join(env.dir, "elsewhere"));
    const q = await hfHubDownload({ repoId: PYTHIA, path: "special_tokens_map.json", progress: false });
    expect(q.startsWith(join(env.dir, "elsewhere", "models--EleutherAI--pythia-70m"))).toBe(true);
    vi.stubEnv("HF_HUB_OFFLINE", "1");
    const before = hub.requests.length;
    expect(await hfHubDownload({ repoId: PYTHIA, path: "special_tokens_map.json" })).toBe(q);
    expect(hub.requests.length).toBe(before);
  });

  it("reuses a blob already in the cache for a new commit (only the link is made)", async () => {
    const commit = hub.commit(PYTHIA);
    const other = "1".repeat(40);
    const tagged = await startHubServer({
      repos: [
        {
          id: PYTHIA,
          commits: { [other]: { "config.json": readFileSync(join(sharedSnapshot("models--EleutherAI--pythia-70m").dir, "config.json")) } },
          refs: { "v1.0": other },
        },
      ],
    });
    try {
      const a = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(tagged.url, env.cacheDir) });
      const before = tagged.requests.length;
      const b = await hfHubDownload({ repoId: PYTHIA, path: "config.json", revision: "v1.0", ...fast(tagged.url, env.cacheDir) });
      expect(tagged.requests.slice(before).map((r) => r.method)).toEqual(["HEAD"]);
      expect(a).toContain(commit);
      expect(b).toContain(other);
      expect(realpathSync(a)).toBe(realpathSync(b));
      expect(readFileSync(join(env.cacheDir, "models--EleutherAI--pythia-70m", "refs", "v1.0"), "utf8")).toBe(other);
    } finally {
      await tagged.close();
    }
  });

  it("updates refs/main when the branch moved, and keeps both snapshots", async () => {
    const storage = join(env.cacheDir, "models--EleutherAI--pythia-70m");
    const old = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir) });
    const moved = "2".repeat(40);
    const next = await startHubServer({ repos: [{ id: PYTHIA, commits: { [moved]: { "config.json": '{"moved":true}\n' } }, refs: { main: moved } }] });
    try {
      const p = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(next.url, env.cacheDir) });
      expect(readFileSync(p, "utf8")).toBe('{"moved":true}\n');
      expect(readFileSync(join(storage, "refs", "main"), "utf8")).toBe(moved);
      expect(readFileSync(old, "utf8")).toBe(readFileSync(join(sharedSnapshot("models--EleutherAI--pythia-70m").dir, "config.json"), "utf8"));
    } finally {
      await next.close();
    }
  });

  it("a revision with a slash (refs/pr/1) is one URL segment and a nested ref, as in Python", async () => {
    const pr = "3".repeat(40);
    const server = await startHubServer({
      repos: [{ id: PYTHIA, commits: { [pr]: { "config.json": "{}\n", "sub/dir/x.txt": "x\n" } }, refs: { "refs/pr/1": pr } }],
    });
    try {
      expect(await listRepoFiles({ repoId: PYTHIA, revision: "refs/pr/1", ...fast(server.url, env.cacheDir) })).toEqual(["config.json", "sub/dir/x.txt"]);
      const p = await hfHubDownload({ repoId: PYTHIA, path: "sub/dir/x.txt", revision: "refs/pr/1", ...fast(server.url, env.cacheDir) });
      expect(server.requests.some((r) => r.path === "/EleutherAI/pythia-70m/resolve/refs%2Fpr%2F1/sub/dir/x.txt")).toBe(true);
      expect(readlinkSync(p)).toMatch(/^\.\.\/\.\.\/\.\.\/\.\.\/blobs\/[0-9a-f]{40}$/);
      expect(readFileSync(join(env.cacheDir, "models--EleutherAI--pythia-70m", "refs", "refs", "pr", "1"), "utf8")).toBe(pr);
      // And offline through that nested ref.
      expect(
        await hfHubDownload({ repoId: PYTHIA, path: "config.json", revision: "refs/pr/1", cacheDir: env.cacheDir, offline: true }).catch((e: Error) => e.name),
      ).toBe("NotCachedError");
      expect(await hfHubDownload({ repoId: PYTHIA, path: "sub/dir/x.txt", revision: "refs/pr/1", cacheDir: env.cacheDir, offline: true })).toBe(p);
    } finally {
      await server.close();
    }
  });

  it("re-creates a snapshot link whose blob was deleted", async () => {
    const p = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir) });
    const blob = realpathSync(p);
    rmSync(blob);
    const again = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir) });
    expect(again).toBe(p);
    expect(readFileSync(again).equals(readFileSync(join(sharedSnapshot("models--EleutherAI--pythia-70m").dir, "config.json")))).toBe(true);
  });
});
