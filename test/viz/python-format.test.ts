// pyRepr / pformat / arrayStr / arrayRepr against what Python 3.11 and numpy 2.4 print for the same
// values (test/fixtures/viz/python-format.json, written by test/fixtures/viz/generate.py).
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { Dataset } from "../../src/dataset/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { arrayRepr, arrayStr, pformat, pprint, pyPrint, pyRepr } from "../../src/viz/index.js";

interface Fixture {
  numpy: string;
  python: string;
  numpy_cases: { values: number[]; str: string; repr: string }[];
  pprint_cases: { value: unknown; width: number; pformat: string; repr: string }[];
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/viz/python-format.json", import.meta.url), "utf8")) as Fixture;

describe(`arrayStr / arrayRepr (numpy ${fixture.numpy})`, () => {
  it("has cases", () => expect(fixture.numpy_cases.length).toBeGreaterThan(15));
  fixture.numpy_cases.forEach((c, i) => {
    it(`case ${i}: shape of ${JSON.stringify(c.values).slice(0, 40)}`, () => {
      expect(arrayStr(c.values)).toBe(c.str);
      expect(arrayRepr(c.values)).toBe(c.repr);
    });
  });

  it("takes typed arrays like lists", () => {
    expect(arrayStr([Int32Array.from([1, 20, 300])])).toBe("[[  1  20 300]]");
  });

  it("refuses ragged rows and non-integers with a hint", () => {
    expect(() => arrayStr([[1, 2], [3]])).toThrow(InvalidArgumentError);
    expect(() => arrayStr([[1, 2], [3]])).toThrow(/values\[1\] has length 1, expected 2.*pad/);
    expect(() => arrayRepr([1.5])).toThrow(/values\[0\] is 1.5: only integer arrays/);
  });
});

describe(`pformat / pyRepr (Python ${fixture.python})`, () => {
  fixture.pprint_cases.forEach((c, i) => {
    it(`case ${i} (width ${c.width})`, () => {
      expect(pformat(c.value, { width: c.width })).toBe(c.pformat);
      expect(pyRepr(c.value)).toBe(c.repr);
    });
  });

  it("prints None, booleans, bigints, infinities and Maps as Python", () => {
    expect(pyRepr([null, undefined, true, false, 12n, Infinity, -Infinity, NaN, -0])).toBe("[None, None, True, False, 12, inf, -inf, nan, 0]");
    expect(
      pyRepr(
        new Map<unknown, unknown>([
          ["b", 1],
          ["a", [2]],
        ]),
      ),
    ).toBe("{'b': 1, 'a': [2]}");
    expect(
      pyRepr(
        new Map([
          ["b", 1],
          ["a", 2],
        ]),
        { sortDicts: true },
      ),
    ).toBe("{'a': 2, 'b': 1}");
  });

  it("sorts keys by code point as Python does (not by UTF-16 unit)", () => {
    // U+1F600 sorts after U+FF5E in Python; UTF-16 comparison would put its surrogate (0xD83D) first.
    expect(pformat({ "\u{1F600}": 1, "\uFF5E": 2 })).toBe("{'～': 2, '😀': 1}");
  });

  it("prints objects with their own toString (a Dataset) as that, and marks cycles", () => {
    const ds = Dataset.fromList([{ question: "q", answer: "a" }]);
    expect(pyRepr({ train: ds })).toBe(`{'train': ${ds.toString()}}`);
    const loop: unknown[] = [1];
    loop.push(loop);
    expect(pyRepr(loop)).toBe("[1, [...]]");
  });

  it("refuses a width that is not a positive integer", () => {
    expect(() => pformat([1], { width: 0 })).toThrow(InvalidArgumentError);
  });
});

describe("pyPrint / pprint write to stdout like Python's print", () => {
  it("joins str() of the values with spaces", () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      pyPrint("Using padding: ", [
        [12764, 13],
        [42, 0],
      ]);
      pprint({ b: "x", a: 1 });
      expect(write.mock.calls.map((c) => c[0])).toEqual(["Using padding:  [[12764, 13], [42, 0]]\n", "{'a': 1, 'b': 'x'}\n"]);
    } finally {
      write.mockRestore();
    }
  });
});
