// The worker-thread pool of encodeBatchFlatAsync. Worker threads need a JavaScript file, so the pool
// runs only from the BUILT package: these tests import dist/ (`npm test` runs `npm run build` before
// vitest; to test another build, set FINETUNE_PREP_DIST to its folder). Under vitest the TypeScript
// sources have no worker script and encode in-thread — the rest of the suite covers that path.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as TokenizerModule from "../../../src/tokenizer/index.js";
import { hardCorpus } from "../../fixtures/tokenizer/hard-corpus.js";
import { laminiRows, pythiaDir, referenceIds, repoRoot } from "../../helpers/shared.js";
import { AWKWARD_POOL, awkwardStrings } from "../oracle.js";

const distDir = resolve(process.env.FINETUNE_PREP_DIST ?? join(repoRoot, "dist"));
const entry = join(distDir, "tokenizer", "index.js");
const workerScript = join(distDir, "tokenizer", "fast", "encoder-worker.js");
if (!existsSync(entry) || !existsSync(workerScript)) {
  throw new Error(`The built package is missing (${workerScript}): run \`npm run build\` first (npm test does), or set FINETUNE_PREP_DIST.`);
}
const lib = (await import(pathToFileURL(entry).href)) as typeof TokenizerModule;

type PoolInternals = { pool?: { size: number; slots?: { worker: { terminate(): Promise<number> } }[] } };
const internals = (tok: unknown) => tok as PoolInternals;

const rows = laminiRows();
const reference = referenceIds();
const lamini = rows.map((r) => `### Question:\n${r.question}\n\n### Answer:${r.answer}`);
// Over a million characters (the size from which workers are used), with texts of every kind.
const big = [...lamini, ...hardCorpus.map((c) => c.text), ...awkwardStrings(77, 2000, AWKWARD_POOL), ...lamini];

describe("encodeBatchFlatAsync on worker threads (built package)", () => {
  let tok: TokenizerModule.Tokenizer;
  beforeAll(async () => {
    tok = await lib.loadTokenizer(pythiaDir());
  });
  afterAll(() => tok.close());

  it("gives the in-thread ids, and Python's for the lamini rows, from 2 workers", async () => {
    expect(big.reduce((n, t) => n + t.length, 0)).toBeGreaterThan(1 << 20);
    const pooled = await tok.encodeBatchFlatAsync(big, { workers: 2 });
    expect(internals(tok).pool?.slots?.length).toBe(2);
    const inThread = tok.encodeBatchFlat(big);
    expect(pooled.offsets).toEqual(inThread.offsets);
    expect(pooled.values).toEqual(inThread.values);
    const mismatch = reference.findIndex((ref, i) => JSON.stringify(Array.from(pooled.get(i))) !== JSON.stringify(ref.input_ids));
    expect(mismatch).toBe(-1);
    // The second copy of the lamini rows (last 1,400 rows) came from other chunks, other workers' caches.
    const tail = big.length - 1400;
    expect(reference.every((ref, i) => pooled.lengthOf(tail + i) === ref.input_ids.length)).toBe(true);
  });

  it("keeps the pool warm across calls; workers: 0 and small batches stay in this thread", async () => {
    const again = await tok.encodeBatchFlatAsync(big, { workers: 2 });
    expect(again.values.length).toBe(tok.encodeBatchFlat(big).values.length);
    const small = await tok.encodeBatchFlatAsync(lamini.slice(0, 10));
    expect(small.toArrays()).toEqual(reference.slice(0, 10).map((r) => r.input_ids));
    const fresh = await lib.loadTokenizer(pythiaDir());
    const inThread = await fresh.encodeBatchFlatAsync(big, { workers: 0 });
    expect(internals(fresh).pool).toBeUndefined();
    expect(inThread.values).toEqual(again.values);
    await expect(fresh.encodeBatchFlatAsync(big, { workers: -1 })).rejects.toThrow(/workers must be a whole number/);
  });

  it("a worker that dies costs speed, not the batch: it is finished in this thread, with a warning", async () => {
    const victim = await lib.loadTokenizer(pythiaDir());
    const expected = victim.encodeBatchFlat(big);
    await victim.encodeBatchFlatAsync(big, { workers: 2 });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      await internals(victim).pool?.slots?.[0]?.worker.terminate();
      const result = await victim.encodeBatchFlatAsync(big, { workers: 2 });
      expect(result.values).toEqual(expected.values);
      await new Promise((r) => setImmediate(r));
      expect(warnings.some((m) => /encoding on worker threads failed/.test(m))).toBe(true);
    } finally {
      process.off("warning", onWarning);
      await victim.close();
    }
  });
});

describe("a process that used the pool exits by itself", () => {
  // No close(): idle workers are unref'd, so the process ends when its work does.
  const script = `
    const { loadTokenizer } = await import(${JSON.stringify(pathToFileURL(entry).href)});
    const tok = await loadTokenizer(${JSON.stringify(pythiaDir())});
    const texts = Array.from({ length: 4000 }, (_, i) => "row " + i + " " + "lorem ipsum dolor sit amet ".repeat(12));
    const ids = await tok.encodeBatchFlatAsync(texts, { workers: 2 });
    console.log(JSON.stringify({ rows: ids.length, pool: tok.pool?.slots?.length ?? 0 }));
  `;

  it("without close(), within seconds", () => {
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(run.error, "the process did not exit on its own").toBeUndefined();
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim()), run.stderr).toEqual({ rows: 4000, pool: 2 });
  });
});
