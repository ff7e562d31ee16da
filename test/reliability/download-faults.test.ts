// Downloads under faults, checked against one invariant: whatever the network does, the cache holds
// only verified files — every blob hashes to its name (the ETag: sha256, or the git blob sha1),
// every snapshot entry points at a blob, no temp file is left — and a rerun finishes cleanly.
// (test/hub/faults.test.ts covers each fault's retry behaviour; this sweeps them all.)
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DownloadIntegrityError, type FinetunePrepError, HubHttpError } from "../../src/errors.js";
import { hfHubDownload } from "../../src/hub/index.js";
import type { Fault } from "../helpers/hub-server.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { pythiaDir } from "../helpers/shared.js";

const PYTHIA = "EleutherAI/pythia-70m";
const STORAGE = "models--EleutherAI--pythia-70m";

const hub = useHubServer();

/** The digest a blob's name promises (as the Hub computes ETags). */
function digestOf(name: string, bytes: Buffer): string {
  if (/^[0-9a-f]{64}$/.test(name)) return createHash("sha256").update(bytes).digest("hex");
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/** The cache invariant: verified blobs only, every snapshot entry a link to one, no temp files, refs naming commits. */
function expectCacheSound(storage: string): void {
  if (!existsSync(storage)) return;
  const files = tree(storage);
  expect(files.filter((f) => /incomplete|\.tmp$|\.lock$/.test(f))).toEqual([]);
  const blobs = existsSync(join(storage, "blobs")) ? readdirSync(join(storage, "blobs")) : [];
  for (const name of blobs) {
    expect(name).toMatch(/^([0-9a-f]{40}|[0-9a-f]{64})$/);
    expect(digestOf(name, readFileSync(join(storage, "blobs", name))), `blobs/${name}`).toBe(name);
  }
  for (const f of files.filter((p) => p.startsWith("snapshots/") && p.split("/").length > 2)) {
    const full = join(storage, f);
    if (lstatSync(full).isDirectory()) continue;
    expect(lstatSync(full).isSymbolicLink(), f).toBe(true);
    expect(readlinkSync(full)).toMatch(/^(\.\.\/)+blobs\/[0-9a-f]+$/);
    expect(blobs).toContain(realpathSync(full).split("/").pop());
  }
  for (const f of files.filter((p) => p.startsWith("refs/") && !lstatSync(join(storage, p)).isDirectory())) {
    expect(readFileSync(join(storage, f), "utf8")).toMatch(/^[0-9a-f]{40}$/);
  }
}

interface Scenario {
  what: string;
  path: "tokenizer.json" | "config.json";
  faults: Fault[];
  /** The error class the download ends with, or null for success. */
  error: typeof FinetunePrepError | null;
  timeoutMs?: number;
}

const cdnBody = { path: "/repos/", server: "cdn" } as const;
const SCENARIOS: Scenario[] = [
  { what: "the connection closes mid-body once", path: "tokenizer.json", faults: [{ kind: "drop", ...cdnBody, bytes: 300_000 }], error: null },
  {
    what: "the connection closes mid-body every time",
    path: "tokenizer.json",
    faults: [{ kind: "drop", ...cdnBody, bytes: 100_000, times: Infinity }],
    error: HubHttpError,
  },
  { what: "a 5xx, then success", path: "tokenizer.json", faults: [{ kind: "status", ...cdnBody, status: 503, times: 2 }], error: null },
  { what: "a 5xx every time", path: "tokenizer.json", faults: [{ kind: "status", ...cdnBody, status: 502, times: Infinity }], error: HubHttpError },
  { what: "a body shorter than its Content-Length, once", path: "tokenizer.json", faults: [{ kind: "short", ...cdnBody, bytes: 5000 }], error: null },
  {
    what: "a well-formed body shorter than announced, every time",
    path: "tokenizer.json",
    faults: [{ kind: "truncate", ...cdnBody, bytes: 4096, times: Infinity }],
    error: DownloadIntegrityError,
  },
  { what: "bytes that do not match the ETag (LFS sha256), once", path: "tokenizer.json", faults: [{ kind: "corrupt", ...cdnBody }], error: null },
  {
    what: "bytes that do not match the ETag (LFS sha256), every time",
    path: "tokenizer.json",
    faults: [{ kind: "corrupt", ...cdnBody, times: Infinity }],
    error: DownloadIntegrityError,
  },
  {
    what: "bytes that do not match the ETag (git blob sha1), every time",
    path: "config.json",
    faults: [{ kind: "corrupt", path: "/resolve/", method: "GET", times: Infinity }],
    error: DownloadIntegrityError,
  },
  {
    what: "a HEAD announcing fewer bytes than the body has",
    path: "tokenizer.json",
    faults: [{ kind: "headers", path: "/resolve/", method: "HEAD", headers: { "X-Linked-Size": "1000" }, times: Infinity }],
    error: DownloadIntegrityError,
  },
  {
    what: "a HEAD announcing more bytes than the body has",
    path: "config.json",
    faults: [{ kind: "headers", path: "/resolve/", method: "HEAD", headers: { "Content-Length": "999999" }, times: Infinity }],
    error: DownloadIntegrityError,
  },
  { what: "a body that stalls, once", path: "tokenizer.json", faults: [{ kind: "stall", ...cdnBody, bytes: 200_000 }], error: null, timeoutMs: 300 },
  { what: "a reset before any header (HEAD)", path: "tokenizer.json", faults: [{ kind: "drop", path: "/resolve/", method: "HEAD" }], error: null },
];

describe("the cache after every fault holds only verified files; a rerun finishes cleanly", () => {
  const env = useHubTestEnv();
  afterEach(() => hub.setFaults([]));

  for (const s of SCENARIOS) {
    it(`${s.what}: ${s.error ? `${s.error.name}, nothing cached` : "downloaded, verified"}`, async () => {
      const storage = join(env.cacheDir, STORAGE);
      const params = { repoId: PYTHIA, path: s.path, ...fast(hub.url, env.cacheDir, s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}) };
      hub.setFaults(s.faults);
      let local: string | undefined;
      try {
        local = await hfHubDownload(params);
        expect(s.error, "the download should have failed").toBeNull();
      } catch (e) {
        expect(e).toBeInstanceOf(s.error ?? DownloadIntegrityError);
        expect((e as Error).message).toContain(s.path);
        // Nothing for this file: no blob at all, no snapshot entry.
        expect(existsSync(join(storage, "blobs")) ? readdirSync(join(storage, "blobs")) : []).toEqual([]);
        expect(existsSync(storage) ? tree(storage).filter((f) => f.endsWith(s.path)) : []).toEqual([]);
      }
      expectCacheSound(storage);
      if (local) expect(readFileSync(local).equals(readFileSync(join(pythiaDir(), s.path)))).toBe(true);

      hub.setFaults([]);
      const again = await hfHubDownload(params);
      expect(readFileSync(again).equals(readFileSync(join(pythiaDir(), s.path)))).toBe(true);
      expect(readdirSync(join(storage, "blobs"))).toEqual([hub.file(PYTHIA, s.path).etag]);
      expectCacheSound(storage);
    });
  }
});
