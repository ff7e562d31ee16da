import { InvalidArgumentError, MissingColumnError } from "../errors.js";

/**
 * Which columns hold an example, and how they are read:
 * - "pair": a prompt column and a completion column (question/answer…); the text is the formatted
 *   prompt followed directly by the completion;
 * - "text": one column holding the whole text;
 * - "chat": one column of messages (`[{ role, content }]`), rendered with a chat template.
 */
export type ColumnSelection = { kind: "pair"; prompt: string; completion: string } | { kind: "text"; text: string } | { kind: "chat"; messages: string };

/** Columns chosen by hand instead of detected: `{ prompt, completion }`, `{ text }` or `{ messages }`. */
export type ColumnOverride = { prompt: string; completion: string } | { text: string } | { messages: string };

/** The prompt/completion pairs recognised, in order of preference (the original's, plus instruction/response). */
export const COLUMN_PAIRS: readonly (readonly [string, string])[] = [
  ["question", "answer"],
  ["instruction", "response"],
  ["input", "output"],
];

function toSelection(override: ColumnOverride): ColumnSelection {
  if (override === null || typeof override !== "object") {
    throw new InvalidArgumentError("columns", override, "columns must be { prompt, completion }, { text } or { messages }.");
  }
  const o = override as Record<string, unknown>;
  const isName = (v: unknown) => typeof v === "string" && v !== "";
  if (isName(o.prompt) && isName(o.completion)) {
    if (o.prompt === o.completion)
      throw new InvalidArgumentError("columns", override, `columns: the prompt and the completion must be two columns, got "${String(o.prompt)}" for both.`);
    return { kind: "pair", prompt: o.prompt as string, completion: o.completion as string };
  }
  if (isName(o.text)) return { kind: "text", text: o.text as string };
  if (isName(o.messages)) return { kind: "chat", messages: o.messages as string };
  throw new InvalidArgumentError(
    "columns",
    override,
    `columns must be { prompt, completion }, { text } or { messages } with column names, got ${JSON.stringify(override)}.`,
  );
}

/**
 * Picks the columns an instruction example is made of, as the original notebook's
 * `tokenize_function` does: question/answer, else instruction/response, else input/output, else
 * text; else chat rows in a `messages` column. With `override` the given columns are used
 * (and checked). A dataset with none of these is a MissingColumnError listing its columns.
 */
export function detectColumns(columnNames: readonly string[], override?: ColumnOverride): ColumnSelection {
  const have = new Set(columnNames);
  if (override !== undefined) {
    const selection = toSelection(override);
    const wanted = selection.kind === "pair" ? [selection.prompt, selection.completion] : [selection.kind === "text" ? selection.text : selection.messages];
    const missing = wanted.filter((c) => !have.has(c));
    if (missing.length > 0) {
      throw new MissingColumnError(
        `The columns option names ${missing.map((c) => `"${c}"`).join(" and ")}, which the dataset does not have. Its columns: ${JSON.stringify(columnNames)}.`,
        {
          column: missing[0]!,
          columns: columnNames,
        },
      );
    }
    return selection;
  }
  for (const [prompt, completion] of COLUMN_PAIRS) if (have.has(prompt) && have.has(completion)) return { kind: "pair", prompt, completion };
  if (have.has("text")) return { kind: "text", text: "text" };
  if (have.has("messages")) return { kind: "chat", messages: "messages" };
  throw new MissingColumnError(
    `No instruction columns found. The dataset's columns are ${JSON.stringify(columnNames)}; expected question/answer, instruction/response, input/output, text, or messages (chat).`,
    {
      columns: columnNames,
      hint: 'Rename the columns, or name them: { columns: { prompt: "q", completion: "a" } } (CLI: --prompt-column q --completion-column a, or --text-column / --messages-column).',
    },
  );
}
