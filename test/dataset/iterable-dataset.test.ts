// IterableDataset: Python datasets' IterableDataset semantics (lazy, re-iterable; take/skip; map and
// filter, batched or not, remove_columns before the merge; buffer shuffle; column selection), and the
// shard order of a shuffled multi-file stream against numpy's shuffle (python3 + numpy as the oracle).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset, InvalidArgumentError, IterableDataset, loadDataset, MissingColumnError } from "../../src/index.js";
import { rejection, thrown } from "../helpers/failures.js";
import { tempDirPerTest } from "../helpers/temp-dir.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => ({ i, sq: i * i }));

function counted(n: number) {
  const state = { reads: 0 };
  const ds = IterableDataset.fromGenerator(function* () {
    for (const row of range(n)) {
      state.reads++;
      yield row;
    }
  });
  return { ds, state };
}

describe("IterableDataset", () => {
  it("is lazy and iterates again from the start; take stops reading; skip", async () => {
    const { ds, state } = counted(50);
    const firstTen = ds.take(10);
    expect(state.reads).toBe(0);
    expect(await firstTen.toList()).toEqual(range(10));
    expect(state.reads).toBe(10);
    expect(await firstTen.toList()).toEqual(range(10));
    expect(await ds.skip(45).toList()).toEqual(range(50).slice(45));
    expect(await ds.skip(5).take(2).toList()).toEqual(range(7).slice(5));
    expect(await ds.take(0).toList()).toEqual([]);
    const batches = [];
    for await (const b of ds.take(5).iter({ batchSize: 2 })) batches.push(b);
    expect(batches).toEqual([
      { i: [0, 1], sq: [0, 1] },
      { i: [2, 3], sq: [4, 9] },
      { i: [4], sq: [16] },
    ]);
    expect(thrown(() => ds.take(-1))).toBeInstanceOf(InvalidArgumentError);
  });

  it("map merges the function's columns over the row; removeColumns are dropped before the merge (datasets' rule)", async () => {
    const { ds } = counted(4);
    expect(await ds.map((row, idx) => ({ twice: (row.i as number) * 2, idx })).toList()).toEqual(range(4).map((r, idx) => ({ ...r, twice: r.i * 2, idx })));
    expect(await ds.map((row) => ({ sq: -(row.sq as number) }), { removeColumns: ["sq", "i"] }).toList()).toEqual(range(4).map((r) => ({ sq: -r.sq })));
    expect(await ds.map(() => undefined, { removeColumns: "sq" }).toList()).toEqual(range(4).map((r) => ({ i: r.i })));
    expect(
      await ds
        .map(async (row) => ({ later: row.i }))
        .take(1)
        .toList(),
    ).toEqual([{ i: 0, sq: 0, later: 0 }]);
  });

  it("batched map: batches of batchSize (the last one shorter, or dropped), indices, another row count once inputs are removed", async () => {
    const { ds } = counted(10);
    const seen: number[][] = [];
    const out = await ds
      .map(
        (batch, indices) => {
          seen.push(indices);
          return { neg: (batch.i as number[]).map((v) => -v) };
        },
        { batched: true, batchSize: 4 },
      )
      .toList();
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(out).toEqual(range(10).map((r) => ({ ...r, neg: -r.i })));
    expect(await ds.map((b) => ({ i: b.i as number[] }), { batched: true, batchSize: 4, dropLastBatch: true }).toList()).toHaveLength(8);
    // Each row duplicated: allowed once every input column is removed.
    const doubled = await ds
      .take(3)
      .map((b) => ({ j: (b.i as number[]).flatMap((v) => [v, v]) }), { batched: true, removeColumns: ["i", "sq"] })
      .toList();
    expect(doubled).toEqual([0, 0, 1, 1, 2, 2].map((j) => ({ j })));
    const e = await rejection(ds.map((b) => ({ j: [...(b.i as number[]), 0] }), { batched: true }).toList());
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toMatch(/removeColumns/);
  });

  it("filter, one row or one batch at a time", async () => {
    const { ds } = counted(20);
    expect(await ds.filter((row) => (row.i as number) % 3 === 0).toList()).toEqual(range(20).filter((r) => r.i % 3 === 0));
    expect(await ds.filter((b) => (b.i as number[]).map((v) => v > 15), { batched: true, batchSize: 6 }).toList()).toEqual(range(20).slice(16));
    expect(await rejection(ds.filter(() => [true], { batched: true, batchSize: 5 }).toList())).toBeInstanceOf(InvalidArgumentError);
  });

  it("selectColumns, removeColumns, renameColumn; a missing column is a MissingColumnError", async () => {
    const ds = IterableDataset.fromGenerator([{ a: 1, b: 2, c: 3 }]);
    expect(await ds.selectColumns(["c", "a"]).toList()).toEqual([{ c: 3, a: 1 }]);
    expect(Object.keys((await ds.selectColumns(["c", "a"]).toList())[0]!)).toEqual(["c", "a"]);
    expect(await ds.removeColumns("b").toList()).toEqual([{ a: 1, c: 3 }]);
    expect(await ds.renameColumn("a", "z").toList()).toEqual([{ z: 1, b: 2, c: 3 }]);
    expect(await rejection(ds.selectColumns(["nope"]).toList())).toBeInstanceOf(MissingColumnError);
    const known = new IterableDataset(() => ds[Symbol.asyncIterator]() as unknown as AsyncIterable<never>, { columnNames: ["a", "b", "c"] });
    expect(thrown(() => known.removeColumns(["x"]))).toBeInstanceOf(MissingColumnError);
    expect(known.selectColumns(["b"]).columnNames).toEqual(["b"]);
  });

  it("toDataset(limit) and Dataset.fromIterable: a sample in memory, columns the union of the rows'", async () => {
    const { ds, state } = counted(1000);
    const sample = await ds.toDataset(25);
    expect(sample).toBeInstanceOf(Dataset);
    expect(sample.numRows).toBe(25);
    expect(state.reads).toBe(25);
    expect(sample.toRows()).toEqual(range(25));
    const mixed = await Dataset.fromIterable([{ a: 1 }, { b: "x" }, { a: 3, b: "y" }]);
    expect(mixed.toRows()).toEqual([
      { a: 1, b: null },
      { a: null, b: "x" },
      { a: 3, b: "y" },
    ]);
  });

  it("shuffle: a buffer shuffle — a permutation, the same for the same seed at every iteration, rows move forward at most bufferSize places", async () => {
    const { ds } = counted(500);
    const shuffled = ds.shuffle({ seed: 42, bufferSize: 50 });
    const order = (await shuffled.toList()).map((r) => r.i as number);
    expect([...order].sort((a, b) => a - b)).toEqual(range(500).map((r) => r.i));
    expect(order).not.toEqual(range(500).map((r) => r.i));
    expect((await shuffled.toList()).map((r) => r.i)).toEqual(order);
    expect((await ds.shuffle({ seed: 42, bufferSize: 50 }).toList()).map((r) => r.i)).toEqual(order);
    expect((await ds.shuffle({ seed: 43, bufferSize: 50 }).toList()).map((r) => r.i)).not.toEqual(order);
    // Row p enters the buffer once p - bufferSize rows have left it.
    order.forEach((row, at) => {
      expect(at).toBeGreaterThanOrEqual(row - 50);
    });
    // A buffer of one keeps the order.
    expect((await ds.shuffle({ seed: 1, bufferSize: 1 }).toList()).map((r) => r.i)).toEqual(range(500).map((r) => r.i));
  });
});

