// Assistant-only labels ("mask-prompt") on chat rows for Llama 3, Qwen 3, Gemma 3 and DeepSeek V3:
// the learned tokens decode to the assistant turns (their content, as the template renders it,
// and the end-of-turn token) and hold nothing of the user's or the system's.
import { beforeAll, describe, expect, it } from "vitest";
import type { RaggedInt32Column } from "../../src/dataset/index.js";
import { TemplateError } from "../../src/errors.js";
import { IGNORE_INDEX, prepareBatch, renderChat } from "../../src/prep/index.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { thrown } from "../helpers/failures.js";
import { CHAT_MODELS, CONVERSATIONS, modelDir } from "../tokenizer/chat-template/fixtures.js";

const END_OF_TURN: Record<string, string> = { llama3: "<|eot_id|>", qwen3: "<|im_end|>", gemma3: "<end_of_turn>", deepseek_v3: "<｜end▁of▁sentence｜>" };
const HEADERS = [
  "<|start_header_id|>",
  "<|im_start|>",
  "<start_of_turn>",
  "<｜User｜>",
  "<｜Assistant｜>",
  "<|begin_of_text|>",
  "<bos>",
  "<｜begin▁of▁sentence｜>",
];

/** The runs of consecutive learned tokens, decoded. */
function learnedRuns(tok: Tokenizer, ids: number[], labels: number[]): string[] {
  const runs: number[][] = [];
  labels.forEach((l, j) => {
    if (l === IGNORE_INDEX) return;
    if (j > 0 && labels[j - 1] !== IGNORE_INDEX) runs[runs.length - 1]!.push(ids[j]!);
    else runs.push([ids[j]!]);
  });
  return runs.map((r) => tok.decode(r));
}

/** The answer part of an assistant content: what follows a reasoning block, without the spaces around it. */
const answerOf = (content: string) => (content.includes("</think>") ? content.split("</think>").pop()! : content).trim();

const tokenizers = new Map<string, Tokenizer>();
beforeAll(async () => {
  for (const m of CHAT_MODELS) tokenizers.set(m, await loadTokenizer(modelDir(m)));
});

