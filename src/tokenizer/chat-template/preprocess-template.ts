/** Opens a `{% generation %}` block in the output (a Unicode noncharacter; see renderJinjaTemplate). */
export const GENERATION_OPEN = "\uFDD0";
/** Closes a `{% generation %}` block in the output. */
export const GENERATION_CLOSE = "\uFDD1";

// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.isspace() set, which includes the \x1c-\x1f separators
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function rstripPy(s: string): string {
  let end = s.length;
  while (end > 0 && PY_WHITESPACE.test(s[end - 1]!)) end--;
  return s.slice(0, end);
}

function skipWhitespace(s: string, at: number): number {
  while (at < s.length && PY_WHITESPACE.test(s[at]!)) at++;
  return at;
}

interface TagEnd {
  /** Index just past the closing delimiter. */
  next: number;
  /** The tag's inside, without delimiters and whitespace-control signs. */
  inner: string;
  /** "-", "+" or "" before the closing delimiter. */
  sign: string;
}

/** Finds the end of a tag whose inside starts at `from`, skipping string literals and brackets (as Jinja2's lexer). */
function findTagEnd(src: string, from: number, close: "%}" | "}}" | "#}"): TagEnd | undefined {
  if (close === "#}") {
    const at = src.indexOf("#}", from);
    if (at < 0) return undefined;
    const sign = at > from && (src[at - 1] === "-" || src[at - 1] === "+") ? src[at - 1]! : "";
    return { next: at + 2, inner: src.slice(from, at - sign.length), sign };
  }
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    const c = src[i]!;
    if (depth === 0) {
      for (const sign of ["-", "+", ""]) {
        if (src.startsWith(sign + close, i)) return { next: i + sign.length + 2, inner: src.slice(from, i), sign };
      }
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1;
      i = j;
    } else if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
  }
  return undefined;
}

/**
 * Rewrites a chat template so that @huggingface/jinja's lexer (given no options) produces the
 * tokens Jinja2's lexer produces with transformers' settings: newlines normalized and one trailing
 * newline dropped, `trim_blocks` and `lstrip_blocks` applied with Jinja2's exact rules (`{%+`,
 * `+%}`, `-` signs, comments, whitespace as Python's `str.rstrip` sees it), `{% raw %}` blocks
 * turned into string output, and `{% generation %}` / `{% endgeneration %}` into marks in the
 * output. Tags are copied with plain delimiters: all whitespace control is done here.
 */
export function preprocessTemplate(source: string): { source: string; hasGeneration: boolean } {
  const lines = source.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  const src = lines.join("\n");

  const out: string[] = [];
  let text = "";
  let lineStarting = true;
  let pos = 0;
  let hasGeneration = false;
  const flushText = () => {
    if (text !== "") out.push(text);
    text = "";
  };

  while (pos < src.length) {
    const open = src.slice(pos).search(/\{[%{#]/);
    if (open < 0) {
      text += src.slice(pos);
      break;
    }
    const at = pos + open;
    let chunk = src.slice(pos, at);
    const kind = src[at + 1] === "%" ? "block" : src[at + 1] === "{" ? "variable" : "comment";
    const openSign = src[at + 2] === "-" || src[at + 2] === "+" ? src[at + 2]! : "";
    if (openSign === "-") chunk = rstripPy(chunk);
    else if (openSign !== "+" && kind !== "variable") {
      // lstrip_blocks: whitespace between the line's start and a block or comment tag goes.
      const lineStart = chunk.lastIndexOf("\n") + 1;
      if ((lineStart > 0 || lineStarting) && chunk.length > lineStart && [...chunk.slice(lineStart)].every((ch) => PY_WHITESPACE.test(ch))) {
        chunk = chunk.slice(0, lineStart);
      }
    }
    text += chunk;
    const innerStart = at + 2 + openSign.length;
    const close = kind === "block" ? "%}" : kind === "variable" ? "}}" : "#}";
    const end = findTagEnd(src, innerStart, close);
    if (!end) throw new SyntaxError(`A ${kind === "block" ? "{%" : kind === "variable" ? "{{" : "{#"} tag is never closed (at character ${at}).`);
    let next = end.next;
    const inner = end.inner.trim();
    if (kind === "block" && /^raw$/.test(inner)) {
      const endRaw = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
      endRaw.lastIndex = next;
      const m = endRaw.exec(src);
      if (!m) throw new SyntaxError("{% raw %} is never closed by {% endraw %}.");
      let body = src.slice(next, m.index);
      if (end.sign === "-") body = body.slice(skipWhitespace(body, 0));
      else if (end.sign !== "+" && body.startsWith("\n")) body = body.slice(1);
      if (m[1] === "-") body = rstripPy(body);
      flushText();
      if (body !== "") out.push(`{{ "${body.replace(/[\\"]/g, (c) => `\\${c}`)}" }}`);
      next = m.index + m[0].length;
      if (m[2] === "-") next = skipWhitespace(src, next);
      else if (m[2] !== "+" && src[next] === "\n") next++;
      lineStarting = src[next - 1] === "\n";
      pos = next;
      continue;
    }
    flushText();
    if (kind === "block" && (inner === "generation" || inner === "endgeneration")) {
      hasGeneration = true;
      out.push(`{{ "\\u${(inner === "generation" ? GENERATION_OPEN : GENERATION_CLOSE).charCodeAt(0).toString(16)}" }}`);
    } else if (kind === "block") out.push(`{% ${end.inner} %}`);
    else if (kind === "variable") out.push(`{{ ${end.inner} }}`);
    if (end.sign === "-") next = skipWhitespace(src, next);
    else if (kind !== "variable" && end.sign !== "+" && src[next] === "\n") next++;
    lineStarting = src[next - 1] === "\n";
    pos = next;
  }
  flushText();
  // A comment last: the lexer then has no trailing newline of its own to drop.
  return { source: `${out.join("")}{##}`, hasGeneration };
}
