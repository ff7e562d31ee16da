// The methods templates call on values (`content.strip('\n')`, `messages[0].get('x')`), as Python's
// str, dict and list have them, under Jinja2's ImmutableSandboxedEnvironment (no mutation).
import {
  codePoints,
  isDict,
  items,
  PyCallable,
  PyTuple,
  type PyValue,
  pyCompare,
  pyEq,
  pySplitlines,
  pyStr,
  pyStrip,
  RenderError,
  typeName,
  Undefined,
} from "./py-values.js";

type Args = PyValue[];
type Kwargs = Map<string, PyValue>;

function arg(args: Args, kwargs: Kwargs, i: number, name: string, dflt: PyValue): PyValue {
  if (args.length > i) return args[i]!;
  return kwargs.has(name) ? kwargs.get(name)! : dflt;
}

function str(v: PyValue, what: string): string {
  if (typeof v !== "string") throw new RenderError("TypeError", `${what} must be str, not ${typeName(v)}`);
  return v;
}

function optStr(v: PyValue, what: string): string | null {
  return v === null || v instanceof Undefined ? null : str(v, what);
}

function int(v: PyValue, what: string): number {
  if (typeof v === "boolean") return Number(v);
  if (typeof v !== "number") throw new RenderError("TypeError", `${what} must be an integer, not ${typeName(v)}`);
  return v;
}

/** Python's slice-index normalisation for start/end arguments. */
function bounds(len: number, start: PyValue, end: PyValue): [number, number] {
  let s = start === null || start instanceof Undefined ? 0 : int(start, "start");
  let e = end === null || end instanceof Undefined ? len : int(end, "end");
  if (s < 0) s = Math.max(0, len + s);
  if (e < 0) e = Math.max(0, len + e);
  return [Math.min(s, len), Math.min(e, len)];
}

/** Python's str.split / rsplit. */
export function pySplit(s: string, sep: string | null, maxsplit: number, fromRight = false): string[] {
  if (sep === "") throw new RenderError("ValueError", "empty separator");
  if (sep === null) {
    const words: string[] = [];
    const cps = codePoints(s);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.isspace() set, which includes the \x1c-\x1f separators
    const isWs = (c: string) => /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c);
    if (!fromRight) {
      let i = 0;
      while (i < cps.length) {
        while (i < cps.length && isWs(cps[i]!)) i++;
        if (i >= cps.length) break;
        if (maxsplit >= 0 && words.length === maxsplit) {
          words.push(cps.slice(i).join(""));
          break;
        }
        let j = i;
        while (j < cps.length && !isWs(cps[j]!)) j++;
        words.push(cps.slice(i, j).join(""));
        i = j;
      }
      return words;
    }
    let i = cps.length;
    while (i > 0) {
      while (i > 0 && isWs(cps[i - 1]!)) i--;
      if (i <= 0) break;
      if (maxsplit >= 0 && words.length === maxsplit) {
        words.push(cps.slice(0, i).join(""));
        break;
      }
      let j = i;
      while (j > 0 && !isWs(cps[j - 1]!)) j--;
      words.push(cps.slice(j, i).join(""));
      i = j;
    }
    return words.reverse();
  }
  const parts = s.split(sep);
  if (maxsplit < 0 || parts.length - 1 <= maxsplit) return parts;
  if (!fromRight) return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sep)];
  return [parts.slice(0, parts.length - maxsplit).join(sep), ...parts.slice(parts.length - maxsplit)];
}

/** Python's str.replace. */
export function pyReplace(s: string, old: string, rep: string, count: number): string {
  if (count === 0) return s;
  if (old === "") {
    const cps = codePoints(s);
    const out: string[] = [];
    let n = 0;
    for (let i = 0; i <= cps.length; i++) {
      if (count < 0 || n < count) {
        out.push(rep);
        n++;
      }
      if (i < cps.length) out.push(cps[i]!);
    }
    return out.join("");
  }
  if (count < 0) return s.split(old).join(rep);
  const parts = s.split(old);
  return parts.slice(0, count + 1).join(rep) + (parts.length > count + 1 ? old + parts.slice(count + 1).join(old) : "");
}

const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;

/** Python's str.title. */
function pyTitle(s: string): string {
  let prevCased = false;
  let out = "";
  for (const ch of s) {
    out += prevCased ? ch.toLowerCase() : ch.toUpperCase();
    prevCased = CASED.test(ch);
  }
  return out;
}

/** Python's str.capitalize. */
export function pyCapitalize(s: string): string {
  const cps = codePoints(s);
  if (cps.length === 0) return s;
  return cps[0]!.toUpperCase() + cps.slice(1).join("").toLowerCase();
}

function find(s: string, sub: string, start: PyValue, end: PyValue, right: boolean): number {
  const cps = codePoints(s);
  const [b, e] = bounds(cps.length, start, end);
  const subCps = codePoints(sub);
  if (!right) {
    for (let i = b; i + subCps.length <= e; i++) if (subCps.every((c, k) => cps[i + k] === c)) return i;
  } else {
    for (let i = e - subCps.length; i >= b; i--) if (subCps.every((c, k) => cps[i + k] === c)) return i;
  }
  return -1;
}

