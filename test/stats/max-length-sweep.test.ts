// maxLengthSweep against numpy: the same definitions computed by python3 + numpy over the lamini
// reference lengths (kept whole, tokens cut, padding shares of pad-to-max_length, dynamic padding,
// packing), and the explorer figure ships exactly those steps.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, maxLengthExplorerFigure, maxLengthStepText, maxLengthSweep } from "../../src/index.js";
import { thrown } from "../helpers/failures.js";
import { referenceIds } from "../helpers/shared.js";

const ORACLE = `
import json, sys
import numpy as np
data = json.load(sys.stdin)
l = np.array(data["lengths"], dtype=np.int64)
out = []
for L in data["maxLengths"]:
    c = np.minimum(l, L)
    real = int(c.sum())
    n = len(l)
    pad_max = n * L - real
    pad_dyn = 0
    for s in range(0, n, 8):
        b = c[s:s + 8]
        pad_dyn += int(b.max()) * len(b) - int(b.sum())
    total = int(l.sum())
    blocks = -(-total // L)
    out.append({
        "maxLength": L,
        "keptWhole": int((l <= L).sum()),
        "truncated": int((l > L).sum()),
        "tokensCut": int(np.maximum(l - L, 0).sum()),
        "tokensCutShare": float(np.maximum(l - L, 0).sum() / total),
        "padMax": [pad_max, pad_max / (pad_max + real)],
        "padDyn": [pad_dyn, pad_dyn / (pad_dyn + real)],
        "pack": [blocks, blocks * L - total, (blocks * L - total) / (blocks * L)],
    })
print(json.dumps(out))
`;

describe("maxLengthSweep", () => {
  const lengths = referenceIds().map((r) => r.input_ids.length);

  it("matches numpy for every default step; the steps run 64, 128, … and end at the longest example", () => {
    const steps = maxLengthSweep(lengths);
    const longest = Math.max(...lengths);
    expect(steps[0]!.maxLength).toBe(64);
    expect(steps[steps.length - 1]!.maxLength).toBe(longest);
    expect(steps[steps.length - 1]!.keptWholeShare).toBe(1);
    for (const s of steps.slice(0, -1)) expect(s.maxLength % 64).toBe(0);
    const r = spawnSync("/usr/bin/python3", ["-c", ORACLE], {
      input: JSON.stringify({ lengths, maxLengths: steps.map((s) => s.maxLength) }),
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as {
      maxLength: number;
      keptWhole: number;
      truncated: number;
      tokensCut: number;
      tokensCutShare: number;
      padMax: number[];
      padDyn: number[];
      pack: number[];
    }[];
    expect(expected).toHaveLength(steps.length);
    steps.forEach((s, i) => {
      const e = expected[i]!;
      expect(s.maxLength).toBe(e.maxLength);
      expect([s.keptWhole, s.truncated, s.tokensCut]).toEqual([e.keptWhole, e.truncated, e.tokensCut]);
      expect(s.keptWholeShare).toBeCloseTo(e.keptWhole / lengths.length, 12);
      expect(s.tokensCutShare).toBeCloseTo(e.tokensCutShare, 12);
      expect([s.padToMaxLength.padTokens, s.dynamicPadding.padTokens, s.packing.blocks, s.packing.padTokens]).toEqual([
        e.padMax[0],
        e.padDyn[0],
        e.pack[0],
        e.pack[1],
      ]);
      expect(s.padToMaxLength.share).toBeCloseTo(e.padMax[1]!, 12);
      expect(s.dynamicPadding.share).toBeCloseTo(e.padDyn[1]!, 12);
      expect(s.packing.share).toBeCloseTo(e.pack[2]!, 12);
    });
  });

  it("thins the default steps to maxSteps; takes explicit maxLengths; refuses bad ones", () => {
    const long = [10, 20000];
    const steps = maxLengthSweep(long, { maxSteps: 10 });
    expect(steps.length).toBeLessThanOrEqual(10);
    expect(steps[0]!.maxLength).toBe(64);
    expect(steps[steps.length - 1]!.maxLength).toBe(20000);
    expect(maxLengthSweep([5, 7], { maxLengths: [6] }).map((s) => [s.keptWhole, s.tokensCut])).toEqual([[1, 1]]);
    expect(thrown(() => maxLengthSweep([5], { maxLengths: [0] }))).toBeInstanceOf(InvalidArgumentError);
  });
});

describe("maxLengthExplorerFigure", () => {
  it("ships one relayout step per max_length: the cut line's x and the annotation's text", () => {
    const lengths = referenceIds().map((r) => r.input_ids.length);
    const steps = maxLengthSweep(lengths);
    const fig = maxLengthExplorerFigure({ lengths, steps });
    const layout = fig.layout as {
      sliders: { active: number; steps: { label: string; method: string; args: Record<string, unknown>[] }[] }[];
      annotations: { text: string }[];
      shapes: { x0: number }[];
    };
    const slider = layout.sliders[0]!;
    expect(slider.steps.map((s) => s.label)).toEqual(steps.map((s) => String(s.maxLength)));
    slider.steps.forEach((st, i) => {
      expect(st.method).toBe("relayout");
      expect(st.args[0]).toEqual({
        "shapes[0].x0": steps[i]!.maxLength,
        "shapes[0].x1": steps[i]!.maxLength,
        "annotations[0].text": maxLengthStepText(steps[i]!),
      });
    });
    const active = steps[slider.active]!;
    expect(active.keptWholeShare).toBeGreaterThanOrEqual(0.99);
    expect(layout.shapes[0]!.x0).toBe(active.maxLength);
    expect(layout.annotations[0]!.text).toBe(maxLengthStepText(active));
    expect(maxLengthStepText(steps[0]!)).toContain(`kept whole: ${steps[0]!.keptWhole.toLocaleString("en-US")} of 1,400 examples`);
    const counts = (fig.data[0]!.y as number[]).reduce((a, b) => a + b, 0);
    expect(counts).toBe(1400);
  });
});
