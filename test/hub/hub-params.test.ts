import { writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hfHubCache, hfHubUrl, hfToken, isOfflineEnv, repoFolderName, resolveHubSettings } from "../../src/hub/index.js";
import { useHubTestEnv } from "../helpers/hub-test-env.js";

describe("settings resolved as huggingface_hub does", () => {
  const env = useHubTestEnv();

  it("cache folder: HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub", () => {
    expect(hfHubCache({})).toBe(join(homedir(), ".cache", "huggingface", "hub"));
    expect(hfHubCache({ XDG_CACHE_HOME: "/x" })).toBe("/x/huggingface/hub");
    expect(hfHubCache({ HF_HOME: "/h", XDG_CACHE_HOME: "/x" })).toBe("/h/hub");
    expect(hfHubCache({ HF_HOME: "/h", HF_HUB_CACHE: "/c" })).toBe("/c");
  });

  it("token: HF_TOKEN, else the token file (HF_TOKEN_PATH, else HF_HOME/token)", () => {
    const file = join(env.dir, "tok");
    writeFileSync(file, "  hf_fromfile \n");
    expect(hfToken({ HF_TOKEN_PATH: file })).toBe("hf_fromfile");
    expect(hfToken({ HF_TOKEN: "hf_env", HF_TOKEN_PATH: file })).toBe("hf_env");
    writeFileSync(join(env.dir, "token"), "hf_home");
    expect(hfToken({ HF_HOME: env.dir })).toBe("hf_home");
    expect(hfToken({ HF_HOME: join(env.dir, "none") })).toBeUndefined();
  });

  it("offline, endpoint, retry and timeout defaults", () => {
    expect(isOfflineEnv({ HF_HUB_OFFLINE: "1" })).toBe(true);
    expect(isOfflineEnv({ HF_HUB_OFFLINE: "0" })).toBe(false);
    const s = resolveHubSettings({}, { HF_ENDPOINT: "http://mirror.local/", HF_HUB_DOWNLOAD_TIMEOUT: "30" });
    expect(s.endpoint).toBe("http://mirror.local");
    expect(s.timeoutMs).toBe(30_000);
    expect(s.retry).toEqual({ maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000 });
    expect(s.revision).toBe("main");
    expect(resolveHubSettings({ timeoutMs: 5, retry: { maxAttempts: 2 } }, {}).retry.maxAttempts).toBe(2);
  });

  it("URLs and folder names as hf_hub_url and repo_folder_name make them", () => {
    expect(hfHubUrl({ repoId: "EleutherAI/pythia-70m", path: "tokenizer.json" })).toBe(
      "https://huggingface.co/EleutherAI/pythia-70m/resolve/main/tokenizer.json",
    );
    expect(hfHubUrl({ repoId: "kotzeje/lamini_docs.jsonl", repoType: "dataset", path: "data/a b.parquet", revision: "refs/pr/1", endpoint: "http://h/" })).toBe(
      "http://h/datasets/kotzeje/lamini_docs.jsonl/resolve/refs%2Fpr%2F1/data/a%20b.parquet",
    );
    expect(repoFolderName("kotzeje/lamini_docs.jsonl", "dataset")).toBe("datasets--kotzeje--lamini_docs.jsonl");
    expect(repoFolderName("gpt2")).toBe("models--gpt2");
  });
});