describe("a shuffled multi-file stream", () => {
  const tmp = tempDirPerTest("ftp-iterable-");

  it("reads its files in the order numpy's default_rng(seed).shuffle gives the file list (Python's _shuffle_gen_kwargs)", async () => {
    const files = Array.from({ length: 7 }, (_, f) => `part-${f}.jsonl`);
    files.forEach((name, f) => {
      writeFileSync(join(tmp.dir, name), `{"file": ${f}}\n`);
    });
    const ds = await loadDataset("json", { dataFiles: files.map((f) => join(tmp.dir, f)), streaming: true, split: "train" });
    expect(ds.numShards).toBe(7);
    // bufferSize 1: the buffer keeps the order, so what is left is the shard order.
    const got = (await ds.shuffle({ seed: 1234, bufferSize: 1 }).toList()).map((r) => r.file);
    const r = spawnSync("/usr/bin/python3", ["-c", "import numpy as np\nrng = np.random.default_rng(1234)\nl = list(range(7))\nrng.shuffle(l)\nprint(l)"], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(got).toEqual(JSON.parse(r.stdout));
    // Unshuffled, the file order; a take over a shuffle does not shuffle the shards (Python's TakeExamplesIterable).
    expect((await ds.toList()).map((x) => x.file)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect((await ds.shuffle({ seed: 1234, bufferSize: 1 }).take(7).toList()).map((x) => x.file)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
