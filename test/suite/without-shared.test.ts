// The test suite on a machine without ../shared (a fresh clone): the global setup downloads the Hub's
// files once with the project's own downloader and computes the reference data from the oracles,
// then the tests run on that. Here: ../shared hidden (FINETUNE_PREP_SHARED names a folder that does
// not exist), the Hub served on loopback from a temp copy of the two repos (never the server's
// default root, ../shared's cache), a subset of the suite run in a child vitest on it.
import { spawn } from "node:child_process";
import { cpSync, existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoFolderName } from "../../src/hub/index.js";
import { type HubServer, startHubServer } from "../helpers/hub-server.js";
import { laminiRows, repoRoot, sharedPath, TEST_DATA_ROOTS_FILE } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { HUB_FILES, prepareTestData, snapshotDir, type TestDataRoots } from "../helpers/test-data.js";

const tmp = tempDir("ftp-without-shared-");

/** What the child runs: the tokenizer against the reference ids, the Hub dataset from the cache, the preparation against ids, labels and split. */
const SUBSET = ["test/tokenizer/reference-ids.test.ts", "test/dataset/load-dataset-lamini.test.ts", "test/prep/lamini-parity.test.ts"];

let hub: HubServer;
let outDir: string;
let child: { code: number | null; output: string };

/** Runs vitest on `files` in a child process with `env` added, Hugging Face variables cleared. */
function runVitest(files: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HF_") && !k.startsWith("FINETUNE_PREP_")));
  return new Promise((resolve, reject) => {
    const p = spawn(join(repoRoot, "node_modules", ".bin", "vitest"), ["run", "--config", "test/vitest.config.ts", ...files], {
      cwd: repoRoot,
      env: { ...base, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    p.stdout.on("data", (d) => (output += d));
    p.stderr.on("data", (d) => (output += d));
    p.on("error", reject);
    p.on("exit", (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  // The two repos, copied out of whatever cache this run has (files, not links), and served from there.
  const served = tmp.path("served-hub");
  for (const [type, id] of HUB_FILES) {
    const folder = repoFolderName(id, type);
    cpSync(sharedPath("hf-home", "hub", folder), join(served, folder), { recursive: true, dereference: true });
  }
  hub = await startHubServer({ root: served });
  outDir = tmp.path("test-data");
  child = await runVitest(SUBSET, { FINETUNE_PREP_SHARED: tmp.path("no-shared"), FINETUNE_PREP_TEST_DATA: outDir, HF_ENDPOINT: hub.url });
}, 600_000);

afterAll(async () => {
  await hub?.close();
});

describe("the test suite without ../shared, the Hub on loopback", () => {
  it("a subset of the suite passes on data the global setup fetched and computed", () => {
    expect(child.code, child.output.slice(-4000)).toBe(0);
    expect(child.output).toMatch(new RegExp(`Test Files\\s+${SUBSET.length} passed`));
    const roots = JSON.parse(readFileSync(join(outDir, TEST_DATA_ROOTS_FILE), "utf8")) as TestDataRoots;
    expect(roots).toEqual({ source: "hub", "hf-home": join(outDir, "hf-home"), data: join(outDir, "data"), reference: join(outDir, "reference") });
  });

  it("the Hub's files were downloaded with hfHubDownload into the suite's cache, in Python's layout, each once", () => {
    for (const [type, id, paths] of HUB_FILES) {
      const folder = repoFolderName(id, type);
      const snapshot = snapshotDir(join(outDir, "hf-home", "hub"), folder);
      for (const path of paths) {
        // snapshots/<commit>/<path> links into blobs/, with the bytes the Hub served; fetched once (LFS files from the CDN).
        const served = hub.file(id, path, { type });
        expect(lstatSync(join(snapshot, path)).isSymbolicLink(), path).toBe(true);
        expect(readFileSync(join(snapshot, path)).equals(served.content), path).toBe(true);
        const downloads = hub.requests.filter((r) => {
          const at = r.path.split("?")[0]!;
          return (
            r.method === "GET" &&
            (served.lfs ? r.server === "cdn" && at.endsWith(`/${served.sha256}`) : r.server === "hub" && at.endsWith(`/resolve/main/${path}`))
          );
        });
        expect(downloads.length, `${id}/${path} fetched`).toBe(1);
      }
    }
  });

  it("the lamini rows as JSON Lines (read by DuckDB) and the reference data (Rust engine, numpy) are those of this run", () => {
    const rows = readFileSync(join(outDir, "data", "lamini_docs.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as unknown);
    expect(rows).toEqual(laminiRows());
    for (const name of ["pythia70m_lamini_ids.jsonl", "split_n1400_seed123.json"]) {
      expect(readFileSync(join(outDir, "reference", name), "utf8"), name).toBe(readFileSync(sharedPath("reference", name), "utf8"));
    }
  });

  it("a second setup finds everything in the cache: no request reaches the Hub", async () => {
    const before = hub.requests.length;
    const roots = await prepareTestData({ sharedDir: tmp.path("no-shared"), outDir, endpoint: hub.url });
    expect(roots.source).toBe("hub");
    expect(hub.requests.length).toBe(before);
    expect(existsSync(join(outDir, "hf-home", "hub", repoFolderName("EleutherAI/pythia-70m", "model"), "refs", "main"))).toBe(true);
  });
});
