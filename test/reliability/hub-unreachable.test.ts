// `finetune-prep prepare` (the built CLI) with the Hub unreachable and a full cache, HF_HUB_OFFLINE
// not set: a laptop on a train, a firewalled cluster, a Hub outage. It must finish from the cache
// with the same files as offline, say "Hub unreachable (…): using the cached files" once, and
// never wait out retries. Each run is a child process with a time limit (a hang fails the test).
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliOutcome, runBuiltCli, runBuiltCliAsync } from "../helpers/built-cli.js";
import { startUnreachableHub, type UnreachableHub } from "../helpers/hub-server.js";
import { hfHome } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-unreachable-");
const ARGS = ["prepare", "--dataset", "kotzeje/lamini_docs.jsonl", "--tokenizer", "EleutherAI/pythia-70m", "--no-progress"];
/** Generous: the run takes about 2 s; only a hang (or waiting out retries) comes near it. */
const CHILD_LIMIT_MS = 60_000;

/** An HF_HOME of its own (no token file of ../shared is read) whose hub/ is ../shared's, not copied. */
function viewOfSharedCache(name: string): string {
  const home = join(tmp.dir, name);
  mkdirSync(home, { recursive: true });
  symlinkSync(join(hfHome(), "hub"), join(home, "hub"));
  return home;
}

/** Every path under the shared cache with its size and mtime: to show that nothing was written there. */
function fingerprint(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const st = statSync(full);
    out.push(`${prefix}${name} ${st.size} ${st.mtimeMs}`);
    if (st.isDirectory()) out.push(...fingerprint(full, `${prefix}${name}/`));
  }
  return out;
}

/** stats.json without its time stamp, and the bytes of the split files. */
function outputs(out: string): { stats: unknown; train: Buffer; test: Buffer } {
  const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8")) as Record<string, unknown>;
  delete stats.createdAt;
  for (const split of Object.values(stats.splits as Record<string, { bytes?: number }>)) delete split.bytes;
  return { stats, train: readFileSync(join(out, "train.parquet")), test: readFileSync(join(out, "test.parquet")) };
}

function expectSuccessFromCache(r: CliOutcome, out: string, reason: RegExp): void {
  expect(r.stderr).not.toContain("error:");
  expect(r.code).toBe(0);
  const said = r.stderr.split("\n").filter((l) => l.includes("Hub unreachable"));
  expect(said).toHaveLength(1);
  expect(said[0]).toMatch(reason);
  expect(said[0]).toMatch(/^warning: Hub unreachable \(.*\): using the cached files$/);
  const got = outputs(out);
  const want = outputs(join(tmp.dir, "offline-out"));
  expect(got.stats).toEqual(want.stats);
  expect(got.train.equals(want.train)).toBe(true);
  expect(got.test.equals(want.test)).toBe(true);
}

describe("prepare with the Hub unreachable and the cache full (HF_HUB_OFFLINE not set)", () => {
  let before: string[];
  let stall: UnreachableHub;
  let refused: UnreachableHub;
  beforeAll(async () => {
    before = fingerprint(join(hfHome(), "hub"));
    stall = await startUnreachableHub("stall");
    refused = await startUnreachableHub("refused");
    // The reference: the same run offline.
    const r = runBuiltCli([...ARGS, "--out", join(tmp.dir, "offline-out")], {
      cwd: tmp.dir,
      env: { HF_HOME: viewOfSharedCache("home-offline"), HF_HUB_OFFLINE: "1" },
      timeoutMs: CHILD_LIMIT_MS,
    });
    expect(r.stderr).not.toContain("error:");
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await stall.close();
    // Nothing was written into the shared cache (a view of it was HF_HOME).
    expect(fingerprint(join(hfHome(), "hub"))).toEqual(before);
  });

  it("a refused port: the same files as offline, said once, no retries waited out", () => {
    const out = join(tmp.dir, "refused-out");
    const started = Date.now();
    const r = runBuiltCli([...ARGS, "--out", out], {
      cwd: tmp.dir,
      env: { HF_HOME: viewOfSharedCache("home-refused"), HF_ENDPOINT: refused.url },
      timeoutMs: CHILD_LIMIT_MS,
    });
    // Shown, not asserted (no timing assertions): the target is ≤ 10 s.
    console.log(`prepare, Hub refused: ${Date.now() - started} ms`);
    expectSuccessFromCache(r, out, /127\.0\.0\.1:\d+: connection refused, ECONNREFUSED/);
  });

  it("a stalled accept, bounded by HF_HUB_ETAG_TIMEOUT: the same files as offline", async () => {
    const out = join(tmp.dir, "stall-out");
    const started = Date.now();
    const r = await runBuiltCliAsync([...ARGS, "--out", out], {
      cwd: tmp.dir,
      env: { HF_HOME: viewOfSharedCache("home-stall"), HF_ENDPOINT: stall.url, HF_HUB_ETAG_TIMEOUT: "1", HF_HUB_DOWNLOAD_TIMEOUT: "1" },
      timeoutMs: CHILD_LIMIT_MS,
    });
    console.log(`prepare, Hub stalled (1 s timeout): ${Date.now() - started} ms`);
    expect(stall.connections).toBeGreaterThan(0);
    expectSuccessFromCache(r, out, /127\.0\.0\.1:\d+: no answer within 1000 ms/);
  });

  it("a tokenizer that is not cached: exit 1, the file and the cache named, no output folder", () => {
    const out = join(tmp.dir, "missing-out");
    const home = viewOfSharedCache("home-missing");
    const r = runBuiltCli(["prepare", "--dataset", "kotzeje/lamini_docs.jsonl", "--tokenizer", "EleutherAI/pythia-160m", "--no-progress", "--out", out], {
      cwd: tmp.dir,
      env: { HF_HOME: home, HF_ENDPOINT: refused.url },
      timeoutMs: CHILD_LIMIT_MS,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: Hub unreachable \(127\.0\.0\.1:\d+: connection refused, ECONNREFUSED\): could not reach .*EleutherAI\/pythia-160m\/resolve\/main\/tokenizer\.json/,
    );
    expect(r.stderr).toContain(`tokenizer.json of model EleutherAI/pythia-160m (revision main) is not in the cache ${join(home, "hub")}`);
    expect(() => statSync(out)).toThrow();
  });
});
