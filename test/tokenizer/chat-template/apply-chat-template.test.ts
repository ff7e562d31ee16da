// Tokenizer.applyChatTemplate with Python's options (tools, documents, addGenerationPrompt,
// continueFinalMessage, chatTemplateKwargs, tokenize, returnAssistantTokensMask, named templates,
// chat_template.jinja) against live Jinja2 with transformers' context, and the Rust engine for ids.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidArgumentError, TemplateError } from "../../../src/errors.js";
import { type ChatMessage, loadTokenizer, type Tokenizer } from "../../../src/tokenizer/index.js";
import { thrown } from "../../helpers/failures.js";
import { jinja2Render, jinja2RenderOne } from "../../helpers/jinja2.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { rustEncode } from "../oracle.js";
import { CHAT_MODELS, CONVERSATIONS, modelConfig, modelDir, specialTokens, TOOLS } from "./fixtures.js";

const tokenizers = new Map<string, Tokenizer>();
beforeAll(async () => {
  for (const m of CHAT_MODELS) tokenizers.set(m, await loadTokenizer(modelDir(m)));
});
const tok = (m: string) => tokenizers.get(m)!;

/** transformers' context: special tokens, then the kwargs, messages, tools, documents, add_generation_prompt. */
function pythonContext(model: string, messages: unknown[], extra: Record<string, unknown> = {}, kwargs: Record<string, unknown> = {}) {
  return { ...specialTokens(model), ...kwargs, messages, tools: null, documents: null, add_generation_prompt: false, ...extra };
}

