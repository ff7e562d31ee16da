// Jinja2's filters, tests and globals as a chat template sees them under transformers' environment
// (ImmutableSandboxedEnvironment; tojson, raise_exception and strftime_now as transformers defines them).
import { methodOf, pyCapitalize, pyReplace, pySorted, pySplit } from "./py-methods.js";
import {
  codePoints,
  floatRepr,
  isDict,
  isNumber,
  isSeq,
  items,
  LoopContext,
  Namespace,
  num,
  PyCallable,
  PyFloat,
  PyTuple,
  type PyValue,
  pyCompare,
  pyEq,
  pyIter,
  pyLen,
  pyRepr,
  pySplitlines,
  pyStr,
  pyStrip,
  RenderError,
  truthy,
  typeName,
  Undefined,
} from "./py-values.js";

/** Jinja2's sandbox limit on range() (jinja2.sandbox.MAX_RANGE). */
const MAX_RANGE = 100_000;

type Args = PyValue[];
type Kwargs = Map<string, PyValue>;

/** What filters need from the renderer: charging work to the budget. */
export interface BuiltinContext {
  charge(units: number): void;
}

function arg(args: Args, kwargs: Kwargs, i: number, name: string, dflt: PyValue): PyValue {
  if (args.length > i) return args[i]!;
  return kwargs.has(name) ? kwargs.get(name)! : dflt;
}

// ---------------------------------------------------------------- attribute access

/** Jinja2's `obj.name`: a Python attribute (a method, a namespace's value) first, else `obj[name]`; Undefined when neither. */
export function getAttr(obj: PyValue, name: string, what = name): PyValue {
  if (obj instanceof Undefined) throw new RenderError("UndefinedError", `${obj.hint} is undefined`);
  if (obj instanceof LoopContext) {
    const v = obj.attr(name);
    return v === undefined ? new Undefined(`'LoopContext' object has no attribute '${name}'`) : v;
  }
  if (obj instanceof Namespace) return obj.attrs.has(name) ? obj.attrs.get(name)! : new Undefined(`'Namespace' object has no attribute '${name}'`);
  const method = methodOf(obj, name);
  if (method) return method;
  if (isDict(obj) && obj.has(name)) return obj.get(name)!;
  return new Undefined(`'${typeName(obj)} object' has no attribute '${what}'`);
}

/** Jinja2's `obj[key]`: the item first, else (for a str key) the attribute; Undefined when neither. */
export function getItem(obj: PyValue, key: PyValue): PyValue {
  if (obj instanceof Undefined) throw new RenderError("UndefinedError", `${obj.hint} is undefined`);
  if (isDict(obj)) {
    if (typeof key === "string" && obj.has(key)) return obj.get(key)!;
  } else if (isSeq(obj) || typeof obj === "string") {
    if (typeof key === "number" || typeof key === "boolean") {
      const list = typeof obj === "string" ? codePoints(obj) : items(obj);
      const i = Number(key) < 0 ? list.length + Number(key) : Number(key);
      if (i >= 0 && i < list.length) return list[i]!;
      return new Undefined(`${typeName(obj)} index ${Number(key)} out of range`);
    }
  }
  if (typeof key === "string") return getAttr(obj, key);
  return new Undefined(`'${typeName(obj)} object' has no item ${pyRepr(key)}`);
}

/** Jinja2's make_attrgetter: "a.b.0" looked up item by item (integers as indexes). */
function attrGetter(attribute: PyValue): (v: PyValue) => PyValue {
  if (attribute === null || attribute instanceof Undefined) return (v) => v;
  const parts = typeof attribute === "string" ? attribute.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attribute];
  return (v) => {
    let cur = v;
    for (const p of parts) cur = cur instanceof Undefined ? cur : getItem(cur, p);
    return cur;
  };
}

// ---------------------------------------------------------------- tojson

function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += s[i];
  }
  return `${out}"`;
}

interface JsonOptions {
  ensureAscii: boolean;
  indent: string | null;
  itemSep: string;
  keySep: string;
  sortKeys: boolean;
}

