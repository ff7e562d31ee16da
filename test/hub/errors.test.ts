import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { EntryNotFoundError, GatedRepoError, HubHttpError, NotCachedError, RepoNotFoundError } from "../../src/errors.js";
import { hfHubDownload, listRepoFiles, RevisionNotFoundError } from "../../src/hub/index.js";
import { rejection } from "../helpers/failures.js";
import { fast, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";

const PYTHIA = "EleutherAI/pythia-70m";
const TOKEN = "hf_SecretTestToken_9f8e7d6c";
const WRONG = "hf_WrongTestToken_1a2b3c4d";

/** Everything a thrown error exposes: message, stack, JSON, inspect (with causes). */
function allText(e: Error): string {
  return [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })].join("\n");
}

const hub = useHubServer({
  token: TOKEN,
  gated: [PYTHIA],
  repos: [{ id: "acme/private-data", type: "dataset", private: true, commits: { ["4".repeat(40)]: { "a.txt": "a\n" } }, refs: { main: "4".repeat(40) } }],
});

describe("Hub errors, typed and told in the user's words", () => {
  const env = useHubTestEnv();

  it("404 repo → RepoNotFoundError naming the repo and the Hub URL", async () => {
    const e = await rejection(hfHubDownload({ repoId: "nobody/nothing", path: "config.json", ...fast(hub.url, env.cacheDir) }));
    expect(e).toBeInstanceOf(RepoNotFoundError);
    expect(e.message).toContain("nobody/nothing");
    expect(e.message).toContain(hub.url);
    expect((e as RepoNotFoundError).repoId).toBe("nobody/nothing");
    const l = await rejection(listRepoFiles({ repoId: "nobody/nothing", repoType: "dataset", ...fast(hub.url, env.cacheDir) }));
    expect(l).toBeInstanceOf(RepoNotFoundError);
    expect(l.message).toContain("dataset repo nobody/nothing");
    // A 4xx is not retried.
    expect(hub.requests.filter((r) => r.path.includes("nobody/nothing")).length).toBe(2);
  });

  it("a private repo without a token (401) → RepoNotFoundError that suggests HF_TOKEN", async () => {
    const e = await rejection(hfHubDownload({ repoId: "acme/private-data", repoType: "dataset", path: "a.txt", ...fast(hub.url, env.cacheDir) }));
    expect(e).toBeInstanceOf(RepoNotFoundError);
    expect(e.message).toContain("HF_TOKEN");
    const ok = await hfHubDownload({ repoId: "acme/private-data", repoType: "dataset", path: "a.txt", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) });
    expect(readFileSync(ok, "utf8")).toBe("a\n");
  });

  it("a bare 401 (no X-Error-Code) is a RepoNotFoundError, as Python reads it", async () => {
    hub.setFaults([{ kind: "status", path: "/resolve/", method: "HEAD", status: 401, times: Infinity }]);
    try {
      const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }));
      expect(e).toBeInstanceOf(RepoNotFoundError);
    } finally {
      hub.setFaults([]);
    }
  });

  it("401 invalid credentials → HubHttpError 401 telling to fix HF_TOKEN", async () => {
    hub.setFaults([
      { kind: "status", path: "/resolve/", status: 401, headers: { "X-Error-Message": "Invalid credentials in Authorization header" }, times: Infinity },
    ]);
    try {
      const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir, { accessToken: WRONG }) }));
      expect(e).toBeInstanceOf(HubHttpError);
      expect((e as HubHttpError).status).toBe(401);
      expect(e.message).toContain("HF_TOKEN");
      expect(allText(e)).not.toContain(WRONG);
    } finally {
      hub.setFaults([]);
    }
  });

  it("401 gated without a token → GatedRepoError mentioning HF_TOKEN", async () => {
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir) }));
    expect(e).toBeInstanceOf(GatedRepoError);
    expect(e.message).toContain("HF_TOKEN");
    expect(e.message).toContain(PYTHIA);
    expect(e.message).toContain("no token was given");
    const l = await rejection(listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir) }));
    expect(l).toBeInstanceOf(GatedRepoError);
  });

  it("401 gated with a wrong token → GatedRepoError; the token appears nowhere in the error", async () => {
    for (const call of [
      () => hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json", ...fast(hub.url, env.cacheDir, { accessToken: WRONG }) }),
      () => listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir, { accessToken: WRONG }) }),
    ]) {
      const e = await rejection(call());
      expect(e).toBeInstanceOf(GatedRepoError);
      expect(e.message).toContain("HF_TOKEN");
      expect(e.message).toContain("has no access");
      expect(allText(e)).not.toContain(WRONG);
    }
  });

  it("gated with the right token (from HF_TOKEN, or from the token file) works", async () => {
    vi.stubEnv("HF_TOKEN", TOKEN);
    expect(await listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir) })).toContain("tokenizer.json");
    vi.stubEnv("HF_TOKEN", undefined);
    const tokenFile = join(env.dir, "token");
    writeFileSync(tokenFile, `${TOKEN}\n`);
    vi.stubEnv("HF_TOKEN_PATH", tokenFile);
    const p = await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir) });
    expect(existsSync(p)).toBe(true);
  });

  it("404 file → EntryNotFoundError, recorded in .no_exist/<commit>/<path> and then known offline", async () => {
    const commit = hub.commit(PYTHIA);
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "sub/missing.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }));
    expect(e).toBeInstanceOf(EntryNotFoundError);
    expect(e.message).toContain("sub/missing.json");
    expect(e.message).toContain(PYTHIA);
    const storage = join(env.cacheDir, "models--EleutherAI--pythia-70m");
    expect(existsSync(join(storage, ".no_exist", commit, "sub", "missing.json"))).toBe(true);
    expect(readFileSync(join(storage, "refs", "main"), "utf8")).toBe(commit);
    // Offline, the recorded absence answers (Python's _CACHED_NO_EXIST) instead of "not cached".
    const off = await rejection(hfHubDownload({ repoId: PYTHIA, path: "sub/missing.json", cacheDir: env.cacheDir, offline: true }));
    expect(off).toBeInstanceOf(EntryNotFoundError);
    // Online with the commit itself: known missing without asking.
    const before = hub.requests.length;
    expect(
      await rejection(hfHubDownload({ repoId: PYTHIA, path: "sub/missing.json", revision: commit, ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) })),
    ).toBeInstanceOf(EntryNotFoundError);
    expect(hub.requests.length).toBe(before);
  });

  it("an unknown revision → RevisionNotFoundError (a RepoNotFoundError) naming it", async () => {
    const e = await rejection(
      hfHubDownload({ repoId: PYTHIA, path: "config.json", revision: "no-such-branch", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }),
    );
    expect(e).toBeInstanceOf(RevisionNotFoundError);
    expect(e).toBeInstanceOf(RepoNotFoundError);
    expect((e as RevisionNotFoundError).revision).toBe("no-such-branch");
    expect(e.message).toContain('"no-such-branch"');
    const l = await rejection(listRepoFiles({ repoId: PYTHIA, revision: "no-such-branch", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }));
    expect(l).toBeInstanceOf(RevisionNotFoundError);
  });

  it("offline and not cached → NotCachedError with the path looked at", async () => {
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", cacheDir: env.cacheDir, offline: true }));
    expect(e).toBeInstanceOf(NotCachedError);
    const where = join(env.cacheDir, "models--EleutherAI--pythia-70m", "refs", "main");
    expect((e as NotCachedError).file).toBe(where);
    expect(e.message).toContain(where);
    const l = await rejection(listRepoFiles({ repoId: PYTHIA, cacheDir: env.cacheDir, offline: true }));
    expect(l).toBeInstanceOf(NotCachedError);
  });

  it("refuses malformed repo ids and revisions before any request", async () => {
    const before = hub.requests.length;
    for (const repoId of ["../etc", "a/b/c", "a--b/c", "x/y.git", ""]) {
      const e = await rejection(hfHubDownload({ repoId, path: "config.json", ...fast(hub.url, env.cacheDir) }));
      expect(e.name).toBe("InvalidArgumentError");
    }
    for (const revision of ["../../x", "/abs", "a//b", "a\\b"]) {
      const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", revision, ...fast(hub.url, env.cacheDir) }));
      expect(e.name).toBe("InvalidArgumentError");
    }
    expect(hub.requests.length).toBe(before);
  });
});
