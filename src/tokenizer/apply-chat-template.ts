import { InvalidArgumentError, TemplateError } from "../errors.js";
import { pyStrip } from "./chat-template/py-values.js";
import { type RenderedTemplate, renderJinjaTemplate } from "./chat-template/render-jinja-template.js";

/** A tokenizer's chat templates: one, or several by name (tokenizer_config.json's `chat_template` as a list). */
export type ChatTemplates = string | Readonly<Record<string, string>>;

/**
 * The templates a tokenizer_config.json `chat_template` value holds, as Python loads them: a
 * string, or a list of `{ name, template }` turned into a record by name.
 */
export function parseChatTemplates(value: unknown, file: string | undefined): ChatTemplates | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const named: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [i, item] of value.entries()) {
      const { name, template } = (item ?? {}) as { name?: unknown; template?: unknown };
      if (typeof name !== "string" || typeof template !== "string") {
        throw new TemplateError(`chat_template[${i}] in ${file ?? "tokenizer_config.json"} is not a { "name": ..., "template": ... } object.`, {
          ...(file !== undefined ? { file } : {}),
        });
      }
      named[name] = template;
    }
    return named;
  }
  throw new TemplateError(
    `chat_template in ${file ?? "tokenizer_config.json"} is ${typeof value}: expected a Jinja template (a string) or a list of named templates.`,
    {
      ...(file !== undefined ? { file } : {}),
    },
  );
}

/**
 * Python's `get_chat_template`: the template to render with. `chosen` is a template or the name of
 * one of the tokenizer's named templates; otherwise "tool_use" when tools are given and there is
 * one, else "default" (else the single template).
 */
export function selectChatTemplate(templates: ChatTemplates | undefined, chosen: string | undefined, hasTools: boolean, nameOrPath: string): string {
  if (templates !== undefined && typeof templates !== "string") {
    if (chosen !== undefined) return Object.hasOwn(templates, chosen) ? (templates[chosen] as string) : chosen;
    if (hasTools && Object.hasOwn(templates, "tool_use")) return templates.tool_use as string;
    if (Object.hasOwn(templates, "default")) return templates.default as string;
    throw new TemplateError(`${nameOrPath} has several chat templates and none is named "default".`, {
      hint: `Pass { chatTemplate: NAME } with one of: ${Object.keys(templates).sort().join(", ")}.`,
    });
  }
  if (chosen !== undefined) return chosen;
  if (templates !== undefined) return templates;
  throw new TemplateError(`${nameOrPath} has no chat template (Python raises here too).`, {
    hint: "Set one first (tok.chatTemplate = '{% for m in messages %}...{% endfor %}') or pass { chatTemplate }.",
  });
}

/** What {@link renderConversation} renders. */
export interface ConversationInput {
  messages: readonly Record<string, unknown>[];
  /** Tool schemas (JSON), or null: Python passes `tools=None` when there are none. */
  tools: readonly unknown[] | null;
  /** Documents for retrieval-augmented templates, or null. */
  documents: readonly unknown[] | null;
  addGenerationPrompt: boolean;
  continueFinalMessage: boolean;
  /** The tokenizer's special tokens (Python's `special_tokens_map`), as strings. */
  specialTokens: Record<string, unknown>;
  /** Any further template variables (Python's `**kwargs`, e.g. `enable_thinking`). */
  kwargs: Record<string, unknown>;
}

/**
 * transformers' `render_jinja_template` for one conversation: the template sees `messages`,
 * `tools`, `documents`, `add_generation_prompt`, the special tokens and the kwargs (which win over
 * the special tokens); with `continueFinalMessage` the text is cut after the final message's
 * content, as Python cuts it. Returns the text and where `{% generation %}` blocks landed.
 */
export function renderConversation(template: string, input: ConversationInput, nameOrPath: string): RenderedTemplate {
  if (input.continueFinalMessage && input.addGenerationPrompt) {
    throw new InvalidArgumentError(
      "continueFinalMessage",
      true,
      "continueFinalMessage and addGenerationPrompt are not compatible: use addGenerationPrompt to start a new assistant turn, continueFinalMessage to continue the last one.",
    );
  }
  const context: Record<string, unknown> = {
    ...input.specialTokens,
    ...input.kwargs,
    messages: input.messages,
    tools: input.tools,
    documents: input.documents,
    add_generation_prompt: input.addGenerationPrompt,
  };
  const rendered = renderJinjaTemplate(template, context, { nameOrPath });
  if (!input.continueFinalMessage) return rendered;
  const last = input.messages[input.messages.length - 1];
  let final: unknown = last?.content;
  if (Array.isArray(final)) {
    const part = [...final].reverse().find((p) => p !== null && typeof p === "object" && "text" in (p as object)) as { text?: unknown } | undefined;
    if (part === undefined) throw new TemplateError("continueFinalMessage is set but the final message has no text to continue.");
    final = part.text;
  }
  if (typeof final !== "string") throw new TemplateError("continueFinalMessage is set but the final message has no text content to continue.");
  const text = rendered.text;
  const stripped = pyStrip(final, null, "both");
  const at = text.lastIndexOf(stripped);
  if (!text.includes(stripped) || at < 0) {
    throw new TemplateError(
      "continueFinalMessage is set but the final message does not appear in the chat after applying the chat template! This can happen if the chat template deletes portions of the final message.",
      { hint: "Check the chat template and the final message." },
    );
  }
  const leftStripped = pyStrip(final, null, "left");
  const end = text.slice(at, at + leftStripped.length) === final ? at + leftStripped.length : at + stripped.length;
  return { ...rendered, text: text.slice(0, end), generation: rendered.generation.map(([a, b]) => [Math.min(a, end), Math.min(b, end)] as [number, number]) };
}
