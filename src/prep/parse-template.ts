import { TemplateError } from "../errors.js";

/** A template split into literal text and `{column}` placeholders, in order. */
export type TemplatePart = string | { placeholder: string };

/** A parsed prompt template. */
export interface ParsedTemplate {
  /** The template as given. */
  template: string;
  /** Literal text and placeholders, in order. */
  parts: TemplatePart[];
  /** The distinct placeholders, in order of first appearance. */
  placeholders: string[];
}

const cache = new Map<string, ParsedTemplate>();
const CACHE_LIMIT = 64;

function where(template: string, at: number): string {
  const from = Math.max(0, at - 20);
  const excerpt = template.slice(from, at + 20);
  return `at character ${at} (${JSON.stringify((from > 0 ? "…" : "") + excerpt + (at + 20 < template.length ? "…" : ""))})`;
}

/**
 * Parses a prompt template with Python `str.format`'s syntax for the simple case: `{column}`
 * placeholders, `{{` and `}}` for literal braces. What `str.format` would also accept but a
 * column-based template cannot mean — positional fields (`{}`, `{0}`), attribute or index access
 * (`{a.b}`, `{a[0]}`), conversions (`{a!r}`) and format specs (`{a:>10}`) — is a TemplateError,
 * as are the syntax errors Python raises (a single `}`, an unclosed `{`). Templates are only ever
 * parsed as text: nothing in them is evaluated.
 */
export function parseTemplate(template: string): ParsedTemplate {
  if (typeof template !== "string") {
    throw new TemplateError(`A prompt template must be a string, got ${template === null ? "null" : typeof template}.`);
  }
  const hit = cache.get(template);
  if (hit) return hit;

  const parts: TemplatePart[] = [];
  const placeholders: string[] = [];
  let text = "";
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c === "}") {
      if (template[i + 1] === "}") {
        text += "}";
        i += 2;
        continue;
      }
      throw new TemplateError(`Single '}' encountered in the template ${where(template, i)}.`, {
        hint: "Write a literal brace as '}}' (and '{' as '{{'), as in Python's str.format.",
      });
    }
    if (c !== "{") {
      text += c;
      i++;
      continue;
    }
    if (template[i + 1] === "{") {
      text += "{";
      i += 2;
      continue;
    }
    const close = template.indexOf("}", i + 1);
    const nested = template.indexOf("{", i + 1);
    if (close === -1 || (nested !== -1 && nested < close)) {
      const problem = close === -1 ? "a placeholder is not closed" : "a '{' inside a placeholder";
      throw new TemplateError(`Single '{' encountered in the template ${where(template, i)}: ${problem}.`, {
        hint: "Placeholders look like {question}; write a literal brace as '{{'.",
      });
    }
    const field = template.slice(i + 1, close);
    const bad = /[.[\]!:]/.exec(field);
    if (field === "" || /^\d+$/.test(field)) {
      throw new TemplateError(`The template has a positional placeholder {${field}} ${where(template, i)}: placeholders must name a column, e.g. {question}.`, {
        placeholder: field,
      });
    }
    if (bad) {
      const what = bad[0] === "!" ? "a conversion (!r, !s)" : bad[0] === ":" ? "a format spec (:...)" : "attribute or index access";
      throw new TemplateError(
        `The placeholder {${field}} ${where(template, i)} uses ${what}, which prompt templates do not support: a placeholder is just a column name.`,
        {
          placeholder: field,
          hint: "Use {column} and prepare the value in the dataset first (e.g. with ds.map).",
        },
      );
    }
    if (text) parts.push(text);
    text = "";
    parts.push({ placeholder: field });
    if (!placeholders.includes(field)) placeholders.push(field);
    i = close + 1;
  }
  if (text) parts.push(text);

  const parsed: ParsedTemplate = { template, parts, placeholders };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(template, parsed);
  return parsed;
}