describe("applyChatTemplate on the four models equals Jinja2 with transformers' context", () => {
  for (const model of CHAT_MODELS) {
    it(`${model}: conversations, generation prompt, tools, template variables`, async () => {
      const template = modelConfig(model).chat_template as string;
      for (const conv of CONVERSATIONS) {
        if (model === "gemma3" && !conv.alternating) continue; // Gemma 3 raises on a tool role, as in Python (checked below)
        for (const addGenerationPrompt of [false, true]) {
          const kwargs = model === "qwen3" ? { enable_thinking: false } : {};
          const tools = conv.tools ? TOOLS : undefined;
          const [want] = await jinja2Render([
            { template, context: pythonContext(model, conv.messages, { add_generation_prompt: addGenerationPrompt, tools: tools ?? null }, kwargs) },
          ]);
          const render = () =>
            tok(model).applyChatTemplate(conv.messages as ChatMessage[], {
              tokenize: false,
              addGenerationPrompt,
              chatTemplateKwargs: kwargs,
              ...(tools ? { tools } : {}),
            });
          const label = `${conv.name}, addGenerationPrompt ${addGenerationPrompt}`;
          // Some templates do not take content parts: Python raises, and so do we.
          if ("error" in want!) expect(thrown(render), `${label}: Jinja2 raised ${want.error}`).toBeInstanceOf(TemplateError);
          else expect(render(), label).toBe(want!.text);
        }
      }
    });
  }

  it("gemma3: a template's raise_exception is a TemplateError with its message", () => {
    const e = thrown(() => tok("gemma3").applyChatTemplate([{ role: "assistant", content: "first" }], { tokenize: false }));
    expect(e).toBeInstanceOf(TemplateError);
    expect(e.message).toContain("Conversation roles must alternate user/assistant/user/assistant/...");
  });

  it("qwen3: enable_thinking false adds the empty think scaffold to the generation prompt; unset or true does not", () => {
    const messages = [{ role: "user", content: "Hi" }];
    const off = tok("qwen3").applyChatTemplate(messages, { tokenize: false, addGenerationPrompt: true, chatTemplateKwargs: { enable_thinking: false } });
    const on = tok("qwen3").applyChatTemplate(messages, { tokenize: false, addGenerationPrompt: true, chatTemplateKwargs: { enable_thinking: true } });
    expect(off).toBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    expect(on).toBe("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
  });

  it("tokenize (the default): the ids of the rendered text, no special tokens added, as the Rust engine encodes it", async () => {
    for (const model of CHAT_MODELS) {
      const conv = CONVERSATIONS[2]!;
      const text = tok(model).applyChatTemplate(conv.messages as ChatMessage[], { tokenize: false });
      const rust = RustTokenizer.fromString(readFileSync(join(modelDir(model), "tokenizer.json"), "utf8"));
      expect(tok(model).applyChatTemplate(conv.messages as ChatMessage[]), model).toEqual((await rustEncode(rust, text, false)).ids);
    }
  });

  it("continueFinalMessage: the text ends where the final message's content ends, as transformers cuts it", async () => {
    for (const model of CHAT_MODELS) {
      const template = modelConfig(model).chat_template as string;
      for (const last of ["The answer is", "  spaced  ", "line\n"]) {
        const messages = [
          { role: "user", content: "Q?" },
          { role: "assistant", content: last },
        ];
        const want = await jinja2RenderOne({ template, context: pythonContext(model, messages), continue_final_message: true });
        expect(tok(model).applyChatTemplate(messages, { tokenize: false, continueFinalMessage: true }), `${model} ${JSON.stringify(last)}`).toBe(want.text);
      }
    }
    expect(
      thrown(() => tok("qwen3").applyChatTemplate([{ role: "user", content: "x" }], { continueFinalMessage: true, addGenerationPrompt: true })),
    ).toBeInstanceOf(InvalidArgumentError);
  });

  it("documents and any other variable reach the template", async () => {
    const template = "{% for d in documents %}[{{ d.title }}: {{ d.text }}]{% endfor %}{{ custom }}|{{ tools is none }}|{{ bos_token }}";
    const docs = [
      { title: "A", text: "alpha" },
      { title: "B", text: "beta" },
    ];
    const want = await jinja2RenderOne({ template, context: { ...pythonContext("llama3", []), documents: docs, custom: "C" } });
    expect(tok("llama3").applyChatTemplate([], { tokenize: false, chatTemplate: template, documents: docs, chatTemplateKwargs: { custom: "C" } })).toBe(
      want.text,
    );
  });
});

/** A ChatML template with {% generation %} blocks, as TRL's assistant-only examples write them. */
const GENERATION_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' }}{% if message['role'] == 'assistant' %}{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}{% else %}{{ message['content'] + '<|im_end|>' + '\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

describe("returnAssistantTokensMask: the tokens of {% generation %} blocks, as transformers marks them", () => {
  for (const model of ["llama3", "qwen3", "deepseek_v3"]) {
    it(model, async () => {
      const rust = RustTokenizer.fromString(readFileSync(join(modelDir(model), "tokenizer.json"), "utf8"));
      for (const conv of CONVERSATIONS.filter((c) => c.alternating && c.messages.every((m) => typeof m.content === "string"))) {
        const want = await jinja2RenderOne({ template: GENERATION_TEMPLATE, context: pythonContext(model, conv.messages), generation: true });
        const enc = await rustEncode(rust, want.text, false);
        // transformers' loop: char_to_token of each block's first and last character.
        const cps = Array.from(want.text);
        const utf16 = (cp: number) => cps.slice(0, cp).join("").length;
        const charToToken = (c: number) => {
          const j = enc.spans.findIndex((s) => s.start <= c && c < s.end);
          return j < 0 ? null : j;
        };
        const mask = new Array<number>(enc.ids.length).fill(0);
        for (const [a, b] of want.generation ?? []) {
          const start = charToToken(utf16(a));
          const end = charToToken(utf16(b) - 1);
          if (start === null) break;
          for (let j = start; j < (end ? end + 1 : enc.ids.length); j++) mask[j] = 1;
        }
        const got = tok(model).applyChatTemplate(conv.messages as ChatMessage[], { chatTemplate: GENERATION_TEMPLATE, returnAssistantTokensMask: true });
        expect(got.inputIds, conv.name).toEqual(enc.ids);
        expect(got.assistantMasks, conv.name).toEqual(mask);
        expect(
          mask.some((x) => x === 1),
          conv.name,
        ).toBe(true);
      }
    });
  }

  it("a template without {% generation %}: all zeros; with tokenize false or continueFinalMessage: refused", () => {
    const got = tok("qwen3").applyChatTemplate(
      [
        { role: "user", content: "x" },
        { role: "assistant", content: "y" },
      ],
      { returnAssistantTokensMask: true },
    );
    expect(got.assistantMasks.every((x) => x === 0)).toBe(true);
    expect(thrown(() => tok("qwen3").applyChatTemplate([], { returnAssistantTokensMask: true, tokenize: false } as never))).toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe("named templates and chat_template.jinja, as Python loads them", () => {
  const tmp = tempDir("chat-named");
  function folder(name: string, config: Record<string, unknown>, jinja?: string): string {
    const dir = tmp.path(name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "tokenizer.json"), readFileSync(join(modelDir("qwen3"), "tokenizer.json")));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ ...modelConfig("qwen3"), ...config }));
    if (jinja !== undefined) writeFileSync(join(dir, "chat_template.jinja"), jinja);
    return dir;
  }
  const messages = [{ role: "user", content: "hi" }];

  it("chat_template as a list: 'default' unless named; 'tool_use' when tools are given", async () => {
    const t = await loadTokenizer(
      folder("named", {
        chat_template: [
          { name: "default", template: "D{{ messages[0].content }}" },
          { name: "tool_use", template: "T{{ tools | length }}" },
          { name: "rag", template: "R{{ documents | length }}" },
        ],
      }),
    );
    expect(t.applyChatTemplate(messages, { tokenize: false })).toBe("Dhi");
    expect(t.applyChatTemplate(messages, { tokenize: false, tools: TOOLS })).toBe("T1");
    expect(t.applyChatTemplate(messages, { tokenize: false, chatTemplate: "rag", documents: [{ title: "a", text: "b" }] })).toBe("R1");
  });

  it("chat_template.jinja beside tokenizer_config.json wins over the config's template", async () => {
    const t = await loadTokenizer(folder("jinja-file", {}, "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}\n"));
    expect(t.applyChatTemplate(messages, { tokenize: false })).toBe("<user>hi\n");
  });
});
