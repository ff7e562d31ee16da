import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import {
  ColumnTypeError,
  Dataset,
  DatasetDict,
  defaultRng,
  InvalidArgumentError,
  MissingColumnError,
  permutation,
  RaggedInt32Column,
} from "../../src/index.js";
import { thrown } from "../helpers/failures.js";

const qa = () =>
  Dataset.fromList([
    { question: "q0", answer: "a0" },
    { question: "q1", answer: "a1" },
    { question: "q2", answer: "a2" },
    { question: "q3", answer: "a3" },
  ]);

describe("Dataset construction", () => {
  it("fromList takes the first row's keys; missing keys are null; other keys are left out with a warning", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    try {
      const ds = Dataset.fromList([{ a: 1, b: "x" }, { a: 2 }, { a: 3, b: "z", c: true }]);
      expect(ds.columnNames).toEqual(["a", "b"]);
      expect(ds.toRows()).toEqual([
        { a: 1, b: "x" },
        { a: 2, b: null },
        { a: 3, b: "z" },
      ]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toContain('"c" (1 row)');
    } finally {
      warn.mockRestore();
    }
  });

  it("fromList refuses a row that is not an object, naming it", () => {
    const err = thrown(() => Dataset.fromList([{ a: 1 }, [1] as never]));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain("row 1");
  });

  it("fromDict requires equal lengths, naming both columns", () => {
    expect(Dataset.fromDict({ a: [1, 2], b: ["x", "y"] }).numRows).toBe(2);
    const err = thrown(() => Dataset.fromDict({ a: [1, 2], b: ["x"] }));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain('column "b" has 1 values but column "a" has 2');
  });

  it("fromDict with a Map keeps integer-like column names in place", () => {
    expect(
      Dataset.fromDict(
        new Map([
          ["b", [1]],
          ["0", [2]],
        ]),
      ).columnNames,
    ).toEqual(["b", "0"]);
  });

  it("an empty dataset", () => {
    const ds = Dataset.fromList([]);
    expect(ds.numRows).toBe(0);
    expect(ds.columnNames).toEqual([]);
    expect(String(ds)).toBe("Dataset({\n    features: [],\n    num_rows: 0\n})");
  });
});

describe("Dataset access", () => {
  it("row(i), negative from the end, out of range named", () => {
    const ds = qa();
    expect(ds.row(1)).toEqual({ question: "q1", answer: "a1" });
    expect(ds.row(-1)).toEqual({ question: "q3", answer: "a3" });
    const err = thrown(() => ds.row(4));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain("Index 4 is out of range for a dataset of 4 rows");
    expect(thrown(() => ds.row(-5))).toBeInstanceOf(InvalidArgumentError);
  });

  it("iterates rows and returns copies of columns", () => {
    const ds = qa();
    expect([...ds].map((r) => r.question)).toEqual(["q0", "q1", "q2", "q3"]);
    const col = ds.column("answer");
    col[0] = "changed";
    expect(ds.column("answer")[0]).toBe("a0");
  });

  it("column of an unknown name is a MissingColumnError listing the columns", () => {
    const err = thrown(() => qa().column("context"));
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).columns).toEqual(["question", "answer"]);
    expect(err.message).toContain("['question', 'answer']");
  });

  it("prints like Python, also through util.inspect", () => {
    const expected = "Dataset({\n    features: ['question', 'answer'],\n    num_rows: 4\n})";
    expect(String(qa())).toBe(expected);
    expect(inspect(qa())).toBe(expected);
    expect(String(Dataset.fromDict({ "it's": [1] }))).toContain(`features: ["it's"]`);
  });
});

