import { pyStr } from "../dataset/util/py-repr.js";
import { InvalidArgumentError } from "../errors.js";
import { dictEntries, isDictLike, isListLike, pyRepr } from "./py-repr.js";

export interface PformatOptions {
  /** Python's `width`: the line length to fit in. Default 80. */
  width?: number;
  /** Python's `sort_dicts`: print dict keys sorted. Default true, as Python's pprint. */
  sortDicts?: boolean;
}

/** Length in code points, as Python's len(str). */
const cpLen = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Python's str.splitlines(keepends=True). */
function splitLinesKeepEnds(s: string): string[] {
  const out: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.splitlines() boundaries, which include \x1c-\x1e
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let last = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(last, m.index + m[0].length));
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/**
 * Python's `pprint.pformat(value)` (indent 1, compact false): the repr, wrapped to `width` the way
 * pprint wraps dicts, lists and long strings (a string is cut after whitespace into adjacent
 * literals). A port of CPython's PrettyPrinter for the values JSON data holds.
 */
export function pformat(value: unknown, options: PformatOptions = {}): string {
  const width = options.width ?? 80;
  if (!Number.isInteger(width) || width < 1) throw new InvalidArgumentError("width", width, `width must be a positive integer, got ${String(width)}.`);
  const sortDicts = options.sortDicts ?? true;
  const repr = (v: unknown) => pyRepr(v, { sortDicts });
  let out = "";
  const write = (s: string) => {
    out += s;
  };

  const format = (obj: unknown, indent: number, allowance: number, level: number): void => {
    const rep = repr(obj);
    if (cpLen(rep) > width - indent - allowance) {
      if (typeof obj === "string") {
        pprintStr(obj, indent, allowance, level + 1);
        return;
      }
      if (isListLike(obj)) {
        pprintList(obj, indent, allowance, level + 1);
        return;
      }
      if (isDictLike(obj)) {
        pprintDict(obj, indent, allowance, level + 1);
        return;
      }
    }
    write(rep);
  };

  const pprintDict = (obj: Map<unknown, unknown> | Record<string, unknown>, indent: number, allowance: number, level: number) => {
    write("{");
    const items = dictEntries(obj, sortDicts);
    if (items.length) {
      // _format_dict_items with allowance + 1 for the closing brace
      const inner = indent + 1;
      const delimnl = `,\n${" ".repeat(inner)}`;
      items.forEach(([key, ent], i) => {
        const last = i === items.length - 1;
        const krep = repr(key);
        write(krep);
        write(": ");
        format(ent, inner + cpLen(krep) + 2, last ? allowance + 1 : 1, level);
        if (!last) write(delimnl);
      });
    }
    write("}");
  };

  const pprintList = (obj: ArrayLike<unknown>, indent: number, allowance: number, level: number) => {
    write("[");
    const items = Array.from(obj);
    const inner = indent + 1;
    const delimnl = `,\n${" ".repeat(inner)}`;
    items.forEach((ent, i) => {
      const last = i === items.length - 1;
      if (i > 0) write(delimnl);
      format(ent, inner, last ? allowance + 1 : 1, level);
    });
    write("]");
  };

  const pprintStr = (obj: string, indent: number, allowance: number, level: number) => {
    if (obj.length === 0) return write(pyStr(obj));
    const chunks: string[] = [];
    const lines = splitLinesKeepEnds(obj);
    if (level === 1) {
      indent += 1;
      allowance += 1;
    }
    let maxWidth1 = width - indent;
    const maxWidth = maxWidth1;
    let rep = "";
    lines.forEach((line, i) => {
      rep = pyStr(line);
      if (i === lines.length - 1) maxWidth1 -= allowance;
      if (cpLen(rep) <= maxWidth1) {
        chunks.push(rep);
        return;
      }
      // Alternating runs of non-space then space, as re.findall(r'\S*\s*', line) minus the final empty match.
      const parts = line.match(/\S*\s*/gu)!.filter((p, j, all) => !(p === "" && j === all.length - 1));
      let maxWidth2 = maxWidth;
      let current = "";
      parts.forEach((part, j) => {
        const candidate = current + part;
        if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allowance;
        if (cpLen(pyStr(candidate)) > maxWidth2) {
          if (current) chunks.push(pyStr(current));
          current = part;
        } else current = candidate;
      });
      if (current) chunks.push(pyStr(current));
    });
    if (chunks.length === 1) return write(rep);
    if (level === 1) write("(");
    chunks.forEach((c, i) => {
      if (i > 0) write(`\n${" ".repeat(indent)}`);
      write(c);
    });
    if (level === 1) write(")");
  };

  format(value, 0, 0, 0);
  return out;
}
