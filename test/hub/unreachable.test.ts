// The Hub unreachable (refused port, DNS failure, TLS failure, stalled accept), HF_HUB_OFFLINE not
// set: cached files are used at once, optional files that are not cached are absent, a needed file
// that is not cached is a HubUnreachableError naming it and the cache. Python's hf_hub_download
// fallback (_get_metadata_or_catch_error) and transformers' cached_file rules.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { HubHttpError, HubUnreachableError } from "../../src/errors.js";
import { type HubParams, hfHubDownload, listRepoFiles } from "../../src/hub/index.js";
import { UNREACHABLE_MEMO_MS, unreachableHubs } from "../../src/hub/unreachable-hubs.js";
import { resolveTokenizerFiles } from "../../src/tokenizer/resolve-tokenizer-files.js";
import { rejection } from "../helpers/failures.js";
import { startHubServer, startUnreachableHub, type UnreachableHub } from "../helpers/hub-server.js";
import { useHubTestEnv } from "../helpers/hub-test-env.js";
import { hfHome, pythiaDir, sharedPath } from "../helpers/shared.js";

const PYTHIA = "EleutherAI/pythia-70m";
const LAMINI = "kotzeje/lamini_docs.jsonl";
const sharedCache = () => join(hfHome(), "hub");
const pythiaCommit = () => readFileSync(sharedPath("hf-home", "hub", "models--EleutherAI--pythia-70m", "refs", "main"), "utf8").trim();

/** fetch that counts its calls (and passes them on). */
function countingFetch(inner: typeof fetch = globalThis.fetch): typeof fetch & { calls: number } {
  const f = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    f.calls++;
    return inner(input, init);
  }) as typeof fetch & { calls: number };
  f.calls = 0;
  return f;
}

/** fetch failing as undici does when it cannot connect: TypeError("fetch failed") with the system error as cause. */
function failingFetch(code: string, message: string): typeof fetch & { calls: number } {
  return countingFetch(() => Promise.reject(new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) })));
}

/** A cache holding pythia's tokenizer.json and tokenizer_config.json only (links into ../shared, no copy). */
function partialCache(root: string): string {
  const cache = join(root, "partial-cache");
  const repo = join(cache, "models--EleutherAI--pythia-70m");
  mkdirSync(join(repo, "refs"), { recursive: true });
  writeFileSync(join(repo, "refs", "main"), pythiaCommit());
  const snap = join(repo, "snapshots", pythiaCommit());
  mkdirSync(snap, { recursive: true });
  for (const f of ["tokenizer.json", "tokenizer_config.json"]) symlinkSync(join(pythiaDir(), f), join(snap, f));
  return cache;
}