describe("features", () => {
  it("infers Python's types and prints Python's repr", () => {
    const ds = Dataset.fromList([
      { s: "a", i: 1, f: 1.5, b: true, l: [1, 2], ls: ["x"], o: { k: 1 }, n: null, m: 2 },
      { s: null, i: 2, f: 2, b: false, l: [], ls: [], o: { k: 2 }, n: null, m: 2.5 },
    ]);
    expect(String(ds.features)).toBe(
      "{'s': Value(dtype='string', id=None), 'i': Value(dtype='int64', id=None), 'f': Value(dtype='float64', id=None), 'b': Value(dtype='bool', id=None), " +
        "'l': Sequence(feature=Value(dtype='int64', id=None), length=-1, id=None), 'ls': Sequence(feature=Value(dtype='string', id=None), length=-1, id=None), " +
        "'o': {'k': Value(dtype='int64', id=None)}, 'n': Value(dtype='null', id=None), 'm': Value(dtype='float64', id=None)}",
    );
  });

  it("narrows input_ids to int32 and attention_mask to int8, as datasets' OptimizedTypedSequence", () => {
    const ds = Dataset.fromDict({ input_ids: [[5, 6], [7]], attention_mask: [[1, 1], [1]], labels: [[5, 6], [7]], token_type_ids: [0, 300] });
    expect(ds.features.get("input_ids")!.toString()).toBe("Sequence(feature=Value(dtype='int32', id=None), length=-1, id=None)");
    expect(ds.features.get("attention_mask")!.toString()).toBe("Sequence(feature=Value(dtype='int8', id=None), length=-1, id=None)");
    expect(ds.features.get("labels")!.toString()).toBe("Sequence(feature=Value(dtype='int64', id=None), length=-1, id=None)");
    // 300 does not fit int8: datasets falls back to int64.
    expect(ds.features.get("token_type_ids")!.toString()).toBe("Value(dtype='int64', id=None)");
  });

  it("a column mixing strings and numbers is a ColumnTypeError naming the column and both rows", () => {
    const ds = Dataset.fromList([{ a: "x" }, { a: null }, { a: 3 }]);
    const err = thrown(() => ds.features);
    expect(err).toBeInstanceOf(ColumnTypeError);
    expect(err.message).toBe(`Column "a" mixes types: row 0 holds a string, row 2 holds an integer.\n  ${(err as ColumnTypeError).hint}`);
  });
});

describe("ragged int32 columns (token ids)", () => {
  it("lists of int32 are stored flat; rows give number[], column() gives number[][]", () => {
    const ds = Dataset.fromDict({ input_ids: [[1, 2, 3], [], [4]] });
    const raw = ds.rawColumn("input_ids") as RaggedInt32Column;
    expect(raw).toBeInstanceOf(RaggedInt32Column);
    expect(Array.from(raw.values)).toEqual([1, 2, 3, 4]);
    expect(Array.from(raw.offsets)).toEqual([0, 3, 3, 4]);
    expect(ds.row(0).input_ids).toEqual([1, 2, 3]);
    expect(Array.isArray(ds.row(0).input_ids)).toBe(true);
    expect(ds.column("input_ids")).toEqual([[1, 2, 3], [], [4]]);
  });

  it("falls back to plain arrays when a value is not an int32 list (floats, big numbers, nulls, strings)", () => {
    for (const bad of [[1.5], [2 ** 31], null, ["a"]]) {
      const ds = Dataset.fromDict({ x: [[1, 2], bad, [3]] });
      expect(ds.rawColumn("x")).not.toBeInstanceOf(RaggedInt32Column);
      expect(ds.column("x")).toEqual([[1, 2], bad, [3]]);
    }
  });

  it("RaggedInt32Column: fromArrays, get (a view), lengthOf, slice, take, concat, validation", () => {
    const c = RaggedInt32Column.fromArrays([[1, 2], [3], [], [4, 5, 6]]);
    expect(c.length).toBe(4);
    expect(c.get(3)).toEqual(new Int32Array([4, 5, 6]));
    expect(c.get(3).buffer).toBe(c.values.buffer);
    expect(c.lengthOf(0)).toBe(2);
    expect(c.slice(1, 3).toArrays()).toEqual([[3], []]);
    expect(c.take([3, 0, 3]).toArrays()).toEqual([
      [4, 5, 6],
      [1, 2],
      [4, 5, 6],
    ]);
    expect(RaggedInt32Column.concat([c.slice(0, 1), c.slice(3)]).toArrays()).toEqual([
      [1, 2],
      [4, 5, 6],
    ]);
    expect(thrown(() => RaggedInt32Column.fromArrays([[1], [0.5]])).message).toContain("row 1, position 0");
    expect(thrown(() => new RaggedInt32Column(new Int32Array(2), new Uint32Array([0, 3])))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => new RaggedInt32Column(new Int32Array(2), new Uint32Array([0, 2, 1, 2])))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => c.get(4))).toBeInstanceOf(InvalidArgumentError);
  });

  it("select, addColumn and map keep token columns compact; addColumn shares a RaggedInt32Column", () => {
    const ds = Dataset.fromDict({ input_ids: [[1, 2], [3], [4, 5, 6]] });
    expect(ds.select([2, 0]).rawColumn("input_ids")).toBeInstanceOf(RaggedInt32Column);
    expect(ds.select([2, 0]).column("input_ids")).toEqual([
      [4, 5, 6],
      [1, 2],
    ]);
    const withLabels = ds.addColumn("labels", ds.rawColumn("input_ids") as RaggedInt32Column);
    expect(withLabels.rawColumn("labels")).toBe(ds.rawColumn("input_ids"));
    const mapped = ds.map((r) => ({ attention_mask: (r.input_ids as number[]).map(() => 1) }));
    expect(mapped.rawColumn("attention_mask")).toBeInstanceOf(RaggedInt32Column);
    expect(mapped.column("attention_mask")).toEqual([[1, 1], [1], [1, 1, 1]]);
  });
});

