import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Dataset, DatasetDict, InvalidArgumentError, SplitNotFoundError, trainTestSplit } from "../../src/index.js";
import { thrown } from "../helpers/failures.js";

const dd = () =>
  new DatasetDict({
    train: Dataset.fromDict({ question: ["a", "b", "c"], answer: ["1", "2", "3"] }),
    test: Dataset.fromDict({ question: ["d"], answer: ["4"] }),
  });

describe("DatasetDict", () => {
  it("reaches splits as properties, with get(), and names the splits for an unknown one", () => {
    const d = dd();
    expect(d.train.numRows).toBe(3);
    expect(d.get("test").numRows).toBe(1);
    expect(d.has("validation")).toBe(false);
    const err = thrown(() => d.validation);
    expect(err).toBeInstanceOf(SplitNotFoundError);
    expect((err as SplitNotFoundError).splits).toEqual(["train", "test"]);
    expect(thrown(() => d.get("dev"))).toBeInstanceOf(SplitNotFoundError);
  });

  it("exposes other split names as own properties (methods keep their names)", () => {
    const d = new DatasetDict([
      ["random", Dataset.fromDict({ a: [1] })],
      ["map", Dataset.fromDict({ a: [2] })],
    ]);
    expect((d as unknown as Record<string, Dataset>).random!.numRows).toBe(1);
    expect(typeof d.map).toBe("function");
    expect(d.get("map").row(0)).toEqual({ a: 2 });
    expect(Object.keys(d)).toEqual(["random"]);
  });

  it("iterates [name, dataset] pairs; keys, values, numRows, columnNames", () => {
    const d = dd();
    expect([...d].map(([k, v]) => [k, v.numRows])).toEqual([
      ["train", 3],
      ["test", 1],
    ]);
    expect(d.keys()).toEqual(["train", "test"]);
    expect(d.values().map((v) => v.numRows)).toEqual([3, 1]);
    expect(d.numRows).toEqual({ train: 3, test: 1 });
    expect(d.columnNames).toEqual({ train: ["question", "answer"], test: ["question", "answer"] });
    expect(d.size).toBe(2);
  });

  it("prints like Python", () => {
    const expected =
      "DatasetDict({\n    train: Dataset({\n        features: ['question', 'answer'],\n        num_rows: 3\n    })\n    test: Dataset({\n        features: ['question', 'answer'],\n        num_rows: 1\n    })\n})";
    expect(String(dd())).toBe(expected);
    expect(inspect(dd())).toBe(expected);
    expect(String(new DatasetDict({}))).toBe("DatasetDict({\n    \n})");
  });

  it("maps and filters every split (sync, batched, async), and removes/renames columns in all", async () => {
    const mapped = dd().map((r) => ({ len: (r.question as string).length }));
    expect(mapped.numRows).toEqual({ train: 3, test: 1 });
    expect(mapped.test.columnNames).toEqual(["question", "answer", "len"]);
    const batched = dd().map((b) => ({ q2: b.question!.map((q) => `${q as string}${q as string}`) }), { batched: true, removeColumns: ["question"] });
    expect(batched.train.toRows()[0]).toEqual({ answer: "1", q2: "aa" });
    const asyncMapped = await dd().map(async (r) => ({ x: r.answer }));
    expect(asyncMapped.test.column("x")).toEqual(["4"]);
    expect(dd().filter((r) => r.question !== "b").numRows).toEqual({ train: 2, test: 1 });
    expect(dd().removeColumns("answer").columnNames).toEqual({ train: ["question"], test: ["question"] });
    expect(dd().renameColumn("answer", "a").test.columnNames).toEqual(["question", "a"]);
    expect(dd().shuffle({ seed: 1 }).numRows).toEqual({ train: 3, test: 1 });
  });

  it("refuses a split given twice", () => {
    expect(
      thrown(
        () =>
          new DatasetDict([
            ["a", Dataset.fromList([])],
            ["a", Dataset.fromList([])],
          ]),
      ),
    ).toBeInstanceOf(InvalidArgumentError);
  });
});

describe("trainTestSplit(dataset, options)", () => {
  it("puts the rows Python puts in each split: test = permutation[:nTest], train = the next nTrain", () => {
    const ds = Dataset.fromDict({ i: Array.from({ length: 20 }, (_, i) => i * 10) });
    const split = trainTestSplit(ds, { testSize: 0.25, seed: 0 });
    const train = split.train.column("i") as number[];
    const test = split.test.column("i") as number[];
    expect(test.length).toBe(5);
    expect(train.length).toBe(15);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(ds.column("i"));
    expect(trainTestSplit(ds, { testSize: 0.25, seed: 0 }).test.column("i")).toEqual(test);
    expect(trainTestSplit(ds, { testSize: 0.25, seed: 1 }).test.column("i")).not.toEqual(test);
  });

  it("passes the split's validation errors through", () => {
    expect(thrown(() => trainTestSplit(Dataset.fromDict({ i: [1, 2] }), { testSize: 5 }))).toBeInstanceOf(InvalidArgumentError);
  });
});
