import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { EntryNotFoundError, NotCachedError } from "../../src/errors.js";
import { hfHubDownload, listRepoFiles, resolveHubSettings, tryToLoadFromCache } from "../../src/hub/index.js";
import { rejection } from "../helpers/failures.js";
import { useHubTestEnv } from "../helpers/hub-test-env.js";
import { hfHome, pythiaDir, sharedPath } from "../helpers/shared.js";

const PYTHIA = "EleutherAI/pythia-70m";
const LAMINI = "kotzeje/lamini_docs.jsonl";

describe("offline, straight from ../shared/hf-home (a cache Python made)", () => {
  const env = useHubTestEnv();
  const cacheDir = () => join(hfHome(), "hub");
  const pythiaCommit = () => readFileSync(sharedPath("hf-home", "hub", "models--EleutherAI--pythia-70m", "refs", "main"), "utf8").trim();

  it("finds every file of both repos through refs/main, without network (fetch would throw)", async () => {
    const noNetwork = vi.fn(() => Promise.reject(new Error("network used")));
    for (const path of ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json"]) {
      const p = await hfHubDownload({ repoId: PYTHIA, path, cacheDir: cacheDir(), offline: true, fetch: noNetwork });
      expect(p).toBe(join(pythiaDir(), path));
      expect(statSync(p).isFile()).toBe(true);
    }
    const parquet = await hfHubDownload({
      repoId: LAMINI,
      repoType: "dataset",
      path: "data/train-00000-of-00001.parquet",
      cacheDir: cacheDir(),
      offline: true,
      fetch: noNetwork,
    });
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe("PAR1");
    expect(await listRepoFiles({ repoId: LAMINI, repoType: "dataset", cacheDir: cacheDir(), offline: true, fetch: noNetwork })).toEqual([
      "README.md",
      "data/train-00000-of-00001.parquet",
    ]);
    expect(noNetwork).not.toHaveBeenCalled();
  });

  it("through HF_HOME + HF_HUB_OFFLINE=1 from the environment", async () => {
    vi.stubEnv("HF_HOME", hfHome());
    vi.stubEnv("HF_HUB_OFFLINE", "1");
    expect(resolveHubSettings().offline).toBe(true);
    expect(await hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json" })).toBe(join(pythiaDir(), "tokenizer.json"));
    expect(await listRepoFiles({ repoId: PYTHIA })).toEqual(["config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]);
  });

  it("a revision given as the commit hash, and a branch that is not cached", async () => {
    expect(await hfHubDownload({ repoId: PYTHIA, path: "config.json", revision: pythiaCommit(), cacheDir: cacheDir(), offline: true })).toBe(
      join(pythiaDir(), "config.json"),
    );
    expect(await listRepoFiles({ repoId: PYTHIA, revision: pythiaCommit(), cacheDir: cacheDir(), offline: true })).toContain("config.json");
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", revision: "v0", cacheDir: cacheDir(), offline: true }));
    expect(e).toBeInstanceOf(NotCachedError);
    expect(e.message).toContain(join(cacheDir(), "models--EleutherAI--pythia-70m", "refs", "v0"));
    expect(await rejection(listRepoFiles({ repoId: PYTHIA, revision: "v0", cacheDir: cacheDir(), offline: true }))).toBeInstanceOf(NotCachedError);
  });

  it("a file the snapshot lacks → NotCachedError naming the snapshot path", async () => {
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "model.safetensors", cacheDir: cacheDir(), offline: true }));
    expect(e).toBeInstanceOf(NotCachedError);
    expect((e as NotCachedError).file).toBe(join(pythiaDir(), "model.safetensors"));
    expect(e.message).toMatch(/HF_HOME|HF_HUB_OFFLINE/);
  });

  it("tryToLoadFromCache tells found / known-missing / absent as Python's try_to_load_from_cache", async () => {
    expect(tryToLoadFromCache({ repoId: PYTHIA, path: "config.json", cacheDir: cacheDir() })).toEqual({
      status: "found",
      path: join(pythiaDir(), "config.json"),
      commit: pythiaCommit(),
    });
    expect(tryToLoadFromCache({ repoId: PYTHIA, path: "nope", cacheDir: cacheDir() }).status).toBe("absent");
    expect(tryToLoadFromCache({ repoId: "x/y", path: "nope", cacheDir: cacheDir() }).status).toBe("absent");
    // A small cache as Python leaves it: a ref, a blob with its relative link, a recorded absence, a dangling link.
    const commit = "7".repeat(40);
    const repo = join(env.cacheDir, "models--acme--tiny");
    mkdirSync(join(repo, "refs"), { recursive: true });
    writeFileSync(join(repo, "refs", "main"), commit);
    mkdirSync(join(repo, "blobs"));
    writeFileSync(join(repo, "blobs", "abc"), "{}\n");
    mkdirSync(join(repo, "snapshots", commit, "sub"), { recursive: true });
    symlinkSync("../../../blobs/abc", join(repo, "snapshots", commit, "sub", "a.json"));
    symlinkSync("../../blobs/gone", join(repo, "snapshots", commit, "dangling.json"));
    mkdirSync(join(repo, ".no_exist", commit), { recursive: true });
    writeFileSync(join(repo, ".no_exist", commit, "missing.json"), "");
    const look = (path: string) => tryToLoadFromCache({ repoId: "acme/tiny", path, cacheDir: env.cacheDir });
    expect(look("sub/a.json")).toEqual({ status: "found", path: join(repo, "snapshots", commit, "sub", "a.json"), commit });
    expect(look("missing.json")).toEqual({ status: "known-missing", commit });
    expect(look("dangling.json").status).toBe("absent");
    expect(await listRepoFiles({ repoId: "acme/tiny", cacheDir: env.cacheDir, offline: true })).toEqual(["sub/a.json"]);
    expect(readFileSync(await hfHubDownload({ repoId: "acme/tiny", path: "sub/a.json", cacheDir: env.cacheDir, offline: true }), "utf8")).toBe("{}\n");
    expect(await rejection(hfHubDownload({ repoId: "acme/tiny", path: "missing.json", cacheDir: env.cacheDir, offline: true }))).toBeInstanceOf(
      EntryNotFoundError,
    );
    expect(await rejection(hfHubDownload({ repoId: "acme/tiny", path: "dangling.json", cacheDir: env.cacheDir, offline: true }))).toBeInstanceOf(
      NotCachedError,
    );
  });
});
