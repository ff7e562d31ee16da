// SpillFile: prepared rows on disk in input order, read back in any order.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RaggedInt32Column } from "../../src/dataset/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { SpillFile } from "../../src/io/index.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-spill-");

/** A deterministic row: text of every kind, ids whose count depends on the row. */
function row(i: number) {
  const question = i % 97 === 0 ? "" : `Q${i}: café 中文 👍🏽 ${"x".repeat(i % 13)}`;
  const answer = i % 5 === 0 ? "a\u0000b\r\n" : `answer ${i}`;
  const ids = Array.from({ length: i % 11 }, (_, k) => i * 100 + k - 50);
  return { question, answer, ids, labels: ids.map((v, k) => (k < 2 ? -100 : v)) };
}

function batch(from: number, to: number) {
  const rows = Array.from({ length: to - from }, (_, j) => row(from + j));
  return {
    texts: new Map([
      ["question", rows.map((r) => r.question)],
      ["answer", rows.map((r) => r.answer)],
    ]),
    ids: new Map([
      ["input_ids", RaggedInt32Column.fromArrays(rows.map((r) => r.ids))],
      ["labels", RaggedInt32Column.fromArrays(rows.map((r) => r.labels))],
    ]),
    n: rows.length,
  };
}

describe("SpillFile", () => {
  it("gives back any rows in any order (shuffled, repeated), texts and ids exactly", () => {
    const spill = new SpillFile(tmp.dir, { texts: ["question", "answer"], ids: ["input_ids", "labels"] });
    try {
      for (const [a, b] of [
        [0, 700],
        [700, 701],
        [701, 2500],
      ] as const) {
        const { texts, ids, n } = batch(a, b);
        spill.append(texts, ids, n);
      }
      expect(spill.rows).toBe(2500);
      const order = Array.from({ length: 2500 }, (_, i) => (i * 1237) % 2500);
      order.push(3, 3, 2499, 0);
      const got = spill.read(order);
      expect(got.numRows).toBe(order.length);
      order.forEach((i, j) => {
        const r = row(i);
        expect(got.texts.get("question")![j]).toBe(r.question);
        expect(got.texts.get("answer")![j]).toBe(r.answer);
        expect(Array.from(got.ids.get("input_ids")!.get(j))).toEqual(r.ids);
        expect(Array.from(got.ids.get("labels")!.get(j))).toEqual(r.labels);
      });
      expect(spill.read([]).numRows).toBe(0);
    } finally {
      spill.remove();
    }
  });

  it("holds a record larger than its write buffer", () => {
    const spill = new SpillFile(tmp.dir, { texts: ["text"], ids: ["input_ids"] });
    try {
      const big = "é".repeat(3_000_000); // 6 MB of UTF-8
      const ids = Int32Array.from({ length: 300_000 }, (_, k) => k);
      spill.append(new Map([["text", ["small", big, "after"]]]), new Map([["input_ids", RaggedInt32Column.fromArrays([[1], ids, [2, 3]])]]), 3);
      const got = spill.read([2, 1, 0]);
      expect(got.texts.get("text")).toEqual(["after", big, "small"]);
      expect(got.ids.get("input_ids")!.get(1)).toEqual(ids);
      expect(Array.from(got.ids.get("input_ids")!.get(0))).toEqual([2, 3]);
    } finally {
      spill.remove();
    }
  });

  it("checks its input and the rows asked for; remove() deletes the file", () => {
    const spill = new SpillFile(tmp.dir, { texts: ["text"], ids: ["input_ids"] });
    expect(existsSync(spill.path)).toBe(true);
    expect(spill.path.startsWith(tmp.dir)).toBe(true);
    expect(() => spill.append(new Map(), new Map([["input_ids", RaggedInt32Column.fromArrays([[1]])]]), 1)).toThrow(/column "text" is missing/);
    expect(() => spill.append(new Map([["text", ["a", "b"]]]), new Map([["input_ids", RaggedInt32Column.fromArrays([[1]])]]), 2)).toThrow(InvalidArgumentError);
    spill.append(new Map([["text", ["a"]]]), new Map([["input_ids", RaggedInt32Column.fromArrays([[1]])]]), 1);
    expect(() => spill.read([1])).toThrow(/row 1 is not one of the 1 rows/);
    spill.remove();
    spill.remove();
    expect(existsSync(spill.path)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes("finetune-prep-rows"))).toEqual([]);
  });

  it("id columns of one row must have one length", () => {
    const spill = new SpillFile(tmp.dir, { texts: [], ids: ["input_ids", "labels"] });
    try {
      expect(() =>
        spill.append(
          new Map(),
          new Map([
            ["input_ids", RaggedInt32Column.fromArrays([[1, 2]])],
            ["labels", RaggedInt32Column.fromArrays([[1]])],
          ]),
          1,
        ),
      ).toThrow(/different lengths/);
    } finally {
      spill.remove();
    }
  });
});

describe("SpillFile and killed processes", () => {
  it("removes the spill file a dead process left (never a live one's)", () => {
    const dead = join(tmp.dir, ".finetune-prep-rows.2147483646.abcdef.tmp");
    const alive = join(tmp.dir, `.finetune-prep-rows.${process.ppid}.abcdef.tmp`);
    writeFileSync(dead, "left by a killed process");
    writeFileSync(alive, "another running process's");
    const spill = new SpillFile(tmp.dir, { texts: [], ids: ["input_ids"] });
    try {
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(alive)).toBe(true);
    } finally {
      spill.remove();
    }
  });
});