describe("map", () => {
  it("row mode: merges returned columns (update in place, new ones appended) and passes the index", () => {
    const ds = qa().map((r, i) => ({ question: `${r.question as string}?`, idx: i }));
    expect(ds.columnNames).toEqual(["question", "answer", "idx"]);
    expect(ds.row(2)).toEqual({ question: "q2?", answer: "a2", idx: 2 });
  });

  it("a function returning nothing leaves the dataset as it was", () => {
    const seen: number[] = [];
    // biome-ignore lint/suspicious/useIterableCallbackReturn: Dataset.map, not Array.map: returning nothing is what this test checks
    const ds = qa().map((_r, i) => {
      seen.push(i);
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(ds.toRows()).toEqual(qa().toRows());
  });

  it("removeColumns drops columns before merging, so a returned column of that name stays (at the end)", () => {
    const ds = qa().map((r) => ({ question: (r.question as string).toUpperCase(), len: (r.answer as string).length }), {
      removeColumns: ["question", "answer"],
    });
    expect(ds.columnNames).toEqual(["question", "len"]);
    expect(ds.row(0)).toEqual({ question: "Q0", len: 2 });
    expect(thrown(() => qa().map((r) => r, { removeColumns: "nope" }))).toBeInstanceOf(MissingColumnError);
  });

  it("refuses rows returning different keys, or something that is not an object, naming the row", () => {
    const e1 = thrown(() => qa().map((_r, i) => (i === 2 ? { b: 1 } : { a: 1 })));
    expect(e1).toBeInstanceOf(InvalidArgumentError);
    expect(e1.message).toContain("for row 2 but ['a'] for row 0");
    const e2 = thrown(() => qa().map(() => 5 as never));
    expect(e2.message).toContain("returned a number for row 0");
  });

  it("batched: gets column arrays and indices, batchSize 1000 by default, the last batch shorter", () => {
    const sizes: number[] = [];
    const ds = Dataset.fromDict({ x: Array.from({ length: 2500 }, (_, i) => i) }).map(
      (batch, indices) => {
        sizes.push(batch.x!.length);
        return { y: batch.x!.map((v, j) => (v as number) * 2 + indices[j]! - indices[j]!) };
      },
      { batched: true },
    );
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(ds.column("y")[2499]).toBe(4998);
    const small: number[] = [];
    // biome-ignore lint/suspicious/useIterableCallbackReturn: Dataset.map, not Array.map: a function returning nothing keeps the rows
    qa().map((b) => void small.push(b.question!.length), { batched: true, batchSize: 3 });
    expect(small).toEqual([3, 1]);
    const whole: number[] = [];
    // biome-ignore lint/suspicious/useIterableCallbackReturn: Dataset.map, not Array.map: a function returning nothing keeps the rows
    qa().map((b) => void whole.push(b.question!.length), { batched: true, batchSize: 0 });
    expect(whole).toEqual([4]);
  });

  it("batched: returning the mutated batch works (Python's batch['x'] = … ; return batch)", () => {
    const ds = qa().map(
      (batch) => {
        batch.upper = batch.question!.map((q) => (q as string).toUpperCase());
        return batch;
      },
      { batched: true, batchSize: 2 },
    );
    expect(ds.columnNames).toEqual(["question", "answer", "upper"]);
    expect(ds.column("upper")).toEqual(["Q0", "Q1", "Q2", "Q3"]);
  });

  it("batched: accepts a RaggedInt32Column or number[][] and stores them compactly", () => {
    const ds = qa().map((b) => ({ input_ids: RaggedInt32Column.fromArrays(b.question!.map((q) => [(q as string).length, 7])) }), {
      batched: true,
      batchSize: 3,
    });
    expect(ds.rawColumn("input_ids")).toBeInstanceOf(RaggedInt32Column);
    expect(ds.column("input_ids")).toEqual([
      [2, 7],
      [2, 7],
      [2, 7],
      [2, 7],
    ]);
  });

  it("batched: refuses columns of different lengths, naming the batch", () => {
    const err = thrown(() => qa().map((b) => ({ a: b.question!, c: [1] }), { batched: true, batchSize: 2 }));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain("the batch of rows 0–1");
    expect(err.message).toContain('"c" has 1');
  });

  it("batched: may change the row count only when the input columns it does not return are removed", () => {
    const explode = (b: Record<string, unknown[]>) => ({ part: b.question!.flatMap((q) => [`${q as string}-a`, `${q as string}-b`]) });
    const err = thrown(() => qa().map(explode, { batched: true, batchSize: 3 }));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain("(3 rows) came back with 6 rows");
    expect((err as InvalidArgumentError).hint).toContain('removeColumns: ["question","answer"]');
    const ds = qa().map(explode, { batched: true, batchSize: 3, removeColumns: ["question", "answer"] });
    expect(ds.numRows).toBe(8);
    expect(ds.column("part").slice(0, 3)).toEqual(["q0-a", "q0-b", "q1-a"]);
  });

  it("an async function makes map return a promise, with the same result", async () => {
    const p = qa().map(async (r) => ({ n: (r.question as string).length }));
    expect(p).toBeInstanceOf(Promise);
    expect((await p).column("n")).toEqual([2, 2, 2, 2]);
    const b = await qa().map(async (batch) => ({ n: batch.answer!.map(() => 1) }), { batched: true, batchSize: 3 });
    expect(b.column("n")).toEqual([1, 1, 1, 1]);
  });
});

describe("filter, select, columns", () => {
  it("filter keeps rows where the function is truthy, row or batched, sync or async", async () => {
    expect(
      qa()
        .filter((_r, i) => i % 2 === 0)
        .column("question"),
    ).toEqual(["q0", "q2"]);
    expect(qa().filter((b) => b.answer!.map((a) => a !== "a1"), { batched: true, batchSize: 2 }).numRows).toBe(3);
    expect((await qa().filter(async (r) => r.question === "q3")).toRows()).toEqual([{ question: "q3", answer: "a3" }]);
    const err = thrown(() => qa().filter(() => [true], { batched: true, batchSize: 2 }));
    expect(err.message).toContain("1 flags");
  });

  it("select keeps the given order and repeats, and names an out-of-range index with its position", () => {
    expect(qa().select([3, 1, 1]).column("question")).toEqual(["q3", "q1", "q1"]);
    expect(
      qa()
        .select(new Set([2]))
        .column("question"),
    ).toEqual(["q2"]);
    const err = thrown(() => qa().select([0, 9]));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain("index 9 (at position 1) is out of range for a dataset of 4 rows");
    expect(thrown(() => qa().select([-1]))).toBeInstanceOf(InvalidArgumentError);
  });

  it("addColumn names both lengths on a mismatch and refuses an existing name", () => {
    expect(qa().addColumn("n", [1, 2, 3, 4]).columnNames).toEqual(["question", "answer", "n"]);
    const err = thrown(() => qa().addColumn("n", [1, 2, 3]));
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err.message).toContain("3 values for a dataset of 4 rows");
    expect(thrown(() => qa().addColumn("answer", [1, 2, 3, 4])).message).toContain('column "answer" already exists');
  });

  it("removeColumns and renameColumn (same position), with errors naming the columns", () => {
    expect(qa().removeColumns("answer").columnNames).toEqual(["question"]);
    expect(qa().renameColumn("question", "prompt").columnNames).toEqual(["prompt", "answer"]);
    expect(thrown(() => qa().removeColumns(["answer", "x"]))).toBeInstanceOf(MissingColumnError);
    expect(thrown(() => qa().renameColumn("question", "answer"))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => qa().renameColumn("nope", "x"))).toBeInstanceOf(MissingColumnError);
  });

  it("operations return new datasets and leave the original unchanged", () => {
    const ds = qa();
    ds.map(() => ({ question: "x" }));
    ds.addColumn("n", [1, 2, 3, 4]);
    ds.renameColumn("answer", "b");
    expect(ds.toRows()).toEqual(qa().toRows());
  });
});