describe('labels "mask-prompt" on the four models learn the assistant turns and nothing else', () => {
  for (const model of CHAT_MODELS) {
    it(model, () => {
      const tok = tokenizers.get(model)!;
      const convs = CONVERSATIONS.filter(
        (c) =>
          (model === "gemma3" ? c.alternating : true) &&
          c.messages.every((m) => typeof m.content === "string" || (m.content === null && model === "deepseek_v3")),
      );
      // Content parts are not supported by Qwen 3's and DeepSeek's templates (Python raises too).
      const usable = convs.filter((c) => !(model !== "llama3" && model !== "gemma3" && c.messages.some((m) => Array.isArray(m.content))));
      const rows = usable.map((c) => ({ messages: c.messages }));
      const b = prepareBatch(rows, tok, { labels: "mask-prompt" });
      const idsCol = b.columns.get("input_ids") as RaggedInt32Column;
      const labelsCol = b.columns.get("labels") as RaggedInt32Column;
      usable.forEach((conv, r) => {
        const ids = idsCol.toArray(r);
        const labels = labelsCol.toArray(r);
        const runs = learnedRuns(tok, ids, labels);
        const assistant = conv.messages.filter((m) => m.role === "assistant");
        const others = conv.messages.filter((m) => m.role !== "assistant" && typeof m.content === "string" && (m.content as string).trim() !== "");
        expect(runs.length, `${conv.name}: one learned run per assistant turn`).toBe(assistant.length);
        runs.forEach((run, k) => {
          const content = assistant[k]!.content;
          expect(run.endsWith(END_OF_TURN[model]!), `${conv.name}, turn ${k}: ${JSON.stringify(run)} ends with the end-of-turn token`).toBe(true);
          if (typeof content === "string" && answerOf(content) !== "") expect(run, `${conv.name}, turn ${k}`).toContain(answerOf(content));
          for (const h of HEADERS) expect(run, `${conv.name}, turn ${k}: no role header`).not.toContain(h);
          for (const o of others) expect(run, `${conv.name}, turn ${k}: nothing of the ${o.role}'s`).not.toContain((o.content as string).trim());
        });
        // Everything learned is an assistant turn: the runs, in order, are slices of the rendered text.
        const text = (b.columns.get("text") as string[])[r]!;
        let from = 0;
        for (const run of runs) {
          const at = text.indexOf(run, from);
          expect(at, `${conv.name}: ${JSON.stringify(run)} is in the rendered text`).toBeGreaterThanOrEqual(0);
          from = at + run.length;
        }
      });
    });
  }

  it("llama3 and gemma3 learn the content as their template renders it (trimmed), then the end-of-turn token", () => {
    for (const model of ["llama3", "gemma3"]) {
      const tok = tokenizers.get(model)!;
      const conv = CONVERSATIONS.find((c) => c.name === "unicode and spaces")!;
      const b = prepareBatch([{ messages: conv.messages }], tok, { labels: "mask-prompt" });
      const runs = learnedRuns(tok, (b.columns.get("input_ids") as RaggedInt32Column).toArray(0), (b.columns.get("labels") as RaggedInt32Column).toArray(0));
      expect(runs, model).toEqual(conv.messages.filter((m) => m.role === "assistant").map((m) => (m.content as string).trim() + END_OF_TURN[model]));
    }
  });

  it("qwen3: an answer with its reasoning learns the whole think block when it is the last turn; earlier turns as rendered (reasoning dropped)", () => {
    const tok = tokenizers.get("qwen3")!;
    const conv = CONVERSATIONS.find((c) => c.name === "qwen-style reasoning")!;
    const chat = renderChat(tok, conv.messages);
    expect(chat.assistantRanges.map(([a, b]) => chat.text.slice(a, b))).toEqual(["The answer is 42.<|im_end|>", "<think>\n\n</think>\n\nStill 42.<|im_end|>"]);
    const plain = renderChat(tok, [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "  ¾ — with spaces  " },
    ]);
    // The empty think scaffold the template writes before a plain last answer is template text: not learned.
    expect(plain.text).toBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n  ¾ — with spaces  <|im_end|>\n");
    expect(plain.assistantRanges.map(([a, b]) => plain.text.slice(a, b))).toEqual(["  ¾ — with spaces  <|im_end|>"]);
  });

  it("chatTemplateKwargs reach the template in preparation (Python's apply_chat_template(**kwargs))", () => {
    const tok = tokenizers.get("qwen3")!;
    const template = "{% for m in messages %}{{ marker }}{{ m.content }}<|im_end|>\n{% endfor %}";
    const rows = [
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      },
    ];
    const b = prepareBatch(rows, tok, { chatTemplate: template, chatTemplateKwargs: { marker: "» " }, labels: "mask-prompt" });
    expect(b.columns.get("text")).toEqual(["» q<|im_end|>\n» a<|im_end|>\n"]);
    expect(learnedRuns(tok, (b.columns.get("input_ids") as RaggedInt32Column).toArray(0), (b.columns.get("labels") as RaggedInt32Column).toArray(0))).toEqual([
      " a<|im_end|>",
    ]); // " a" is one token, straddling the marker's space: learned
  });

  it("a row whose assistant turns cannot be located is a TemplateError naming the row", () => {
    const tok = tokenizers.get("qwen3")!;
    const reversed = "{% for m in messages | reverse %}{{ m.role }}: {{ m.content | upper }}\n{% endfor %}";
    const rows = [
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      },
    ];
    const e = thrown(() => prepareBatch(rows, tok, { chatTemplate: reversed, labels: "mask-prompt", rowOffset: 7 })) as TemplateError;
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.row).toBe(7);
    expect(e.message).toContain("Row 7");
  });
});