describe("the Hub unreachable, the cache complete", () => {
  const env = useHubTestEnv();
  let refused: UnreachableHub;
  let warnings: string[];
  beforeAll(async () => {
    refused = await startUnreachableHub("refused");
  });
  beforeEach(() => {
    unreachableHubs.reset();
    warnings = [];
  });
  const params = (extra: HubParams = {}): HubParams => ({
    endpoint: refused.url,
    cacheDir: sharedCache(),
    progress: false,
    onWarning: (m) => warnings.push(m),
    ...extra,
  });

  it("refused port: every cached file at once, one request in all, one warning", async () => {
    const f = countingFetch();
    const paths = await resolveTokenizerFiles(PYTHIA, params({ fetch: f }));
    expect(paths).toEqual({
      tokenizerJson: join(pythiaDir(), "tokenizer.json"),
      tokenizerConfig: join(pythiaDir(), "tokenizer_config.json"),
      specialTokensMap: join(pythiaDir(), "special_tokens_map.json"),
      chatTemplate: undefined,
    });
    expect(await listRepoFiles({ ...params({ fetch: f }), repoId: LAMINI, repoType: "dataset" })).toEqual(["README.md", "data/train-00000-of-00001.parquet"]);
    const parquet = await hfHubDownload({ ...params({ fetch: f }), repoId: LAMINI, repoType: "dataset", path: "data/train-00000-of-00001.parquet" });
    expect(readFileSync(parquet).subarray(0, 4).toString()).toBe("PAR1");
    // The first HEAD found the Hub unreachable; everything after came from the cache without asking again.
    expect(f.calls).toBe(1);
    expect(warnings).toEqual([expect.stringMatching(/^Hub unreachable \(127\.0\.0\.1:\d+: connection refused, ECONNREFUSED\): using the cached files$/)]);
  });

  it("optional files not cached count as absent (tokenizer_config.json kept, special_tokens_map.json and chat_template.jinja absent)", async () => {
    const cacheDir = partialCache(env.dir);
    const paths = await resolveTokenizerFiles(PYTHIA, params({ cacheDir }));
    expect(paths.tokenizerJson).toBe(join(cacheDir, "models--EleutherAI--pythia-70m", "snapshots", pythiaCommit(), "tokenizer.json"));
    expect(paths.tokenizerConfig).toBe(join(cacheDir, "models--EleutherAI--pythia-70m", "snapshots", pythiaCommit(), "tokenizer_config.json"));
    expect(paths.specialTokensMap).toBeUndefined();
    expect(paths.chatTemplate).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it("a needed file that is not cached: HubUnreachableError naming the file and the cache, after 3 attempts; then at once", async () => {
    const f = countingFetch();
    const p = params({ fetch: f, cacheDir: partialCache(env.dir), retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const e = await rejection(hfHubDownload({ ...p, repoId: PYTHIA, path: "config.json" }));
    expect(e).toBeInstanceOf(HubUnreachableError);
    expect(e).toBeInstanceOf(HubHttpError);
    expect(e.message).toContain("Hub unreachable (127.0.0.1:");
    expect(e.message).toContain(`config.json of model ${PYTHIA} (revision main) is not in the cache ${p.cacheDir}`);
    expect((e as HubUnreachableError).file).toBe(join(p.cacheDir!, "models--EleutherAI--pythia-70m", "snapshots", pythiaCommit(), "config.json"));
    // One HEAD, then the short bounded retry (3 attempts in all): Python retries connection errors too.
    expect(f.calls).toBe(4);
    // Known unreachable now: the next miss does not ask again.
    const e2 = await rejection(hfHubDownload({ ...p, repoId: PYTHIA, path: "model.safetensors" }));
    expect(e2).toBeInstanceOf(HubUnreachableError);
    expect(e2.message).toContain("model.safetensors");
    expect(f.calls).toBe(4);
    // A repo not cached at all: the listing says so, naming the cache.
    const e3 = await rejection(listRepoFiles({ ...p, repoId: "someone/not-cached", repoType: "dataset" }));
    expect(e3).toBeInstanceOf(HubUnreachableError);
    expect(e3.message).toContain(`dataset someone/not-cached (revision main) is not in the cache ${p.cacheDir}`);
  });

  it("the memo lasts a minute: after it, the Hub is asked again", async () => {
    const f = countingFetch();
    await hfHubDownload({ ...params({ fetch: f }), repoId: PYTHIA, path: "tokenizer.json" });
    await hfHubDownload({ ...params({ fetch: f }), repoId: PYTHIA, path: "config.json" });
    expect(f.calls).toBe(1);
    const now = Date.now();
    const spy = vi.spyOn(Date, "now").mockReturnValue(now + UNREACHABLE_MEMO_MS + 1);
    try {
      await hfHubDownload({ ...params({ fetch: f }), repoId: PYTHIA, path: "config.json" });
    } finally {
      spy.mockRestore();
    }
    expect(f.calls).toBe(2);
    expect(warnings).toHaveLength(1);
  });

  it.each([
    ["DNS failure", "ENOTFOUND", "getaddrinfo ENOTFOUND huggingface.co", /huggingface\.co: DNS lookup failed, ENOTFOUND/],
    ["DNS failure (temporary)", "EAI_AGAIN", "getaddrinfo EAI_AGAIN huggingface.co", /DNS lookup failed, EAI_AGAIN/],
    ["TLS: expired certificate", "CERT_HAS_EXPIRED", "certificate has expired", /TLS error, CERT_HAS_EXPIRED/],
    ["TLS: self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate", /TLS error, DEPTH_ZERO_SELF_SIGNED_CERT/],
    ["TLS: wrong host name", "ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames", /TLS error, ERR_TLS_CERT_ALTNAME_INVALID/],
  ])("%s: the cached copy at once, one request, the reason said", async (_what, code, message, reason) => {
    const f = failingFetch(code, message);
    const p = params({ fetch: f, endpoint: "https://huggingface.co" });
    expect(await hfHubDownload({ ...p, repoId: PYTHIA, path: "tokenizer.json" })).toBe(join(pythiaDir(), "tokenizer.json"));
    expect((await resolveTokenizerFiles(PYTHIA, p)).chatTemplate).toBeUndefined();
    expect(f.calls).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
  });

  it("a reset mid-answer is not 'unreachable': retried as before (no memo)", async () => {
    const f = failingFetch("ECONNRESET", "read ECONNRESET");
    const p = params({
      fetch: f,
      endpoint: "https://huggingface.co",
      cacheDir: partialCache(env.dir),
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const e = await rejection(hfHubDownload({ ...p, repoId: PYTHIA, path: "config.json" }));
    expect(e).toBeInstanceOf(HubHttpError);
    expect(e).not.toBeInstanceOf(HubUnreachableError);
    expect(f.calls).toBe(3);
    expect(unreachableHubs.reason("https://huggingface.co")).toBeUndefined();
  });
});

describe("a stalled accept (a server that takes the connection and never answers)", () => {
  const env = useHubTestEnv();
  let stall: UnreachableHub;
  beforeAll(async () => {
    stall = await startUnreachableHub("stall");
  });
  afterAll(() => stall.close());
  beforeEach(() => unreachableHubs.reset());

  it("bounded by etagTimeoutMs (HF_HUB_ETAG_TIMEOUT): cached files after one timeout, the others without asking", async () => {
    vi.stubEnv("HF_HUB_ETAG_TIMEOUT", "0.3");
    const warnings: string[] = [];
    const f = countingFetch();
    const p: HubParams = { endpoint: stall.url, cacheDir: sharedCache(), progress: false, fetch: f, onWarning: (m) => warnings.push(m) };
    const before = stall.connections;
    const paths = await resolveTokenizerFiles(PYTHIA, p);
    expect(paths.tokenizerJson).toBe(join(pythiaDir(), "tokenizer.json"));
    expect(paths.chatTemplate).toBeUndefined();
    expect(await listRepoFiles({ ...p, repoId: LAMINI, repoType: "dataset" })).toEqual(["README.md", "data/train-00000-of-00001.parquet"]);
    // One request reached the stalled server (undici may open a spare connection: connections are not requests).
    expect(f.calls).toBe(1);
    expect(stall.connections).toBeGreaterThan(before);
    expect(warnings).toEqual([expect.stringMatching(/^Hub unreachable \(127\.0\.0\.1:\d+: no answer within 300 ms\): using the cached files$/)]);
  });

  it("nothing cached: HubUnreachableError after the bounded attempts, each bounded by the timeout", async () => {
    const f = countingFetch();
    const p: HubParams = {
      endpoint: stall.url,
      cacheDir: env.cacheDir,
      progress: false,
      fetch: f,
      etagTimeoutMs: 200,
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      onWarning: () => {},
    };
    const e = await rejection(hfHubDownload({ ...p, repoId: PYTHIA, path: "tokenizer.json" }));
    expect(e).toBeInstanceOf(HubUnreachableError);
    expect(e.message).toContain("no answer within 200 ms");
    expect(e.message).toContain(`not in the cache ${env.cacheDir}`);
    expect(f.calls).toBe(4);
  });
});

describe("the unreachable loopback Hubs themselves (test/helpers/hub-server.ts)", () => {
  it('"refused" refuses the connection; "stall" accepts it and never answers', async () => {
    const refused = await startUnreachableHub("refused");
    const r = await rejection(fetch(`${refused.url}/x`));
    expect(((r as Error).cause as { code?: string }).code).toBe("ECONNREFUSED");
    const stall = await startUnreachableHub("stall");
    try {
      const s = await rejection(fetch(`${stall.url}/x`, { signal: AbortSignal.timeout(300) }));
      expect((s as Error).name).toBe("TimeoutError");
      expect(stall.connections).toBeGreaterThan(0);
    } finally {
      await stall.close();
    }
  });
});

describe("a Hub that answers 5xx, the cache complete", () => {
  useHubTestEnv();
  beforeEach(() => unreachableHubs.reset());

  it("the cached copy at once, 'Hub unreachable (HTTP 503)' said once; the Hub is asked again next time (no memo for HTTP answers)", async () => {
    const hub = await startHubServer({
      faults: [
        { kind: "status", path: "/resolve/", method: "HEAD", status: 503, times: Infinity },
        { kind: "status", path: "/api/", status: 503, times: Infinity },
      ],
    });
    try {
      const warnings: string[] = [];
      const p: HubParams = { endpoint: hub.url, cacheDir: sharedCache(), progress: false, onWarning: (m) => warnings.push(m) };
      expect(await hfHubDownload({ ...p, repoId: PYTHIA, path: "tokenizer.json" })).toBe(join(pythiaDir(), "tokenizer.json"));
      expect(await listRepoFiles({ ...p, repoId: LAMINI, repoType: "dataset" })).toEqual(["README.md", "data/train-00000-of-00001.parquet"]);
      expect(await hfHubDownload({ ...p, repoId: PYTHIA, path: "config.json" })).toBe(join(pythiaDir(), "config.json"));
      expect(hub.requests.map((r) => r.status)).toEqual([503, 503, 503]);
      expect(warnings).toEqual(["Hub unreachable (HTTP 503): using the cached files"]);
    } finally {
      await hub.close();
    }
  });
});