describe("shuffle and trainTestSplit", () => {
  it("shuffle orders rows as numpy's default_rng(seed).permutation, like Python's Dataset.shuffle", () => {
    const ds = Dataset.fromDict({ i: Array.from({ length: 50 }, (_, i) => i) });
    expect(ds.shuffle({ seed: 42 }).column("i")).toEqual(permutation(50, 42));
    expect(ds.shuffle({ generator: defaultRng(7) }).column("i")).toEqual(defaultRng(7).permutation(50));
  });

  it("trainTestSplit gives a DatasetDict of train then test", () => {
    const split = Dataset.fromDict({ i: Array.from({ length: 10 }, (_, i) => i) }).trainTestSplit({ testSize: 0.2, shuffle: false });
    expect(split).toBeInstanceOf(DatasetDict);
    expect(split.train.column("i")).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(split.test.column("i")).toEqual([8, 9]);
  });
});

describe("toDataFrame", () => {
  it("gives a danfo DataFrame with the columns, lists shown as JSON", () => {
    const df = Dataset.fromDict({ q: ["a", "b"], input_ids: [[1, 2], [3]] }).toDataFrame();
    expect(df.columns).toEqual(["q", "input_ids"]);
    expect(df.shape).toEqual([2, 2]);
    expect(df.values).toEqual([
      ["a", "[1,2]"],
      ["b", "[3]"],
    ]);
  });
});