function dumps(v: PyValue, o: JsonOptions, level: number): string {
  if (v === null) return "null";
  if (v === true) return "true";
  if (v === false) return "false";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return Number.isNaN(v.v) ? "NaN" : !Number.isFinite(v.v) ? (v.v > 0 ? "Infinity" : "-Infinity") : floatRepr(v.v);
  if (typeof v === "string") return jsonString(v, o.ensureAscii);
  const open = (l: number) => (o.indent === null ? "" : `\n${o.indent.repeat(l)}`);
  if (isSeq(v)) {
    const list = items(v);
    if (list.length === 0) return "[]";
    return `[${open(level + 1)}${list.map((x) => dumps(x, o, level + 1)).join(o.itemSep + open(level + 1))}${open(level)}]`;
  }
  if (isDict(v)) {
    if (v.size === 0) return "{}";
    let entries = [...v];
    if (o.sortKeys)
      entries = pySorted(
        entries.map(([k]) => k),
        (k) => k,
        false,
      ).map((k) => [k as string, v.get(k as string)!]);
    return `{${open(level + 1)}${entries.map(([k, x]) => jsonString(k, o.ensureAscii) + o.keySep + dumps(x, o, level + 1)).join(o.itemSep + open(level + 1))}${open(level)}}`;
  }
  throw new RenderError("TypeError", `Object of type ${typeName(v)} is not JSON serializable`);
}

/** transformers' tojson filter: `json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)`. */
function pyJsonDumps(v: PyValue, args: Args = [], kwargs: Kwargs = new Map()): string {
  const ensureAscii = truthy(arg(args, kwargs, 0, "ensure_ascii", false));
  const indentArg = arg(args, kwargs, 1, "indent", null);
  const separators = arg(args, kwargs, 2, "separators", null);
  const sortKeys = truthy(arg(args, kwargs, 3, "sort_keys", false));
  const indent =
    indentArg === null || indentArg instanceof Undefined ? null : typeof indentArg === "string" ? indentArg : " ".repeat(Math.max(0, num(indentArg as number)));
  let itemSep = indent === null ? ", " : ",";
  let keySep = ": ";
  if (separators !== null && !(separators instanceof Undefined)) {
    const seps = isSeq(separators) ? items(separators) : [];
    if (seps.length !== 2 || typeof seps[0] !== "string" || typeof seps[1] !== "string")
      throw new RenderError("ValueError", "separators must be a (item_separator, key_separator) pair of strings");
    [itemSep, keySep] = seps as [string, string];
  }
  return dumps(v, { ensureAscii, indent, itemSep, keySep, sortKeys }, 0);
}

// ---------------------------------------------------------------- numbers

function parsePyFloat(s: string): number | undefined {
  const t = pyStrip(s, null, "both").replace(/(\d)_(?=\d)/g, "$1");
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return undefined;
  return Number(t);
}

function toInt(v: PyValue, dflt: PyValue, base: number): PyValue {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "number") return v;
  if (v instanceof PyFloat) return Number.isFinite(v.v) ? Math.trunc(v.v) : dflt;
  if (typeof v === "string") {
    const t = pyStrip(v, null, "both").replace(/(\w)_(?=\w)/g, "$1");
    const digits = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, base);
    const m = new RegExp(`^[+-]?[${digits}]+$`, "i").test(t);
    if (m) return (t.startsWith("-") ? -1 : 1) * parseInt(t.replace(/^[+-]/, ""), base);
    const f = parsePyFloat(v);
    return f !== undefined && Number.isFinite(f) ? Math.trunc(f) : dflt;
  }
  return dflt;
}

function toFloat(v: PyValue, dflt: PyValue): PyValue {
  if (isNumber(v)) return new PyFloat(num(v));
  if (typeof v === "string") {
    const f = parsePyFloat(v);
    return f === undefined ? dflt : new PyFloat(f);
  }
  return dflt;
}

