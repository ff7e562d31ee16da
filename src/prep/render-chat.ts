import { ColumnTypeError, TemplateError } from "../errors.js";
import type { ChatMessage, Tokenizer } from "../tokenizer/index.js";
import { describeValue } from "./format-prompt.js";

export interface RenderChatOptions {
  /** A Jinja chat template to use instead of the tokenizer's. */
  chatTemplate?: string | undefined;
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
    const ok = m !== null && typeof m === "object" && typeof (m as Record<string, unknown>).role === "string" && typeof (m as Record<string, unknown>).content === "string";
    if (!ok) {
      throw new ColumnTypeError(
        `${rowText}, column "${column}", message ${i}: expected { role: string, content: string }, found ${m !== null && typeof m === "object" ? JSON.stringify(m).slice(0, 120) : describeValue(m)}.`,
        { ...at, found: m === null ? "null" : typeof m, hint: "Only text content is supported (no content parts or tool calls)." },
      );
    }
  });
  return messages as ChatMessage[];
}

function render(tok: Tokenizer, messages: ChatMessage[], chatTemplate: string | undefined): string {
  return tok.applyChatTemplate(messages, { tokenize: false, ...(chatTemplate === undefined ? {} : { chatTemplate }) });
}

/**
 * Renders one conversation with the chat template (the tokenizer's, or `chatTemplate`; Jinja in
 * transformers.js's sandbox) and finds where each assistant message's content landed. The
 * content is located by rendering the conversation once more with a unique marker in place of
 * each assistant content: the rendering with the markers put back must equal the real one (with
 * the content trimmed, for templates that `| trim` it), so a user turn that happens to contain the
 * same text is never mistaken for the assistant's. A template that changes the content in any
 * other way is a TemplateError: its assistant turns cannot be located.
 */
export function renderChat(tok: Tokenizer, messages: unknown, options: RenderChatOptions = {}): RenderedChat {
  const column = options.column ?? "messages";
  const list = checkMessages(messages, options.rowIndex, column);
  const text = render(tok, list, options.chatTemplate);
  const assistant = list.map((m, i) => (m.role === "assistant" ? i : -1)).filter((i) => i >= 0);
  if (assistant.length === 0 || options.locate === false) return { text, assistantRanges: [] };

  const marker = (k: number) => `\uE000finetune-prep:${k}\uE001`;
  const marked = list.map((m, i) => (m.role === "assistant" ? { ...m, content: marker(assistant.indexOf(i)) } : m));
  const withMarkers = render(tok, marked, options.chatTemplate);

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
    return { text, assistantRanges: ranges };
  }
  throw new TemplateError(
    `${options.rowIndex === undefined ? "A row" : `Row ${options.rowIndex}`}: the chat template changes the assistant messages' content (beyond trimming it), so the assistant turns cannot be located for labels "mask-prompt".`,
    { ...(options.rowIndex === undefined ? {} : { row: options.rowIndex }), column, hint: 'Use labels "copy", or a chat template that outputs message content as it is.' },
  );
}
