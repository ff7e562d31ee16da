import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { HubHttpError, UnsafePathError } from "../../src/errors.js";
import { hfHubDownload, listRepoFiles } from "../../src/hub/index.js";
import { rejection } from "../helpers/failures.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";

const PYTHIA = "EleutherAI/pythia-70m";
const TOKEN = "hf_ConfinedTestToken_5e6f7a8b";
const EVIL = "evil/repo";
const EVIL_COMMIT = "5".repeat(40);

const hub = useHubServer({
  token: TOKEN,
  gated: [PYTHIA],
  repos: [
    {
      id: EVIL,
      commits: {
        [EVIL_COMMIT]: { "ok.txt": "fine\n", "../../../escaped.txt": "pwned\n", "data/../../../../escaped2.txt": "pwned\n", "/abs/escaped3.txt": "pwned\n" },
      },
      refs: { main: EVIL_COMMIT },
    },
  ],
});

describe("the token stays on the Hub", () => {
  const env = useHubTestEnv();
  afterEach(() => hub.setFaults([]));

  it("is sent to the Hub but not on the redirect to the CDN (another origin)", async () => {
    const start = hub.requests.length;
    await hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) });
    const reqs = hub.requests.slice(start);
    expect(reqs.filter((r) => r.server === "hub").every((r) => r.authorization)).toBe(true);
    const cdn = reqs.filter((r) => r.server === "cdn");
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => !r.authorization)).toBe(true);
  });

  it("is not sent when the Hub redirects a regular file elsewhere, nor to a pagination link on another host", async () => {
    hub.setFaults([
      { kind: "status", path: "/resolve/main/config.json", method: "GET", status: 302, headers: { Location: `${hub.cdnUrl}/somewhere/config.json` } },
    ]);
    await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }));
    hub.setFaults([
      { kind: "headers", path: "/tree/", server: "hub", headers: { Link: `<${hub.cdnUrl}/api/models/${PYTHIA}/tree/main?cursor=1>; rel="next"` } },
    ]);
    await rejection(listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }));
    const cdn = hub.requests.filter((r) => r.server === "cdn");
    expect(cdn.some((r) => r.path.startsWith("/somewhere/config.json"))).toBe(true);
    expect(cdn.some((r) => r.path.startsWith("/api/models/"))).toBe(true);
    expect(cdn.every((r) => !r.authorization)).toBe(true);
  });

  it("follows a same-origin redirect (a renamed repo) with the token", async () => {
    hub.setFaults([
      { kind: "status", path: "/EleutherAI/old-name/resolve/", status: 307, headers: { Location: `/${PYTHIA}/resolve/main/config.json` }, times: Infinity },
    ]);
    const p = await hfHubDownload({ repoId: "EleutherAI/old-name", path: "config.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) });
    expect(readFileSync(p, "utf8")).toContain("gpt_neox");
    const followed = hub.requests.filter((r) => r.path === `/${PYTHIA}/resolve/main/config.json`);
    expect(followed.length).toBeGreaterThan(0);
    expect(followed.every((r) => r.authorization)).toBe(true);
  });

  it("never appears in an error, even when the server echoes it back", async () => {
    hub.setFaults([
      {
        kind: "status",
        path: "/resolve/",
        status: 500,
        body: JSON.stringify({ error: `bad token Bearer ${TOKEN}` }),
        headers: { "X-Error-Message": `echo ${TOKEN}` },
        times: Infinity,
      },
    ]);
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }));
    expect(e).toBeInstanceOf(HubHttpError);
    expect((e as HubHttpError).status).toBe(500);
    expect(e.message).toContain("hf_***");
    for (const text of [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 10, showHidden: true })]) expect(text).not.toContain(TOKEN);
  });
});

describe("paths from the Hub cannot leave the cache", () => {
  const env = useHubTestEnv();
  afterEach(() => hub.setFaults([]));

  /** The cache lives in env.dir/cache: nothing may appear in env.dir besides it. */
  const expectNothingOutsideCache = () => {
    expect(tree(env.dir).filter((p) => !p.startsWith("cache") && !p.startsWith("hf-home"))).toEqual([]);
    expect(tree(env.dir).filter((p) => p.includes("escaped"))).toEqual([]);
  };

  it("a listing with '..' or absolute paths is refused (UnsafePathError)", async () => {
    const e = await rejection(listRepoFiles({ repoId: EVIL, ...fast(hub.url, env.cacheDir) }));
    expect(e).toBeInstanceOf(UnsafePathError);
    expect(e.message).toContain(EVIL);
    expect(e.message).toMatch(/escaped/);
    expectNothingOutsideCache();
  });

  it("downloading such a path is refused before any request", async () => {
    const before = hub.requests.length;
    for (const path of ["../../../escaped.txt", "data/../../../../escaped2.txt", "/abs/escaped3.txt", "a\\..\\..\\x", "./x", "a//b"]) {
      const e = await rejection(hfHubDownload({ repoId: EVIL, path, ...fast(hub.url, env.cacheDir) }));
      expect(e).toBeInstanceOf(UnsafePathError);
    }
    expect(hub.requests.length).toBe(before);
    expect(readFileSync(await hfHubDownload({ repoId: EVIL, path: "ok.txt", ...fast(hub.url, env.cacheDir) }), "utf8")).toBe("fine\n");
    expectNothingOutsideCache();
  });

  it("a commit or ETag header that would name a path outside the cache is refused", async () => {
    for (const headers of [{ "X-Repo-Commit": "../../../../escaped" } as Record<string, string>, { ETag: '"../../../escaped"' }, { ETag: '"a/b"' }]) {
      hub.setFaults([{ kind: "headers", path: "/resolve/", method: "HEAD", headers, times: Infinity }]);
      const e = await rejection(hfHubDownload({ repoId: EVIL, path: "ok.txt", ...fast(hub.url, join(env.dir, "cache")) }));
      expect(e).toBeInstanceOf(UnsafePathError);
    }
    hub.setFaults([{ kind: "headers", path: "/resolve/", method: "HEAD", headers: { "X-Linked-Etag": '"../../escaped"' }, times: Infinity }]);
    expect(await rejection(hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json", ...fast(hub.url, env.cacheDir, { accessToken: TOKEN }) }))).toBeInstanceOf(
      UnsafePathError,
    );
    expectNothingOutsideCache();
  });
});
