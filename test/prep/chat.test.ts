import { beforeAll, describe, expect, it } from "vitest";
import type { RaggedInt32Column } from "../../src/dataset/index.js";
import { ColumnTypeError, InvalidArgumentError, TemplateError } from "../../src/errors.js";
import { IGNORE_INDEX, prepareBatch, renderChat } from "../../src/prep/index.js";
import type { Tokenizer } from "../../src/tokenizer/index.js";
import { thrown } from "../helpers/failures.js";
import { pythiaTokenizer } from "./helpers.js";

// A ChatML-like template closing each turn with Pythia's EOS.
const CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|endoftext|>\n{% endfor %}";

let tok: Tokenizer;
beforeAll(async () => {
  tok = await pythiaTokenizer();
});

function learnedText(ids: number[], labels: number[]): string {
  return tok.decode(ids.filter((_, j) => labels[j] !== IGNORE_INDEX));
}

describe("chat rows", () => {
  const conversation = [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello there" },
    { role: "user", content: "Yes" },
    { role: "assistant", content: "Yes" },
  ];

  it("are rendered with the chat template and tokenized as one text, no special tokens added", () => {
    const b = prepareBatch([{ messages: conversation }], tok, { chatTemplate: CHATML });
    const text = tok.applyChatTemplate(conversation, { tokenize: false, chatTemplate: CHATML });
    expect([...b.columns.keys()]).toEqual(["text", "input_ids", "attention_mask", "labels"]);
    expect(b.columns.get("text")).toEqual([text]);
    expect((b.columns.get("input_ids") as RaggedInt32Column).toArray(0)).toEqual(tok.applyChatTemplate(conversation, { chatTemplate: CHATML }));
  });

  it('"mask-prompt" learns only the assistant turns: their content and the token that closes them', () => {
    const b = prepareBatch([{ messages: conversation }], tok, { chatTemplate: CHATML, labels: "mask-prompt" });
    const ids = (b.columns.get("input_ids") as RaggedInt32Column).toArray(0);
    const labels = (b.columns.get("labels") as RaggedInt32Column).toArray(0);
    // The user's "Yes" is the same text as the assistant's second answer, and stays masked.
    expect(learnedText(ids, labels)).toBe("Hello there<|endoftext|>Yes<|endoftext|>");
    expect(labels.filter((l) => l !== IGNORE_INDEX)).toEqual(ids.filter((_, j) => labels[j] !== IGNORE_INDEX));
  });

  it("renderChat gives the assistant ranges; a template that trims content still locates them", () => {
    const r = renderChat(tok, conversation, { chatTemplate: CHATML });
    expect(r.assistantRanges.map(([a, b]) => r.text.slice(a, b))).toEqual(["Hello there<|endoftext|>", "Yes<|endoftext|>"]);
    const trimming = "{% for m in messages %}[{{ m.role }}] {{ m.content | trim }}\n{% endfor %}";
    const t = renderChat(
      tok,
      [
        { role: "user", content: "q" },
        { role: "assistant", content: "  padded answer \n" },
      ],
      { chatTemplate: trimming },
    );
    expect(t.assistantRanges.map(([a, b]) => t.text.slice(a, b))).toEqual(["padded answer"]);
    expect(renderChat(tok, [{ role: "user", content: "only a user" }], { chatTemplate: CHATML }).assistantRanges).toEqual([]);
  });

  it("a template that rewrites the content is located by the prefix method; one whose turns cannot be located is a TemplateError (copy still works)", () => {
    const upper = "{% for m in messages %}{{ m.content | upper }}\n{% endfor %}";
    const rows = [
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "answer" },
        ],
      },
    ];
    const b = prepareBatch(rows, tok, { chatTemplate: upper, labels: "mask-prompt" });
    expect(learnedText((b.columns.get("input_ids") as RaggedInt32Column).toArray(0), (b.columns.get("labels") as RaggedInt32Column).toArray(0))).toBe(
      "ANSWER\n",
    );
    const reversed = "{% for m in messages | reverse %}{{ m.content | upper }}\n{% endfor %}";
    const e = thrown(() => prepareBatch(rows, tok, { chatTemplate: reversed, labels: "mask-prompt", rowOffset: 4 })) as TemplateError;
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.row).toBe(4);
    expect(prepareBatch(rows, tok, { chatTemplate: upper }).columns.get("text")).toEqual(["Q\nANSWER\n"]);
  });

  it("a tokenizer without a chat template (Pythia) is a TemplateError pointing at the chatTemplate option", () => {
    const e = thrown(() => prepareBatch([{ messages: conversation }], tok)) as TemplateError;
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.message).toContain("has no chat template");
    expect(e.message).toContain("chatTemplate");
  });

  it("a prompt template for chat rows is refused (the chat template formats them)", () => {
    const e = thrown(() => prepareBatch([{ messages: conversation }], tok, { chatTemplate: CHATML, template: "{messages}" }));
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toContain("chatTemplate");
  });

  it("malformed messages are ColumnTypeErrors naming the row and column", () => {
    const notList = thrown(() => prepareBatch([{ messages: "hi" }], tok, { chatTemplate: CHATML })) as ColumnTypeError;
    expect(notList).toBeInstanceOf(ColumnTypeError);
    expect(notList.column).toBe("messages");
    expect(notList.row).toBe(0);
    const badContent = thrown(() =>
      prepareBatch([{ messages: [{ role: "user", content: 3 }] }], tok, { chatTemplate: CHATML, rowOffset: 9 }),
    ) as ColumnTypeError;
    expect(badContent).toBeInstanceOf(ColumnTypeError);
    expect(badContent.row).toBe(9);
    expect(badContent.message).toContain("message 0");
  });

  it("counts conversations with empty content", () => {
    const b = prepareBatch(
      [
        {
          messages: [
            { role: "user", content: "" },
            { role: "assistant", content: "a" },
          ],
        },
        { messages: [] },
      ],
      tok,
      { chatTemplate: CHATML },
    );
    expect(b.report.emptyRows).toBe(2);
    expect(b.report.emptyByColumn).toEqual({ messages: 2 });
  });
});
