// Processes killed with SIGKILL in the middle of writing: a split file (the real writers, in a child
// process) and a Hub download. What is left must be the previous file or none — never a partial one —
// and a later run must finish cleanly, removing the dead process's temp file.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { RaggedInt32Column, readDataFile } from "../../src/dataset/index.js";
import { hfHubDownload } from "../../src/hub/index.js";
import { createSplitWriter, type OutputFormat } from "../../src/io/index.js";
import { splitRows } from "../fixtures/reliability/split-rows.js";
import { drain } from "../helpers/drain.js";
import { fast, tree, useHubServer, useHubTestEnv } from "../helpers/hub-test-env.js";
import { pythiaDir } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { childLines, spawnDownloadChild, spawnTsChild } from "../helpers/ts-child.js";

const tmp = tempDir("ftp-sigkill-");
/** Rows the killed writer is asked for: far more bytes than any kill point below. */
const ROWS = 400_000;

/** Waits until `find()` returns something, polling; fails after `ms` (the child is stuck or done). */
async function poll<T>(find: () => T | undefined, what: string, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await sleep(2);
  }
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
}

/** Writes a split in this process (the "previous" file, and the later run), with another seed than the killed one. */
async function writeSplit(dir: string, format: OutputFormat, rows: number, seed: number): Promise<string> {
  const writer = createSplitWriter(dir, "train", { format, rowGroupSize: 2000 });
  const { text, ids } = splitRows(0, rows, seed);
  await writer.write({ text, input_ids: RaggedInt32Column.fromArrays(ids) });
  return (await writer.close()).path;
}

/**
 * Starts the writer child on `dir` and SIGKILLs it once its temp file holds at least `minBytes`.
 * Returns the temp file's name and size at the kill.
 */
async function killMidWrite(dir: string, format: OutputFormat, minBytes: number): Promise<{ temp: string; bytes: number }> {
  const child = spawnTsChild("test/fixtures/reliability/write-child.ts", [dir, format, String(ROWS), "7"]);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  try {
    const { pid } = JSON.parse(await childLines(child).next()) as { pid: number };
    const prefix = `.train.${format}.${pid}.`;
    const temp = await poll(() => {
      const name = readdirSync(dir).find((n) => n.startsWith(prefix) && n.endsWith(".tmp"));
      return name !== undefined && size(join(dir, name)) >= minBytes ? name : undefined;
    }, `${prefix}*.tmp to reach ${minBytes} bytes`);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    return { temp, bytes: size(join(dir, temp)) };
  } finally {
    child.kill("SIGKILL");
  }
}

const tempFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".tmp"));

describe("a split writer killed with SIGKILL mid-write", () => {
  for (const format of ["parquet", "jsonl"] as const) {
    it(`${format}: the previous file stays byte for byte; a later run replaces it and removes the dead temp files`, async () => {
      const dir = tmp.path(`prev-${format}`);
      const final = await writeSplit(dir, format, 300, 1);
      const previous = readFileSync(final);
      for (const minBytes of [0, 1 << 20, 6 << 20]) {
        const { temp, bytes } = await killMidWrite(dir, format, minBytes);
        expect(bytes).toBeGreaterThanOrEqual(minBytes);
        // The kill came mid-write: the target is untouched and the dead process's temp file is there
        // (alone: each new writer removed the one the previous killed writer left).
        expect(readFileSync(final).equals(previous)).toBe(true);
        expect(readdirSync(dir).filter((n) => !n.endsWith(".tmp"))).toEqual([`train.${format}`]);
        expect(tempFiles(dir)).toEqual([temp]);
      }
      // The later run: a complete new file, and the stale temp file gone.
      await writeSplit(dir, format, 500, 2);
      expect(tempFiles(dir)).toEqual([]);
      const { rows } = await drain(readDataFile(final));
      expect(rows).toHaveLength(500);
      expect(rows[499]!.text).toBe(splitRows(499, 500, 2).text[0]);
    });

    it(`${format}: with no previous file, none appears`, async () => {
      const dir = tmp.path(`none-${format}`);
      mkdirSync(dir, { recursive: true });
      await killMidWrite(dir, format, 1 << 20);
      expect(existsSync(join(dir, `train.${format}`))).toBe(false);
      expect(tempFiles(dir)).toHaveLength(1);
      await writeSplit(dir, format, 20, 3);
      expect(tempFiles(dir)).toEqual([]);
      expect((await drain(readDataFile(join(dir, `train.${format}`)))).rows).toHaveLength(20);
    });
  }
});

describe("a Hub download killed with SIGKILL mid-body", () => {
  const env = useHubTestEnv();
  const PYTHIA = "EleutherAI/pythia-70m";
  const hub = useHubServer();

  it("leaves no blob and no snapshot entry; the next download completes, verified, and removes the dead temp file", async () => {
    const served = hub.file(PYTHIA, "tokenizer.json");
    // The body stops after 500 kB and stays open: the child is mid-download when it is killed.
    hub.setFaults([{ kind: "stall", path: "/repos/", server: "cdn", bytes: 500_000, ms: 60_000 }]);
    const child = spawnDownloadChild({ endpoint: hub.url, cacheDir: env.cacheDir, repoId: PYTHIA, path: "tokenizer.json" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_c, signal) => resolve(signal)));
    const storage = join(env.cacheDir, "models--EleutherAI--pythia-70m");
    const blobs = join(storage, "blobs");
    expect(await childLines(child).next()).toBe("ready");
    child.stdin!.write("go\n");
    const partial = await poll(() => {
      const name = existsSync(blobs) ? readdirSync(blobs).find((n) => n.endsWith(".incomplete")) : undefined;
      return name !== undefined && size(join(blobs, name)) > 0 ? name : undefined;
    }, "a partial download in blobs/");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    hub.setFaults([]);

    // Nothing the cache serves: no blob named by the ETag, no snapshot entry pointing anywhere.
    expect(readdirSync(blobs)).toEqual([partial]);
    expect(size(join(blobs, partial))).toBeLessThan(served.size);
    expect(tree(storage).filter((p) => p.startsWith("snapshots/") && p.endsWith("tokenizer.json"))).toEqual([]);

    // The next run: the file arrives whole and verified; the dead process's temp file is gone.
    const local = await hfHubDownload({ repoId: PYTHIA, path: "tokenizer.json", ...fast(hub.url, env.cacheDir) });
    expect(readFileSync(local).equals(readFileSync(join(pythiaDir(), "tokenizer.json")))).toBe(true);
    expect(createHash("sha256").update(readFileSync(local)).digest("hex")).toBe(served.sha256);
    expect(readlinkSync(local)).toBe(`../../blobs/${served.sha256}`);
    expect(readdirSync(blobs)).toEqual([served.sha256]);
  });
});
