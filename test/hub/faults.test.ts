import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DownloadIntegrityError, HubHttpError } from "../../src/errors.js";
import { hfHubDownload, listRepoFiles } from "../../src/hub/index.js";
import { rejection } from "../helpers/failures.js";
import { type Fault, startHubServer } from "../helpers/hub-server.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { pythiaDir } from "../helpers/shared.js";

const PYTHIA = "EleutherAI/pythia-70m";
const STORAGE = "models--EleutherAI--pythia-70m";

const hub = useHubServer();

describe("downloads under faults", () => {
  const env = useHubTestEnv();
  afterEach(() => hub.setFaults([]));

  const download = (path = "tokenizer.json", extra = {}) => hfHubDownload({ repoId: PYTHIA, path, ...fast(hub.url, env.cacheDir, extra) });
  /** The cache holds exactly the good file, and no temp file. */
  const expectCleanGood = (local: string, path = "tokenizer.json") => {
    expect(readFileSync(local).equals(readFileSync(join(pythiaDir(), path)))).toBe(true);
    const files = tree(join(env.cacheDir, STORAGE));
    expect(files.filter((f) => /incomplete|\.tmp/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith("blobs/"))).toEqual([`blobs/${realpathSync(local).split("/").pop()}`]);
  };
  /** After a failure: no blob, no snapshot link, no temp file. */
  const expectNothingCached = () => {
    const storage = join(env.cacheDir, STORAGE);
    const files = existsSync(storage) ? tree(storage) : [];
    expect(files.filter((f) => f.startsWith("blobs/") || f.startsWith("snapshots/"))).toEqual([]);
  };
  const cdnGets = () => hub.requests.filter((r) => r.server === "cdn" && r.method === "GET");

  it("5xx N times then success: retried with backoff (body GET and HEAD)", async () => {
    hub.setFaults([
      { kind: "status", path: "/repos/", server: "cdn", status: 503, times: 2 },
      { kind: "status", path: "/resolve/", method: "HEAD", status: 502, times: 2 },
    ]);
    const start = hub.requests.length;
    const local = await download();
    expectCleanGood(local);
    const reqs = hub.requests.slice(start);
    expect(reqs.filter((r) => r.method === "HEAD").map((r) => r.status)).toEqual([502, 502, 302]);
    expect(reqs.filter((r) => r.server === "cdn").map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("429 is retried (honouring Retry-After within the cap); other 4xx are not", async () => {
    hub.setFaults([{ kind: "status", path: "/repos/", server: "cdn", status: 429, headers: { "Retry-After": "0" }, times: 1 }]);
    expectCleanGood(await download());
    hub.setFaults([{ kind: "status", path: "/repos/", server: "cdn", status: 403, times: Infinity }]);
    const before = cdnGets().length;
    const e = await rejection(download("tokenizer.json", { cacheDir: join(env.dir, "other-cache") }));
    expect(e).toBeInstanceOf(HubHttpError);
    expect((e as HubHttpError).status).toBe(403);
    expect(cdnGets().length - before).toBe(1);
  });

  it("5xx every time → HubHttpError with the status after the attempts, nothing cached", async () => {
    hub.setFaults([{ kind: "status", path: "/repos/", server: "cdn", status: 500, times: Infinity }]);
    const before = cdnGets().length;
    const e = await rejection(download());
    expect(e).toBeInstanceOf(HubHttpError);
    expect((e as HubHttpError).status).toBe(500);
    expect(cdnGets().length - before).toBe(4);
    expectNothingCached();
  });

  it("connection closed mid-body: resumed with a Range request from the bytes received", async () => {
    hub.setFaults([{ kind: "drop", path: "/repos/", server: "cdn", bytes: 1_000_000 }]);
    const local = await download();
    expectCleanGood(local);
    const gets = cdnGets().slice(-2);
    expect(gets[0]!.fault).toBe("drop");
    expect(gets[1]!.range).toMatch(/^bytes=\d+-$/);
    // Resumed from the bytes written (≤ what the server sent before dropping), not from 0.
    const from = Number(/bytes=(\d+)-/.exec(gets[1]!.range!)![1]);
    expect(from).toBeGreaterThan(0);
    expect(from).toBeLessThanOrEqual(1_000_000);
  });

  it("connection reset before any header (HEAD): retried", async () => {
    hub.setFaults([{ kind: "drop", path: "/resolve/", method: "HEAD", times: 1 }]);
    expectCleanGood(await download());
  });

  it("a body shorter than its Content-Length (connection ended early): resumed and completed", async () => {
    hub.setFaults([{ kind: "short", path: "/repos/", server: "cdn", bytes: 5000 }]);
    expectCleanGood(await download());
    expect(cdnGets().at(-1)!.range).toMatch(/^bytes=\d+-$/);
  });

  it("a well-formed body shorter than the size the HEAD announced: discarded and fetched again", async () => {
    hub.setFaults([{ kind: "truncate", path: "/repos/", server: "cdn", bytes: 1000 }]);
    const before = cdnGets().length;
    expectCleanGood(await download());
    expect(
      cdnGets()
        .slice(before)
        .map((r) => [r.fault, r.range]),
    ).toEqual([
      ["truncate", undefined],
      [undefined, undefined],
    ]);
  });

  it("bytes that do not match the ETag (sha256 of an LFS file): retried, then fine", async () => {
    hub.setFaults([{ kind: "corrupt", path: "/repos/", server: "cdn" }]);
    const before = cdnGets().length;
    expectCleanGood(await download());
    expect(
      cdnGets()
        .slice(before)
        .map((r) => r.fault),
    ).toEqual(["corrupt", undefined]);
  });

  for (const [what, path, fault] of [
    ["an LFS file (sha256)", "tokenizer.json", { kind: "corrupt", path: "/repos/", server: "cdn", times: Infinity }],
    ["a regular file (git blob sha1)", "config.json", { kind: "corrupt", path: "/resolve/", method: "GET", times: Infinity }],
    ["a body always short", "tokenizer.json", { kind: "truncate", path: "/repos/", server: "cdn", bytes: 10, times: Infinity }],
  ] as [string, string, Fault][]) {
    it(`corrupt bytes every time, ${what} → DownloadIntegrityError, cache untouched; a rerun finishes cleanly`, async () => {
      hub.setFaults([fault]);
      const e = await rejection(download(path));
      expect(e).toBeInstanceOf(DownloadIntegrityError);
      expect(e.message).toContain(path);
      expect(e.message).toMatch(/hashes to|announced/);
      expectNothingCached();
      hub.setFaults([]);
      expectCleanGood(await download(path), path);
    });
  }

  it("a stalled body is abandoned after timeoutMs and resumed", async () => {
    hub.setFaults([{ kind: "stall", path: "/repos/", server: "cdn", bytes: 200_000 }]);
    const local = await download("tokenizer.json", { timeoutMs: 300 });
    expectCleanGood(local);
    expect(cdnGets().at(-1)!.range).toMatch(/^bytes=\d+-$/);
  });

  it("a slow but steady body (pauses shorter than timeoutMs) is not interrupted", async () => {
    hub.setFaults([{ kind: "stall", path: "/repos/", server: "cdn", bytes: 100, ms: 150 }]);
    const before = cdnGets().length;
    expectCleanGood(await download("tokenizer.json", { timeoutMs: 2000 }));
    expect(cdnGets().length - before).toBe(1);
  });

  it("a listing whose answer breaks mid-body is retried", async () => {
    hub.setFaults([{ kind: "short", path: "/tree/", bytes: 20 }]);
    expect(await listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir) })).toContain("tokenizer.json");
    hub.setFaults([{ kind: "status", path: "/tree/", status: 503, times: 2 }]);
    expect(await listRepoFiles({ repoId: PYTHIA, ...fast(hub.url, env.cacheDir) })).toContain("tokenizer.json");
  });

  it("Hub unreachable: a cached file for the revision is returned, as Python does; otherwise a clear error", async () => {
    const local = await download("config.json");
    const down = await startHubServer({ root: null });
    const deadUrl = down.url;
    await down.close();
    expect(await hfHubDownload({ repoId: PYTHIA, path: "config.json", ...fast(deadUrl, env.cacheDir) })).toBe(local);
    const e = await rejection(hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json", ...fast(deadUrl, env.cacheDir) }));
    expect(e).toBeInstanceOf(HubHttpError);
    expect((e as HubHttpError).status).toBeUndefined();
    expect(e.message).toMatch(/could not reach/i);
    expect(e.message).toContain("not in the cache");
  });

  it("Hub answering 5xx: the cached copy is returned after a single HEAD", async () => {
    const local = await download("config.json");
    hub.setFaults([{ kind: "status", path: "/resolve/", status: 503, times: Infinity }]);
    const before = hub.requests.length;
    expect(await download("config.json")).toBe(local);
    expect(hub.requests.length - before).toBe(1);
  });
});
