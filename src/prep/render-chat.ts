import { ColumnTypeError, TemplateError } from "../errors.js";
import type { ChatMessage, Tokenizer } from "../tokenizer/index.js";
import { describeValue } from "./format-prompt.js";

export interface RenderChatOptions {
  /** A Jinja chat template to use instead of the tokenizer's. */
  chatTemplate?: string | undefined;
  /** Further template variables (Python's `**kwargs`), e.g. `{ enable_thinking: false }`. */
  chatTemplateKwargs?: Record<string, unknown> | undefined;
  /** 0-based row index, for messages. */
  rowIndex?: number;
  /** Name of the messages column, for messages. Default "messages". */
  column?: string;
  /** Locate the assistant turns (needed for labels "mask-prompt" only). Default true. */
  locate?: boolean;
}

/** A conversation rendered with a chat template, and which characters of it are the assistant's. */
export interface RenderedChat {
  /** The rendered conversation (what `apply_chat_template(..., tokenize=False)` gives). */
  text: string;
  /**
   * `[start, end)` character ranges of `text` the model is trained to produce: each assistant
   * message's content, plus the special token that closes the turn when it directly follows it.
   */
  assistantRanges: [number, number][];
}

const closingTokensOf = new WeakMap<Tokenizer, string[]>();

/** The tokenizer's special tokens as text, longest first (so "<|im_end|>" wins over a shorter prefix). */
function closingTokens(tok: Tokenizer): string[] {
  let list = closingTokensOf.get(tok);
  if (!list) {
    const set = new Set<string>(tok.convertIdsToTokens(tok.specialTokenIds));
    if (tok.eosToken !== null) set.add(tok.eosToken);
    list = [...set].filter((t) => t !== "").sort((a, b) => b.length - a.length);
    closingTokensOf.set(tok, list);
  }
  return list;
}

