// The values a chat template works with, with Python's semantics (what Jinja2 does with them):
// str = JS string, int = JS number, float = PyFloat, bool, None = null, Jinja2's Undefined,
// list = JS array, tuple = PyTuple, dict = Map (insertion-ordered, string keys), namespace, callables.
import { pyStr as reprStr } from "../../dataset/util/py-repr.js";

/** A Python float (JS numbers are Python ints: a JSON `1.5` becomes a float, `2` an int). */
export class PyFloat {
  constructor(readonly v: number) {}
}

/** A Python tuple. */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** Jinja2's Undefined: prints as "", is false, iterates as empty; anything more raises. */
export class Undefined {
  constructor(readonly hint: string) {}
}

/** Jinja2's `namespace(...)`: attributes settable with `{% set ns.x = ... %}`. */
export class Namespace {
  constructor(readonly attrs: Map<string, PyValue>) {}
}

/** Jinja2's `loop` inside a for loop: its attributes, computed when read. */
export class LoopContext {
  constructor(
    private readonly list: PyValue[],
    private readonly i: number,
    private readonly getChanged: () => PyValue[] | undefined,
    private readonly setChanged: (v: PyValue[]) => void,
  ) {}

  /** The attribute `name`, or undefined when a loop has none. */
  attr(name: string): PyValue | undefined {
    const { list, i } = this;
    const n = list.length;
    switch (name) {
      case "index":
        return i + 1;
      case "index0":
        return i;
      case "revindex":
        return n - i;
      case "revindex0":
        return n - i - 1;
      case "first":
        return i === 0;
      case "last":
        return i === n - 1;
      case "length":
        return n;
      case "depth":
        return 1;
      case "depth0":
        return 0;
      case "previtem":
        return i > 0 ? list[i - 1]! : new Undefined("'loop.previtem'");
      case "nextitem":
        return i < n - 1 ? list[i + 1]! : new Undefined("'loop.nextitem'");
      case "cycle":
        return new PyCallable("cycle", (a) => (a.length === 0 ? new Undefined("cycle") : a[i % a.length]!));
      case "changed":
        return new PyCallable("changed", (a) => {
          const last = this.getChanged();
          if (last !== undefined && last.length === a.length && last.every((x, k) => pyEq(x, a[k]!))) return false;
          this.setChanged(a);
          return true;
        });
      default:
        return undefined;
    }
  }
}

/** A callable: Python positional args and keyword args. */
export class PyCallable {
  constructor(
    readonly name: string,
    readonly call: (args: PyValue[], kwargs: Map<string, PyValue>) => PyValue,
  ) {}
}

export type PyValue =
  | string
  | number
  | boolean
  | null
  | PyFloat
  | PyTuple
  | Undefined
  | Namespace
  | LoopContext
  | PyCallable
  | PyValue[]
  | Map<string, PyValue>;

/** An error Python would raise while rendering (TypeError, UndefinedError, SecurityError...). */
export class RenderError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}

export const isDict = (v: PyValue): v is Map<string, PyValue> => v instanceof Map;
export const isSeq = (v: PyValue): v is PyValue[] | PyTuple => Array.isArray(v) || v instanceof PyTuple;
export const items = (v: PyValue[] | PyTuple): PyValue[] => (v instanceof PyTuple ? v.items : v);
export const isNumber = (v: PyValue): v is number | PyFloat | boolean => typeof v === "number" || v instanceof PyFloat || typeof v === "boolean";
export const num = (v: number | PyFloat | boolean): number => (v instanceof PyFloat ? v.v : typeof v === "boolean" ? Number(v) : v);

/** Python's name of a value's type, for messages. */
export function typeName(v: PyValue): string {
  if (v === null) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "int";
  if (v instanceof PyFloat) return "float";
  if (v instanceof PyTuple) return "tuple";
  if (v instanceof Undefined) return "Undefined";
  if (v instanceof Namespace) return "Namespace";
  if (v instanceof LoopContext) return "LoopContext";
  if (v instanceof PyCallable) return "function";
  if (Array.isArray(v)) return "list";
  return "dict";
}

/** Converts JSON-like JS data (a context variable) to template values. */
export function fromJs(v: unknown): PyValue {
  if (v === undefined) return new Undefined("undefined");
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isInteger(v) ? v : new PyFloat(v);
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), fromJs(x)]));
  if (typeof v === "function") {
    const f = v as (...a: unknown[]) => unknown;
    return new PyCallable(f.name || "function", (args) => fromJs(f(...args.map(toJs))));
  }
  if (typeof v === "object") {
    if (v instanceof PyFloat || v instanceof PyTuple || v instanceof Undefined || v instanceof Namespace || v instanceof PyCallable) return v;
    const m = new Map<string, PyValue>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) m.set(k, fromJs(x));
    return m;
  }
  return String(v);
}

