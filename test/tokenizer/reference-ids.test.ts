// All 1,400 rows of the lamini docs set against the ids Python's fast tokenizer gave
// (../shared/reference/pythia70m_lamini_ids.jsonl).
import { describe, expect, it } from "vitest";
import { loadTokenizer } from "../../src/tokenizer/index.js";
import { laminiRows, pythiaDir, referenceIds } from "../helpers/shared.js";

describe("Python's ids for the lamini docs prompts", () => {
  it("match for every row, prompt and prompt + answer", async () => {
    const tok = await loadTokenizer(pythiaDir());
    const rows = laminiRows();
    const reference = referenceIds();
    expect(rows).toHaveLength(1400);
    expect(reference).toHaveLength(1400);
    const prompts = rows.map((r) => `### Question:\n${r.question}\n\n### Answer:`);
    const full = tok.encodeBatchIds(rows.map((r, i) => prompts[i] + r.answer));
    const promptIds = tok.encodeBatchIds(prompts);
    const mismatches: number[] = [];
    reference.forEach((ref, i) => {
      expect(ref.index).toBe(i);
      const same = JSON.stringify(full[i]) === JSON.stringify(ref.input_ids) && promptIds[i]?.length === ref.prompt_tokens;
      if (!same) mismatches.push(i);
    });
    expect(mismatches).toEqual([]);
    expect(full[0]).toHaveLength(142);
    expect(full[0]).toEqual(reference[0]?.input_ids);
  });
});
