import { ColumnTypeError, TemplateError } from "../errors.js";
import { parseTemplate } from "./parse-template.js";

export interface FormatPromptOptions {
  /** 0-based index of the row in its dataset, named in error messages. */
  rowIndex?: number;
}

/** "null", "a number", "an object"…: what a value is, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

function columnList(row: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(row));
}

/**
 * Fills a prompt template with a row's values, as Python's `template.format(**row)` does for
 * `{column}` placeholders (`{{` and `}}` are literal braces; see {@link parseTemplate} for what is
 * refused). Every value a placeholder names must be a string: null, a number, a boolean or an
 * object is a ColumnTypeError naming the row and column (Python would print `None` or `42` into
 * the prompt without a word). A placeholder that is not a column of the row is a TemplateError
 * naming it and listing the columns.
 *
 * @example
 * formatPrompt(DEFAULT_TEMPLATE, { question: "What is Lamini?" })
 * // "### Question:\nWhat is Lamini?\n\n### Answer:"
 */
export function formatPrompt(template: string, row: Record<string, unknown>, options: FormatPromptOptions = {}): string {
  const parsed = parseTemplate(template);
  const at = options.rowIndex === undefined ? {} : { row: options.rowIndex };
  const rowText = options.rowIndex === undefined ? "the row" : `row ${options.rowIndex}`;
  let out = "";
  for (const part of parsed.parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    const name = part.placeholder;
    if (row === null || typeof row !== "object" || !Object.hasOwn(row, name)) {
      throw new TemplateError(
        `The template's placeholder {${name}} is not a column of ${rowText}. Columns: ${row && typeof row === "object" ? columnList(row) : "none"}.`,
        {
          ...at,
          placeholder: name,
          hint: "Use the names of the dataset's columns in the template, e.g. {question}.",
        },
      );
    }
    const value = row[name];
    if (typeof value !== "string") {
      throw new ColumnTypeError(
        `${rowText[0]!.toUpperCase()}${rowText.slice(1)}, column "${name}": expected text for the template's {${name}}, found ${describeValue(value)}.`,
        {
          ...at,
          column: name,
          found: value === null ? "null" : Array.isArray(value) ? "array" : typeof value,
          hint: `Fill or drop such rows first (e.g. ds.filter((r) => typeof r[${JSON.stringify(name)}] === "string")), or convert the column to text.`,
        },
      );
    }
    out += value;
  }
  return out;
}