/** Template values back to JS data. */
function toJs(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.v;
  if (v instanceof PyTuple) return v.items.map(toJs);
  if (v instanceof Undefined) return undefined;
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toJs(x)]));
  if (v instanceof Namespace) return Object.fromEntries([...v.attrs].map(([k, x]) => [k, toJs(x)]));
  return v;
}

/** Python truthiness. */
export function truthy(v: PyValue): boolean {
  if (v === null || v instanceof Undefined) return false;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number" || typeof v === "boolean") return Boolean(v);
  if (v instanceof PyFloat) return v.v !== 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

/** Python's repr() of a float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = x.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let body: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) body = `0.${"0".repeat(-exp - 1)}${digits}`;
    else if (digits.length <= exp + 1) body = `${digits + "0".repeat(exp + 1 - digits.length)}.0`;
    else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return (neg ? "-" : "") + body;
}

/** Python's repr(). */
export function pyRepr(v: PyValue): string {
  if (typeof v === "string") return reprStr(v);
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(", ")})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${reprStr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  if (v instanceof Undefined) return "Undefined";
  return pyStr(v);
}

/** Python's str(): what `{{ value }}` prints. */
export function pyStr(v: PyValue): string {
  if (typeof v === "string") return v;
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v instanceof Undefined) return "";
  if (v instanceof Namespace) return `<Namespace ${pyRepr(new Map(v.attrs))}>`;
  if (v instanceof PyCallable) return `<function ${v.name}>`;
  if (v instanceof LoopContext) return "<LoopContext>";
  return pyRepr(v);
}

/** Python's `==`. */
export function pyEq(a: PyValue, b: PyValue): boolean {
  if (isNumber(a) && isNumber(b)) return num(a) === num(b);
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a === null || b === null) return a === b;
  if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEq(a.items, b.items);
  if (Array.isArray(a) && Array.isArray(b)) return seqEq(a, b);
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, x] of a) if (!b.has(k) || !pyEq(x, b.get(k)!)) return false;
    return true;
  }
  return a === b;
}

function seqEq(a: PyValue[], b: PyValue[]): boolean {
  return a.length === b.length && a.every((x, i) => pyEq(x, b[i]!));
}

function codePointCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

/** Python's ordering (`<`): numbers, strings by code point, sequences lexicographically; else TypeError. */
export function pyCompare(a: PyValue, b: PyValue): number {
  if (isNumber(a) && isNumber(b)) return num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return codePointCompare(a, b);
  if ((Array.isArray(a) && Array.isArray(b)) || (a instanceof PyTuple && b instanceof PyTuple)) {
    const x = items(a as PyValue[]);
    const y = items(b as PyValue[]);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (!pyEq(x[i]!, y[i]!)) return pyCompare(x[i]!, y[i]!);
    }
    return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
  }
  throw new RenderError("TypeError", `'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python's len(). */
export function pyLen(v: PyValue): number {
  if (typeof v === "string") return codePoints(v).length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof PyTuple) return v.items.length;
  if (v instanceof Map) return v.size;
  if (v instanceof Undefined) return 0;
  throw new RenderError("TypeError", `object of type '${typeName(v)}' has no len()`);
}

/** The items of an iterable, as Python's iter() yields them (a dict's keys, a str's characters). */
export function pyIter(v: PyValue): PyValue[] {
  if (typeof v === "string") return codePoints(v);
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  if (v instanceof Map) return [...v.keys()];
  if (v instanceof Undefined) return [];
  throw new RenderError("TypeError", `'${typeName(v)}' object is not iterable`);
}

const ASTRAL = /[\uD800-\uDFFF]/;

/** A string's code points (Python's characters). */
export function codePoints(s: string): string[] {
  return ASTRAL.test(s) ? Array.from(s) : s.split("");
}

/** Python's `str.isspace()` characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.isspace() set, which includes the \x1c-\x1f separators
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

/** Python's `str.strip(chars)` (which: "both", "left", "right"). */
export function pyStrip(s: string, chars: string | null, which: "both" | "left" | "right"): string {
  const drop =
    chars === null
      ? (c: string) => PY_SPACE.test(c)
      : (() => {
          const set = new Set(codePoints(chars));
          return (c: string) => set.has(c);
        })();
  const cps = codePoints(s);
  let start = 0;
  let end = cps.length;
  if (which !== "right") while (start < end && drop(cps[start]!)) start++;
  if (which !== "left") while (end > start && drop(cps[end - 1]!)) end--;
  return start === 0 && end === cps.length ? s : cps.slice(start, end).join("");
}

/** Python's `str.splitlines(keepends)`. */
export function pySplitlines(s: string, keepends = false): string[] {
  const out: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's str.splitlines() boundaries, which include \x1c-\x1e
  const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
  let from = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(s.slice(from, keepends ? m.index + m[0].length : m.index));
    from = m.index + m[0].length;
  }
  if (from < s.length) out.push(s.slice(from));
  return out;
}