function count(s: string, sub: string, start: PyValue, end: PyValue): number {
  const cps = codePoints(s);
  const [b, e] = bounds(cps.length, start, end);
  const region = cps.slice(b, e).join("");
  if (b > cps.length) return 0;
  if (sub === "") return codePoints(region).length + 1;
  return region.split(sub).length - 1;
}

function affix(s: string, args: Args, kwargs: Kwargs, name: "startswith" | "endswith"): boolean {
  const what = arg(args, kwargs, 0, "prefix", new Undefined(""));
  const cps = codePoints(s);
  const [b, e] = bounds(cps.length, arg(args, kwargs, 1, "start", null), arg(args, kwargs, 2, "end", null));
  const region = cps.slice(b, e).join("");
  const options = what instanceof PyTuple ? what.items : [what];
  if (b > cps.length) return false;
  return options.some((o) => {
    if (typeof o !== "string") throw new RenderError("TypeError", `${name} first arg must be str or a tuple of str, not ${typeName(o)}`);
    return name === "startswith" ? region.startsWith(o) : region.endsWith(o);
  });
}

function pad(s: string, width: number, fill: string, how: "left" | "right" | "center"): string {
  const len = codePoints(s).length;
  if (width <= len) return s;
  const total = width - len;
  if (how === "left") return s + fill.repeat(total);
  if (how === "right") return fill.repeat(total) + s;
  const left = Math.floor(total / 2) + (total & width & 1);
  return fill.repeat(left) + s + fill.repeat(total - left);
}

