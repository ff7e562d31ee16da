// nextTokenTable on Pythia-70m and row 0 of the lamini set: the ids come from Python's reference
// ids (../shared/reference), the texts from the Rust tokenizers engine's decode, the masked count
// from Python's len(tokenizer(prompt)).
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { dataFrameHtml, nextTokenTable } from "../../src/viz/index.js";
import { thrown } from "../helpers/failures.js";
import { hfHome, referenceIds } from "../helpers/shared.js";
import { rustVariant } from "../tokenizer/oracle.js";

let tok: Tokenizer;
const rust = rustVariant();
const row0 = () => referenceIds()[0]!;
const shown = (text: string) => `[${text.replace(/ /g, "·").replace(/\n/g, "↵").replace(/\t/g, "→").replace(/\r/g, "␍")}]`;

beforeAll(async () => {
  tok = await loadTokenizer("EleutherAI/pythia-70m", { cacheDir: `${hfHome()}/hub`, offline: true });
});

describe("nextTokenTable", () => {
  it("position p reads input_ids[0..p] and predicts input_ids[p + 1]: the first 8 positions by default", async () => {
    const ids = row0().input_ids;
    const table = nextTokenTable(tok, { inputIds: ids });
    expect(table.columns).toEqual(["context (last tokens)", "context ids", "predicts", "id"]);
    expect(table.index).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const rows = table.values as (string | number)[][];
    for (const [i, row] of rows.entries()) {
      const from = Math.max(0, i - 3);
      const context = ids.slice(from, i + 1);
      const dots = from > 0 ? "… " : "";
      expect(row[1]).toBe(dots + context.join(", "));
      const texts = await Promise.all(context.map((id) => rust.decode([id], false)));
      expect(row[0]).toBe(dots + texts.map(shown).join(" "));
      expect(row[3]).toBe(ids[i + 1]);
      expect(row[2]).toBe(shown(await rust.decode([ids[i + 1]!], false)));
    }
    // The original's words: at position 0, given 4118 ("###"), predict 19782.
    expect(rows[0]![1]).toBe(String(ids[0]));
  });

  it("with mask-prompt labels, only the positions whose next token is the answer's count in the loss", () => {
    const { input_ids: ids, prompt_tokens: promptTokens } = row0();
    const labels = ids.map((id, i) => (i < promptTokens ? -100 : id));
    const positions = [0, 1, promptTokens - 3, promptTokens - 2, promptTokens - 1, promptTokens, ids.length - 2];
    const table = nextTokenTable(tok, { inputIds: ids, labels, positions, contextTokens: 2 });
    expect(table.columns).toEqual(["context (last tokens)", "context ids", "predicts", "id", "label", "in the loss"]);
    expect(table.index).toEqual(positions);
    const rows = table.values as (string | number)[][];
    // The last prompt token's position predicts the answer's first token: the first one that counts.
    expect(rows.map((r) => r[5])).toEqual(["no", "no", "no", "no", "yes", "yes", "yes"]);
    expect(rows.map((r) => r[4])).toEqual(positions.map((p) => labels[p + 1]));
    expect(rows[2]![1]).toBe(`… ${ids[promptTokens - 4]}, ${ids[promptTokens - 3]}`);
  });

  it("renders with dataFrameHtml as a pandas-style table", () => {
    const html = dataFrameHtml(nextTokenTable(tok, { inputIds: row0().input_ids, positions: [0] }));
    expect(html).toContain('class="dataframe"');
    expect(html).toContain(`<td>${row0().input_ids[1]}</td>`);
    expect(html).toContain("1 rows × 4 columns");
  });

  it("a short row gives fewer rows; bad positions, labels or context sizes are typed errors naming the option", () => {
    expect(nextTokenTable(tok, { inputIds: [12764, 13, 849] }).index).toEqual([0, 1]);
    expect(nextTokenTable(tok, { inputIds: [12764] }).index).toEqual([]);
    const last = thrown(() => nextTokenTable(tok, { inputIds: [12764, 13, 849], positions: [2] }));
    expect(last).toBeInstanceOf(InvalidArgumentError);
    expect((last as InvalidArgumentError).argument).toBe("positions");
    expect((last as Error).message).toMatch(/positions go from 0 to 1/);
    const labels = thrown(() => nextTokenTable(tok, { inputIds: [12764, 13, 849], labels: [1, 2] }));
    expect((labels as InvalidArgumentError).argument).toBe("labels");
    const context = thrown(() => nextTokenTable(tok, { inputIds: [12764, 13, 849], contextTokens: 0 }));
    expect((context as InvalidArgumentError).argument).toBe("contextTokens");
  });
});
