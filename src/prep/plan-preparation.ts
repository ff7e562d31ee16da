import { InvalidArgumentError, TemplateError } from "../errors.js";
import type { Tokenizer, TokenizerSide } from "../tokenizer/index.js";
import { DEFAULT_TEMPLATE } from "./default-template.js";
import { type ColumnOverride, type ColumnSelection, detectColumns } from "./detect-columns.js";
import { parseTemplate } from "./parse-template.js";

/** "copy": labels = input_ids (the original). "mask-prompt": -100 on the prompt's tokens, so the loss covers the answer only. */
export type LabelsMode = "copy" | "mask-prompt";

/** The label value a trainer's loss ignores (PyTorch's CrossEntropyLoss ignore_index). */
export const IGNORE_INDEX = -100;

export interface PrepareOptions {
  /**
   * Prompt template with `{column}` placeholders (Python str.format style; see {@link formatPrompt}).
   * Default: the original's {@link DEFAULT_TEMPLATE} for question/answer rows; for other
   * prompt/completion pairs (instruction/response, input/output) and for text rows no template, the
   * column's text as it is (as the original's input/output branch). Chat rows take a chatTemplate instead.
   */
  template?: string;
  /** Longest row in tokens; longer rows are cut on `truncationSide` (the original: 2048). Infinity: never cut. */
  maxLength?: number;
  /** Which end of a too-long row is cut: "left" (the original: keep the end, where the answer is) or "right". */
  truncationSide?: TokenizerSide;
  /** Labels: "copy" (default, the original) or "mask-prompt". */
  labels?: LabelsMode;
  /** The columns to use instead of detecting them ({@link detectColumns}): `{ prompt, completion }`, `{ text }` or `{ messages }`. */
  columns?: ColumnOverride | ColumnSelection;
  /** Jinja chat template for chat rows, instead of the tokenizer's (Pythia has none). */
  chatTemplate?: string;
  /** Further variables for the chat template (Python's `apply_chat_template(**kwargs)`), e.g. `{ enable_thinking: false }` for Qwen 3. */
  chatTemplateKwargs?: Record<string, unknown>;
}

/** The column selection, template and checks a whole dataset shares. */
export interface PreparePlan {
  selection: ColumnSelection;
  /** The template applied to the prompt (or text) column; undefined: the column as it is. */
  template: string | undefined;
  maxLength: number;
  truncationSide: TokenizerSide;
  labels: LabelsMode;
  chatTemplate: string | undefined;
  chatTemplateKwargs: Record<string, unknown> | undefined;
}

function isSelection(c: ColumnOverride | ColumnSelection): c is ColumnSelection {
  return typeof (c as { kind?: unknown }).kind === "string";
}

/**
 * Resolves and checks the options once for a dataset with these columns (undefined: not known):
 * which columns, which template, the limits. prepareBatch calls it per batch unless given a plan.
 */
export function planPreparation(columnNames: readonly string[] | undefined, tok: Tokenizer, options: PrepareOptions = {}): PreparePlan {
  // Unknown columns (an empty batch): the override is taken as it is, and templates are checked per row.
  const selection =
    options.columns !== undefined && isSelection(options.columns)
      ? options.columns
      : columnNames === undefined && options.columns !== undefined
        ? detectColumns(Object.values(options.columns) as string[], options.columns)
        : detectColumns(columnNames ?? [], options.columns);
  const maxLength = options.maxLength ?? 2048;
  if (maxLength !== Infinity && (!Number.isInteger(maxLength) || maxLength < 1)) {
    throw new InvalidArgumentError("maxLength", maxLength, `maxLength must be a whole number ≥ 1 (or Infinity), got ${String(maxLength)}.`);
  }
  const truncationSide = options.truncationSide ?? "left";
  if (truncationSide !== "left" && truncationSide !== "right") {
    throw new InvalidArgumentError("truncationSide", truncationSide, `truncationSide must be "left" or "right", got ${JSON.stringify(truncationSide)}.`);
  }
  const labels = options.labels ?? "copy";
  if (labels !== "copy" && labels !== "mask-prompt") {
    throw new InvalidArgumentError("labels", labels, `labels must be "copy" or "mask-prompt", got ${JSON.stringify(labels)}.`);
  }
  if (labels === "mask-prompt" && selection.kind === "text") {
    throw new InvalidArgumentError(
      "labels",
      labels,
      `labels "mask-prompt" needs a prompt and an answer, but the rows are plain text (column "${selection.text}").`,
      {
        hint: 'Use labels "copy", or prompt/completion columns (columns: { prompt, completion }).',
      },
    );
  }
  let template: string | undefined;
  if (selection.kind === "chat") {
    if (options.template !== undefined) {
      throw new InvalidArgumentError(
        "template",
        options.template,
        `The rows are chat messages (column "${selection.messages}"): they are formatted with a chat template, not a prompt template.`,
        {
          hint: "Pass the Jinja chat template as chatTemplate (CLI: --chat-template) instead.",
        },
      );
    }
    if (options.chatTemplate === undefined && tok.chatTemplate === undefined) {
      throw new TemplateError(`The rows are chat messages (column "${selection.messages}"), but the tokenizer ${tok.nameOrPath} has no chat template.`, {
        column: selection.messages,
        hint: "Pass one as the chatTemplate option (a Jinja string; CLI: --chat-template @template.jinja), or use a tokenizer that has one.",
      });
    }
  } else {
    template = options.template ?? (selection.kind === "pair" && selection.prompt === "question" ? DEFAULT_TEMPLATE : undefined);
    if (template !== undefined && columnNames !== undefined) {
      const unknown = parseTemplate(template).placeholders.filter((p) => !columnNames.includes(p));
      if (unknown.length > 0) {
        throw new TemplateError(`The template's placeholder {${unknown[0]}} is not a column of the dataset. Columns: ${JSON.stringify(columnNames)}.`, {
          placeholder: unknown[0]!,
          hint: "Use the names of the dataset's columns in the template, e.g. {question}.",
        });
      }
    }
  }
  const kwargs = options.chatTemplateKwargs;
  if (kwargs !== undefined && (kwargs === null || typeof kwargs !== "object" || Array.isArray(kwargs))) {
    throw new InvalidArgumentError(
      "chatTemplateKwargs",
      kwargs,
      "chatTemplateKwargs must be an object of template variables, e.g. { enable_thinking: false }.",
    );
  }
  return { selection, template, maxLength, truncationSide, labels, chatTemplate: options.chatTemplate, chatTemplateKwargs: kwargs };
}