function checkMessages(messages: unknown, rowIndex: number | undefined, column: string): ChatMessage[] {
  const rowText = rowIndex === undefined ? "The row" : `Row ${rowIndex}`;
  const at = { ...(rowIndex === undefined ? {} : { row: rowIndex }), column };
  if (!Array.isArray(messages)) {
    throw new ColumnTypeError(`${rowText}, column "${column}": expected a list of { role, content } messages, found ${describeValue(messages)}.`, {
      ...at,
      found: messages === null ? "null" : typeof messages,
    });
  }
  messages.forEach((m, i) => {
    const msg = m as Record<string, unknown> | null;
    const content = msg !== null && typeof msg === "object" ? msg.content : undefined;
    const contentOk = typeof content === "string" || content === null || (Array.isArray(content) && content.every((p) => p !== null && typeof p === "object"));
    const ok = msg !== null && typeof msg === "object" && !Array.isArray(msg) && typeof msg.role === "string" && contentOk;
    if (!ok) {
      throw new ColumnTypeError(
        `${rowText}, column "${column}", message ${i}: expected { role: string, content: string }, found ${m !== null && typeof m === "object" ? JSON.stringify(m).slice(0, 120) : describeValue(m)}.`,
        { ...at, found: m === null ? "null" : typeof m, hint: 'content is a string, null (with tool_calls) or a list of parts ({ type: "text", text }).' },
      );
    }
  });
  return messages as ChatMessage[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.isspace() set, which includes the \x1c-\x1f separators
const PY_SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

interface Using {
  chatTemplate: string | undefined;
  kwargs: Record<string, unknown> | undefined;
}

function render(tok: Tokenizer, messages: ChatMessage[], using: Using, addGenerationPrompt = false) {
  return tok.renderChatTemplate(messages, {
    addGenerationPrompt,
    ...(using.chatTemplate === undefined ? {} : { chatTemplate: using.chatTemplate }),
    ...(using.kwargs === undefined ? {} : { chatTemplateKwargs: using.kwargs }),
  });
}

/** The marker method: each assistant content found where the template put it (as is, or trimmed). */
function locateByMarkers(tok: Tokenizer, list: ChatMessage[], assistant: number[], text: string, using: Using): [number, number][] | undefined {
  if (assistant.some((i) => typeof list[i]!.content !== "string")) return undefined;
  const marker = (k: number) => `\uE000finetune-prep:${k}\uE001`;
  const marked = list.map((m, i) => (m.role === "assistant" ? { ...m, content: marker(assistant.indexOf(i)) } : m));
  let withMarkers: string;
  try {
    withMarkers = render(tok, marked, using).text;
  } catch {
    return undefined;
  }
  for (const transform of [(s: string) => s, (s: string) => s.trim()]) {
    let rebuilt = "";
    let from = 0;
    const ranges: [number, number][] = [];
    let ok = true;
    for (let k = 0; k < assistant.length; k++) {
      const at = withMarkers.indexOf(marker(k), from);
      if (at < 0) {
        ok = false;
        break;
      }
      rebuilt += withMarkers.slice(from, at);
      const content = transform(list[assistant[k]!]!.content as string);
      ranges.push([rebuilt.length, rebuilt.length + content.length]);
      rebuilt += content;
      from = at + marker(k).length;
    }
    rebuilt += withMarkers.slice(from);
    if (!ok || rebuilt !== text) continue;
    const closing = closingTokens(tok);
    for (const range of ranges) {
      const after = closing.find((t) => text.startsWith(t, range[1]));
      if (after !== undefined) range[1] += after.length;
    }
    return ranges;
  }
  return undefined;
}

/**
 * The prefix method (TRL's and axolotl's): assistant turn k starts where the conversation before
 * it, rendered with the generation prompt, ends; it ends where the conversation up to and
 * including it ends when that rendering is a prefix of the whole one, else at the first
 * end-of-turn token after its start (a template that renders earlier turns differently, as Qwen 3
 * drops their reasoning). Whitespace after the end-of-turn token is not learned.
 */
function locateByPrefixes(tok: Tokenizer, list: ChatMessage[], assistant: number[], text: string, using: Using): [number, number][] | undefined {
  const closing = closingTokens(tok);
  const ranges: [number, number][] = [];
  let from = 0;
  for (const k of assistant) {
    let before: string;
    let upTo: string;
    try {
      before = render(tok, list.slice(0, k), using, true).text;
      upTo = render(tok, list.slice(0, k + 1), using).text;
    } catch {
      return undefined;
    }
    if (!text.startsWith(before) || before.length < from || !upTo.startsWith(before)) return undefined;
    const start = before.length;
    let end: number;
    if (text.startsWith(upTo)) end = upTo.length;
    else {
      // The turn as rendered alone ends with an end-of-turn token: find that token in the whole text.
      const turn = upTo.slice(start);
      let trimmed = turn.length;
      while (trimmed > 0 && PY_SPACE.test(turn.slice(0, trimmed))) trimmed--;
      const eot = closing.find((t) => turn.slice(0, trimmed).endsWith(t));
      if (eot === undefined) return undefined;
      const at = text.indexOf(eot, start);
      if (at < 0) return undefined;
      end = at + eot.length;
    }
    // Whitespace after the end-of-turn token belongs to the template's layout, not to the answer.
    let cut = end;
    while (cut > start && PY_SPACE.test(text.slice(start, cut))) cut--;
    if (closing.some((t) => text.slice(start, cut).endsWith(t))) end = cut;
    if (end <= start) return undefined;
    ranges.push([start, end]);
    from = end;
  }
  return ranges;
}

/**
 * Renders one conversation with the chat template (the tokenizer's, or `chatTemplate`; rendered as
 * Python's Jinja2 renders it) and finds where each assistant turn landed, for labels
 * "mask-prompt". Three ways, the first that works: the template's `{% generation %}` blocks; the
 * marker method (each assistant content replaced by a unique marker: the rendering with the
 * contents put back, as they are or trimmed, must equal the real one, and the end-of-turn token
 * right after is learned too); the prefix method ({@link locateByPrefixes}) for templates that
 * transform the content (Qwen 3). A row whose turns none of them locates is a TemplateError
 * naming the row. See docs/chat-templates.md for which tokens each model learns.
 */
export function renderChat(tok: Tokenizer, messages: unknown, options: RenderChatOptions = {}): RenderedChat {
  const column = options.column ?? "messages";
  const list = checkMessages(messages, options.rowIndex, column);
  const using: Using = { chatTemplate: options.chatTemplate, kwargs: options.chatTemplateKwargs };
  const rendered = render(tok, list, using);
  const text = rendered.text;
  const assistant = list.map((m, i) => (m.role === "assistant" ? i : -1)).filter((i) => i >= 0);
  if (assistant.length === 0 || options.locate === false) return { text, assistantRanges: [] };
  if (rendered.hasGeneration) return { text, assistantRanges: rendered.generationRanges.filter(([a, b]) => b > a) };

  const ranges = locateByMarkers(tok, list, assistant, text, using) ?? locateByPrefixes(tok, list, assistant, text, using);
  if (ranges) return { text, assistantRanges: ranges };
  throw new TemplateError(
    `${options.rowIndex === undefined ? "A row" : `Row ${options.rowIndex}`}: the assistant turns cannot be located in the rendered conversation (the chat template neither keeps the assistant content as it is nor renders the conversation so that its beginning is the rendering of the turns before), so labels "mask-prompt" cannot be computed.`,
    {
      ...(options.rowIndex === undefined ? {} : { row: options.rowIndex }),
      column,
      hint: 'Use labels "copy", or a chat template with {% generation %} blocks around the assistant turns.',
    },
  );
}