const STRING_METHODS: Record<string, (s: string, args: Args, kwargs: Kwargs) => PyValue> = {
  strip: (s, a, k) => pyStrip(s, optStr(arg(a, k, 0, "chars", null), "strip arg"), "both"),
  lstrip: (s, a, k) => pyStrip(s, optStr(arg(a, k, 0, "chars", null), "lstrip arg"), "left"),
  rstrip: (s, a, k) => pyStrip(s, optStr(arg(a, k, 0, "chars", null), "rstrip arg"), "right"),
  split: (s, a, k) => pySplit(s, optStr(arg(a, k, 0, "sep", null), "sep"), int(arg(a, k, 1, "maxsplit", -1), "maxsplit")),
  rsplit: (s, a, k) => pySplit(s, optStr(arg(a, k, 0, "sep", null), "sep"), int(arg(a, k, 1, "maxsplit", -1), "maxsplit"), true),
  splitlines: (s, a, k) => pySplitlines(s, Boolean(arg(a, k, 0, "keepends", false))),
  replace: (s, a, k) =>
    pyReplace(
      s,
      str(arg(a, k, 0, "old", null), "replace() argument 1"),
      str(arg(a, k, 1, "new", null), "replace() argument 2"),
      int(arg(a, k, 2, "count", -1), "count"),
    ),
  startswith: (s, a, k) => affix(s, a, k, "startswith"),
  endswith: (s, a, k) => affix(s, a, k, "endswith"),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  title: (s) => pyTitle(s),
  capitalize: (s) => pyCapitalize(s),
  swapcase: (s) => [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(""),
  casefold: (s) => s.toLowerCase(),
  find: (s, a, k) => find(s, str(arg(a, k, 0, "sub", null), "find arg"), arg(a, k, 1, "start", null), arg(a, k, 2, "end", null), false),
  rfind: (s, a, k) => find(s, str(arg(a, k, 0, "sub", null), "rfind arg"), arg(a, k, 1, "start", null), arg(a, k, 2, "end", null), true),
  index: (s, a, k) => {
    const i = find(s, str(arg(a, k, 0, "sub", null), "index arg"), arg(a, k, 1, "start", null), arg(a, k, 2, "end", null), false);
    if (i < 0) throw new RenderError("ValueError", "substring not found");
    return i;
  },
  rindex: (s, a, k) => {
    const i = find(s, str(arg(a, k, 0, "sub", null), "rindex arg"), arg(a, k, 1, "start", null), arg(a, k, 2, "end", null), true);
    if (i < 0) throw new RenderError("ValueError", "substring not found");
    return i;
  },
  count: (s, a, k) => count(s, str(arg(a, k, 0, "sub", null), "count arg"), arg(a, k, 1, "start", null), arg(a, k, 2, "end", null)),
  join: (s, a, k) => {
    const it = arg(a, k, 0, "iterable", []);
    const list = typeof it === "string" ? codePoints(it) : Array.isArray(it) || it instanceof PyTuple ? items(it) : isDict(it) ? [...it.keys()] : null;
    if (list === null) throw new RenderError("TypeError", "can only join an iterable");
    return list
      .map((x, i) => {
        if (typeof x !== "string") throw new RenderError("TypeError", `sequence item ${i}: expected str instance, ${typeName(x)} found`);
        return x;
      })
      .join(s);
  },
  isdigit: (s) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isdecimal: (s) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isnumeric: (s) => s.length > 0 && /^\p{N}+$/u.test(s),
  isalpha: (s) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.isspace() set, which includes the \x1c-\x1f separators
  isspace: (s) => s.length > 0 && codePoints(s).every((c) => /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(c)),
  islower: (s) => CASED.test(s) && s === s.toLowerCase(),
  isupper: (s) => CASED.test(s) && s === s.toUpperCase(),
  istitle: (s) => CASED.test(s) && pyTitle(s) === s,
  ljust: (s, a, k) => pad(s, int(arg(a, k, 0, "width", 0), "width"), str(arg(a, k, 1, "fillchar", " "), "fillchar"), "left"),
  rjust: (s, a, k) => pad(s, int(arg(a, k, 0, "width", 0), "width"), str(arg(a, k, 1, "fillchar", " "), "fillchar"), "right"),
  center: (s, a, k) => pad(s, int(arg(a, k, 0, "width", 0), "width"), str(arg(a, k, 1, "fillchar", " "), "fillchar"), "center"),
  zfill: (s, a, k) => {
    const width = int(arg(a, k, 0, "width", 0), "width");
    const sign = s.startsWith("-") || s.startsWith("+") ? s[0]! : "";
    const body = s.slice(sign.length);
    return sign + pad(body, width - sign.length, "0", "right");
  },
  partition: (s, a, k) => {
    const sep = str(arg(a, k, 0, "sep", null), "sep");
    const at = s.indexOf(sep);
    return at < 0 ? new PyTuple([s, "", ""]) : new PyTuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
  },
  rpartition: (s, a, k) => {
    const sep = str(arg(a, k, 0, "sep", null), "sep");
    const at = s.lastIndexOf(sep);
    return at < 0 ? new PyTuple(["", "", s]) : new PyTuple([s.slice(0, at), sep, s.slice(at + sep.length)]);
  },
  removeprefix: (s, a, k) => {
    const p = str(arg(a, k, 0, "prefix", null), "prefix");
    return s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, a, k) => {
    const p = str(arg(a, k, 0, "suffix", null), "suffix");
    return p !== "" && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  },
};

const DICT_METHODS: Record<string, (d: Map<string, PyValue>, args: Args, kwargs: Kwargs) => PyValue> = {
  get: (d, a, k) => {
    const key = arg(a, k, 0, "key", null);
    return typeof key === "string" && d.has(key) ? d.get(key)! : arg(a, k, 1, "default", null);
  },
  items: (d) => [...d].map(([key, v]) => new PyTuple([key, v])),
  keys: (d) => [...d.keys()],
  values: (d) => [...d.values()],
  copy: (d) => new Map(d),
};

const LIST_METHODS: Record<string, (l: PyValue[], args: Args, kwargs: Kwargs) => PyValue> = {
  index: (l, a) => {
    const i = l.findIndex((x) => pyEq(x, a[0] ?? null));
    if (i < 0) throw new RenderError("ValueError", `${pyStr(a[0] ?? null)} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((x) => pyEq(x, a[0] ?? null)).length,
  copy: (l) => [...l],
};

const UNSAFE_DICT = new Set(["clear", "pop", "popitem", "setdefault", "update"]);
const UNSAFE_LIST = new Set(["append", "clear", "extend", "insert", "pop", "remove", "reverse", "sort"]);

function unsafe(name: string, type: string): PyCallable {
  return new PyCallable(name, () => {
    throw new RenderError("SecurityError", `access to attribute '${name}' of '${type}' object is unsafe.`);
  });
}

/** The method `name` of `v` (a bound callable), or undefined when Python's value has no such attribute. */
export function methodOf(v: PyValue, name: string): PyCallable | undefined {
  if (typeof v === "string") {
    const m = STRING_METHODS[name];
    return m && Object.hasOwn(STRING_METHODS, name) ? new PyCallable(name, (a, k) => m(v, a, k)) : undefined;
  }
  if (isDict(v)) {
    if (UNSAFE_DICT.has(name)) return unsafe(name, "dict");
    const m = DICT_METHODS[name];
    return m && Object.hasOwn(DICT_METHODS, name) ? new PyCallable(name, (a, k) => m(v, a, k)) : undefined;
  }
  if (Array.isArray(v)) {
    if (UNSAFE_LIST.has(name)) return unsafe(name, "list");
    const m = LIST_METHODS[name];
    return m && Object.hasOwn(LIST_METHODS, name) ? new PyCallable(name, (a, k) => m(v, a, k)) : undefined;
  }
  return undefined;
}

/** Sorting helper shared by filters: Python's sorted() with an optional key. */
export function pySorted(list: PyValue[], key: (v: PyValue) => PyValue, reverse: boolean): PyValue[] {
  const keyed = list.map((v, i) => ({ v, k: key(v), i }));
  keyed.sort((a, b) => {
    const c = reverse ? pyCompare(b.k, a.k) : pyCompare(a.k, b.k);
    return c !== 0 ? c : a.i - b.i;
  });
  return keyed.map((x) => x.v);
}