function arith(a: PyValue, b: PyValue): PyValue {
  if (!isNumber(a) || !isNumber(b)) throw new RenderError("TypeError", `unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
  const r = num(a) + num(b);
  return a instanceof PyFloat || b instanceof PyFloat ? new PyFloat(r) : r;
}

// ---------------------------------------------------------------- strings

function htmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&#34;").replace(/'/g, "&#39;");
}

/** Python's `format % args` for the conversions templates use (%s %r %d %i %f %%). */
function percentFormat(fmt: string, values: PyValue[] | Map<string, PyValue>): string {
  let i = 0;
  return fmt.replace(
    /%(\(\w+\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([srdifx%])/g,
    (_m, key: string | undefined, _flags: string, _w, prec: string | undefined, conv: string) => {
      if (conv === "%") return "%";
      const v = key !== undefined && values instanceof Map ? (values.get(key.slice(1, -1)) ?? null) : Array.isArray(values) ? (values[i++] ?? null) : null;
      if (conv === "s") return pyStr(v);
      if (conv === "r") return pyRepr(v);
      if (!isNumber(v)) throw new RenderError("TypeError", `%${conv} format: a real number is required, not ${typeName(v)}`);
      if (conv === "f") return num(v).toFixed(prec === undefined ? 6 : Number(prec));
      if (conv === "x") return Math.trunc(num(v)).toString(16);
      return String(Math.trunc(num(v)));
    },
  );
}

function jinjaTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/u)
    .filter((p) => p !== "")
    .map((p) => {
      const cps = codePoints(p);
      return cps[0]!.toUpperCase() + cps.slice(1).join("").toLowerCase();
    })
    .join("");
}

function jinjaIndent(s: string, width: PyValue, first: boolean, blank: boolean): string {
  const indention = typeof width === "string" ? width : " ".repeat(num(width as number));
  const lines = pySplitlines(`${s}\n`);
  let rv: string;
  if (blank) rv = lines.join(`\n${indention}`);
  else {
    rv = lines.shift() ?? "";
    if (lines.length > 0) rv += `\n${lines.map((l) => (l ? indention + l : l)).join("\n")}`;
  }
  return first ? indention + rv : rv;
}

// ---------------------------------------------------------------- tests

type Test = (v: PyValue, args: Args) => boolean;

const isInt = (v: PyValue) => typeof v === "number";
const TESTS: Record<string, Test> = {
  defined: (v) => !(v instanceof Undefined),
  undefined: (v) => v instanceof Undefined,
  none: (v) => v === null,
  boolean: (v) => typeof v === "boolean",
  false: (v) => v === false,
  true: (v) => v === true,
  integer: isInt,
  float: (v) => v instanceof PyFloat,
  number: (v) => isNumber(v),
  string: (v) => typeof v === "string",
  mapping: (v) => isDict(v),
  iterable: (v) => typeof v === "string" || isSeq(v) || isDict(v) || v instanceof Undefined,
  sequence: (v) => typeof v === "string" || isSeq(v) || isDict(v) || v instanceof Undefined,
  callable: (v) => v instanceof PyCallable,
  odd: (v) => num(v as number) % 2 !== 0,
  even: (v) => num(v as number) % 2 === 0,
  divisibleby: (v, a) => num(v as number) % num(a[0] as number) === 0,
  lower: (v) => {
    const s = pyStr(v);
    return /[\p{Lu}\p{Ll}\p{Lt}]/u.test(s) && s === s.toLowerCase();
  },
  upper: (v) => {
    const s = pyStr(v);
    return /[\p{Lu}\p{Ll}\p{Lt}]/u.test(s) && s === s.toUpperCase();
  },
  eq: (v, a) => pyEq(v, a[0] ?? null),
  ne: (v, a) => !pyEq(v, a[0] ?? null),
  lt: (v, a) => pyCompare(v, a[0] ?? null) < 0,
  le: (v, a) => pyCompare(v, a[0] ?? null) <= 0,
  gt: (v, a) => pyCompare(v, a[0] ?? null) > 0,
  ge: (v, a) => pyCompare(v, a[0] ?? null) >= 0,
  in: (v, a) => contains(a[0] ?? null, v),
  sameas: (v, a) => v === a[0] || (v === null && a[0] === null),
  escaped: () => false,
  filter: (v) => typeof v === "string" && Object.hasOwn(FILTERS, v),
  test: (v) => typeof v === "string" && Object.hasOwn(TESTS, v),
};
for (const [alias, name] of [
  ["equalto", "eq"],
  ["==", "eq"],
  ["!=", "ne"],
  ["<", "lt"],
  ["lessthan", "lt"],
  ["<=", "le"],
  [">", "gt"],
  ["greaterthan", "gt"],
  [">=", "ge"],
] as const) {
  TESTS[alias] = TESTS[name]!;
}

/** Python's `needle in haystack`. */
export function contains(haystack: PyValue, needle: PyValue): boolean {
  if (typeof haystack === "string") {
    if (typeof needle !== "string") throw new RenderError("TypeError", `'in <string>' requires string as left operand, not ${typeName(needle)}`);
    return haystack.includes(needle);
  }
  if (isDict(haystack)) return typeof needle === "string" && haystack.has(needle);
  if (haystack instanceof Undefined) return false;
  if (isSeq(haystack)) return items(haystack).some((x) => pyEq(x, needle));
  throw new RenderError("TypeError", `argument of type '${typeName(haystack)}' is not iterable`);
}

/** Runs test `name` (`value is name(args)`). */
export function runTest(name: string, value: PyValue, args: Args): boolean {
  const t = Object.hasOwn(TESTS, name) ? TESTS[name] : undefined;
  if (!t) throw new RenderError("TemplateRuntimeError", `No test named '${name}'.`);
  return t(value, args);
}

// ---------------------------------------------------------------- filters

type Filter = (ctx: BuiltinContext, v: PyValue, args: Args, kwargs: Kwargs) => PyValue;

function selectOrReject(ctx: BuiltinContext, v: PyValue, args: Args, select: boolean, attribute: boolean): PyValue {
  const [first, ...rest] = args;
  const get = attribute ? attrGetter(first ?? null) : (x: PyValue) => x;
  const testArgs = attribute ? rest : args;
  const [testName, ...testRest] = testArgs;
  const test = testName === undefined ? (x: PyValue) => truthy(x) : (x: PyValue) => runTest(pyStr(testName), x, testRest);
  const list = pyIter(v);
  ctx.charge(list.length);
  return list.filter((x) => test(get(x)) === select);
}

function caseKey(caseSensitive: boolean, attribute: PyValue): (v: PyValue) => PyValue {
  const get = attrGetter(attribute);
  return (v) => {
    const k = get(v);
    return !caseSensitive && typeof k === "string" ? k.toLowerCase() : k;
  };
}

const FILTERS: Record<string, Filter> = {
  abs: (_c, v) => {
    if (!isNumber(v)) throw new RenderError("TypeError", `bad operand type for abs(): '${typeName(v)}'`);
    return v instanceof PyFloat ? new PyFloat(Math.abs(v.v)) : Math.abs(num(v));
  },
  attr: (_c, v, a) => {
    const name = pyStr(a[0] ?? null);
    const m = v instanceof Namespace ? v.attrs.get(name) : methodOf(v, name);
    return m === undefined ? new Undefined(`'${typeName(v)} object' has no attribute '${name}'`) : m;
  },
  batch: (_c, v, a, k) => {
    const n = num(arg(a, k, 0, "linecount", 1) as number);
    const fill = arg(a, k, 1, "fill_with", null);
    const list = pyIter(v);
    const out: PyValue[][] = [];
    for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
    const last = out[out.length - 1];
    if (fill !== null && last && last.length < n) while (last.length < n) last.push(fill);
    return out;
  },
  capitalize: (_c, v) => pyCapitalize(pyStr(v)),
  center: (_c, v, a, k) => {
    const s = pyStr(v);
    return (methodOf(s, "center") as PyCallable).call([arg(a, k, 0, "width", 80)], new Map());
  },
  default: (_c, v, a, k) => {
    const dflt = arg(a, k, 0, "default_value", "");
    const boolean = truthy(arg(a, k, 1, "boolean", false));
    return v instanceof Undefined || (boolean && !truthy(v)) ? dflt : v;
  },
  dictsort: (_c, v, a, k) => {
    if (!isDict(v)) throw new RenderError("FilterArgumentError", "You can only sort by either 'key' or 'value'");
    const caseSensitive = truthy(arg(a, k, 0, "case_sensitive", false));
    const by = arg(a, k, 1, "by", "key");
    const reverse = truthy(arg(a, k, 2, "reverse", false));
    const pos = by === "key" ? 0 : by === "value" ? 1 : -1;
    if (pos < 0) throw new RenderError("FilterArgumentError", "You can only sort by either 'key' or 'value'");
    const pairs = [...v].map(([key, x]) => new PyTuple([key, x]));
    return pySorted(
      pairs,
      (p) => {
        const x = (p as PyTuple).items[pos]!;
        return !caseSensitive && typeof x === "string" ? x.toLowerCase() : x;
      },
      reverse,
    );
  },
  escape: (_c, v) => htmlEscape(pyStr(v)),
  first: (_c, v) => {
    const list = pyIter(v);
    return list.length > 0 ? list[0]! : new Undefined("No first item, sequence was empty.");
  },
  float: (_c, v, a, k) => toFloat(v, arg(a, k, 0, "default", new PyFloat(0))),
  format: (_c, v, a, k) => percentFormat(pyStr(v), k.size > 0 ? k : a),
  indent: (_c, v, a, k) => jinjaIndent(pyStr(v), arg(a, k, 0, "width", 4), truthy(arg(a, k, 1, "first", false)), truthy(arg(a, k, 2, "blank", false))),
  int: (_c, v, a, k) => toInt(v, arg(a, k, 0, "default", 0), num(arg(a, k, 1, "base", 10) as number)),
  items: (_c, v) => {
    if (v instanceof Undefined) return [];
    if (!isDict(v)) throw new RenderError("TypeError", `Can only get item pairs from a mapping.`);
    return [...v].map(([key, x]) => new PyTuple([key, x]));
  },
  join: (ctx, v, a, k) => {
    const sep = pyStr(arg(a, k, 0, "d", ""));
    const get = attrGetter(arg(a, k, 1, "attribute", null));
    const list = pyIter(v);
    ctx.charge(list.length);
    return list.map((x) => pyStr(get(x))).join(sep);
  },
  last: (_c, v) => {
    const list = pyIter(v);
    return list.length > 0 ? list[list.length - 1]! : new Undefined("No last item, sequence was empty.");
  },
  length: (_c, v) => pyLen(v),
  list: (ctx, v) => {
    const list = [...pyIter(v)];
    ctx.charge(list.length);
    return list;
  },
  lower: (_c, v) => pyStr(v).toLowerCase(),
  map: (ctx, v, a, k) => {
    const list = pyIter(v);
    ctx.charge(list.length);
    if (a.length === 0 && k.has("attribute")) {
      const get = attrGetter(k.get("attribute")!);
      const dflt = k.get("default");
      return list.map((x) => {
        const r = get(x);
        return r instanceof Undefined && dflt !== undefined ? dflt : r;
      });
    }
    const [name, ...rest] = a;
    return list.map((x) => applyFilter(ctx, pyStr(name ?? null), x, rest, k));
  },
  max: (_c, v, a, k) => {
    const list = pyIter(v);
    if (list.length === 0) return new Undefined("No aggregated item, sequence was empty.");
    const key = caseKey(truthy(arg(a, k, 0, "case_sensitive", false)), arg(a, k, 1, "attribute", null));
    return list.reduce((best, x) => (pyCompare(key(x), key(best)) > 0 ? x : best));
  },
  min: (_c, v, a, k) => {
    const list = pyIter(v);
    if (list.length === 0) return new Undefined("No aggregated item, sequence was empty.");
    const key = caseKey(truthy(arg(a, k, 0, "case_sensitive", false)), arg(a, k, 1, "attribute", null));
    return list.reduce((best, x) => (pyCompare(key(x), key(best)) < 0 ? x : best));
  },
  reject: (ctx, v, a) => selectOrReject(ctx, v, a, false, false),
  rejectattr: (ctx, v, a) => selectOrReject(ctx, v, a, false, true),
  replace: (_c, v, a, k) => {
    const count = arg(a, k, 2, "count", null);
    return pyReplace(pyStr(v), pyStr(arg(a, k, 0, "old", "")), pyStr(arg(a, k, 1, "new", "")), count === null ? -1 : num(count as number));
  },
  reverse: (_c, v) => (typeof v === "string" ? codePoints(v).reverse().join("") : [...pyIter(v)].reverse()),
  round: (_c, v, a, k) => {
    const precision = num(arg(a, k, 0, "precision", 0) as number);
    const method = pyStr(arg(a, k, 1, "method", "common"));
    const x = num(v as number);
    const f = 10 ** precision;
    if (method === "ceil") return new PyFloat(Math.ceil(x * f) / f);
    if (method === "floor") return new PyFloat(Math.floor(x * f) / f);
    const scaled = x * f;
    const r = Math.round(scaled);
    const even = Math.abs(scaled % 1) === 0.5 ? 2 * Math.round(scaled / 2) : r;
    return new PyFloat(even / f);
  },
  safe: (_c, v) => pyStr(v),
  select: (ctx, v, a) => selectOrReject(ctx, v, a, true, false),
  selectattr: (ctx, v, a) => selectOrReject(ctx, v, a, true, true),
  sort: (ctx, v, a, k) => {
    const list = pyIter(v);
    ctx.charge(list.length);
    return pySorted(list, caseKey(truthy(arg(a, k, 1, "case_sensitive", false)), arg(a, k, 2, "attribute", null)), truthy(arg(a, k, 0, "reverse", false)));
  },
  string: (_c, v) => pyStr(v),
  sum: (_c, v, a, k) => {
    const get = attrGetter(arg(a, k, 0, "attribute", null));
    return pyIter(v).reduce<PyValue>((acc, x) => arith(acc, get(x)), arg(a, k, 1, "start", 0));
  },
  title: (_c, v) => jinjaTitle(pyStr(v)),
  tojson: (_c, v, a, k) => pyJsonDumps(v, a, k),
  trim: (_c, v, a, k) => {
    const chars = arg(a, k, 0, "chars", null);
    return pyStrip(pyStr(v), chars === null ? null : pyStr(chars), "both");
  },
  truncate: (_c, v, a, k) => {
    const s = pyStr(v);
    const length = num(arg(a, k, 0, "length", 255) as number);
    const killwords = truthy(arg(a, k, 1, "killwords", false));
    const end = pyStr(arg(a, k, 2, "end", "..."));
    const leeway = num(arg(a, k, 3, "leeway", 5) as number);
    const cps = codePoints(s);
    if (cps.length <= length + leeway) return s;
    const head = cps.slice(0, Math.max(0, length - codePoints(end).length)).join("");
    if (killwords) return head + end;
    return pySplit(head, " ", 1, true)[0]! + end;
  },
  unique: (ctx, v, a, k) => {
    const key = caseKey(truthy(arg(a, k, 0, "case_sensitive", false)), arg(a, k, 1, "attribute", null));
    const seen: PyValue[] = [];
    const out: PyValue[] = [];
    const list = pyIter(v);
    ctx.charge(list.length);
    for (const x of list) {
      const kx = key(x);
      if (!seen.some((s) => pyEq(s, kx))) {
        seen.push(kx);
        out.push(x);
      }
    }
    return out;
  },
  upper: (_c, v) => pyStr(v).toUpperCase(),
  wordcount: (_c, v) => (pyStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
};
FILTERS.count = FILTERS.length!;
FILTERS.d = FILTERS.default!;
FILTERS.e = FILTERS.escape!;
FILTERS.forceescape = FILTERS.escape!;

/** Applies filter `name` (`value | name(args)`). */
export function applyFilter(ctx: BuiltinContext, name: string, value: PyValue, args: Args, kwargs: Kwargs): PyValue {
  const f = Object.hasOwn(FILTERS, name) ? FILTERS[name] : undefined;
  if (!f) throw new RenderError("TemplateAssertionError", `No filter named '${name}'.`);
  return f(ctx, value, args, kwargs);
}

// ---------------------------------------------------------------- globals

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** Python's `datetime.now().strftime(format)` (C locale) for the directives templates use. */
function strftime(d: Date, format: string): string {
  const p2 = (n: number) => String(n).padStart(2, "0");
  const dayOfYear = Math.floor((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 86_400_000) + 1;
  return format.replace(/%(-?)([a-zA-Z%])/g, (m, noPad: string, c: string) => {
    const pad = (n: number, w = 2) => (noPad ? String(n) : String(n).padStart(w, "0"));
    switch (c) {
      case "Y":
        return String(d.getFullYear());
      case "y":
        return p2(d.getFullYear() % 100);
      case "m":
        return pad(d.getMonth() + 1);
      case "d":
        return pad(d.getDate());
      case "e":
        return String(d.getDate()).padStart(2, " ");
      case "H":
        return pad(d.getHours());
      case "I":
        return pad(d.getHours() % 12 === 0 ? 12 : d.getHours() % 12);
      case "M":
        return pad(d.getMinutes());
      case "S":
        return pad(d.getSeconds());
      case "p":
        return d.getHours() < 12 ? "AM" : "PM";
      case "b":
      case "h":
        return MONTHS[d.getMonth()]!.slice(0, 3);
      case "B":
        return MONTHS[d.getMonth()]!;
      case "a":
        return DAYS[d.getDay()]!.slice(0, 3);
      case "A":
        return DAYS[d.getDay()]!;
      case "j":
        return pad(dayOfYear, 3);
      case "w":
        return String(d.getDay());
      case "z":
      case "Z":
        return "";
      case "%":
        return "%";
      default:
        return m;
    }
  });
}

/** The globals transformers' environment gives a template (Jinja2's defaults the sandbox allows, plus its own). */
export function makeGlobals(ctx: BuiltinContext): Map<string, PyValue> {
  return new Map<string, PyValue>([
    [
      "range",
      new PyCallable("range", (a) => {
        const ints = a.map((x) => {
          if (typeof x !== "number" && typeof x !== "boolean")
            throw new RenderError("TypeError", `'${typeName(x)}' object cannot be interpreted as an integer`);
          return Number(x);
        });
        const [start, stop, step] = ints.length === 1 ? [0, ints[0]!, 1] : [ints[0] ?? 0, ints[1] ?? 0, ints[2] ?? 1];
        if (step === 0) throw new RenderError("ValueError", "range() arg 3 must not be zero");
        const n = step > 0 ? Math.max(0, Math.ceil((stop - start) / step)) : Math.max(0, Math.ceil((start - stop) / -step));
        if (n > MAX_RANGE) throw new RenderError("OverflowError", `Range too big. The sandbox blocks ranges larger than MAX_RANGE (${MAX_RANGE}).`);
        ctx.charge(n);
        const out: number[] = new Array<number>(n);
        for (let i = 0; i < n; i++) out[i] = start + i * step;
        void stop;
        return out;
      }),
    ],
    ["dict", new PyCallable("dict", (a, k) => new Map([...(a[0] instanceof Map ? a[0] : []), ...k]))],
    [
      "namespace",
      new PyCallable("namespace", (a, k) => {
        const attrs = new Map<string, PyValue>();
        const src = a[0];
        if (src instanceof Map) for (const [key, x] of src) attrs.set(key, x);
        for (const [key, x] of k) attrs.set(key, x);
        return new Namespace(attrs);
      }),
    ],
    [
      "raise_exception",
      new PyCallable("raise_exception", (a) => {
        throw new RenderError("TemplateError", pyStr(a[0] ?? null));
      }),
    ],
    ["strftime_now", new PyCallable("strftime_now", (a) => strftime(new Date(), pyStr(a[0] ?? "")))],
  ]);
}
