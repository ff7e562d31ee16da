import { inspect } from "node:util";
import { pyStr } from "../dataset/util/py-repr.js";

export interface PyReprOptions {
  /** Sort dict keys, as `pprint` does (plain `repr` keeps insertion order). Default false. */
  sortDicts?: boolean;
}

/** Python's float repr: the shortest digits that round-trip, fixed notation for exponents -4..15, else `1e-05` style. */
function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  // toExponential() without digits gives the shortest round-trip digits, like Python's repr.
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential());
  if (!m) return String(x);
  const [, sign, first, rest = "", expText] = m;
  const digits = first! + rest;
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
  }
  const mantissa = rest === "" ? first! : `${first}.${rest}`;
  const e = Math.abs(exp);
  return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${e < 10 ? `0${e}` : e}`;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}

function hasOwnToString(v: object): boolean {
  // Dataset, DatasetDict… define toString as Python's repr; a class that does not falls back to inspect.
  return typeof (v as { toString?: unknown }).toString === "function" && (v as { toString: unknown }).toString !== Object.prototype.toString;
}

/** Code-point order, as Python sorts str keys (JavaScript's default sort compares UTF-16 units). */
function comparePyKeys(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  const sa = String(a);
  const sb = String(b);
  const ca = [...sa];
  const cb = [...sb];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** The entries of a dict-like value (Map or plain object), in Python's order. */
export function dictEntries(v: Map<unknown, unknown> | Record<string, unknown>, sortDicts: boolean): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return sortDicts ? entries.sort((a, b) => comparePyKeys(a[0], b[0])) : entries;
}

/** Whether `v` prints as a Python dict. */
export function isDictLike(v: unknown): v is Map<unknown, unknown> | Record<string, unknown> {
  return v !== null && typeof v === "object" && (v instanceof Map || isPlainObject(v));
}

/** Whether `v` prints as a Python list (arrays and typed arrays). */
export function isListLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * Python's `repr()` of a JavaScript value, so printed values read as the Python original's:
 * strings `'Hi'`, numbers `12764` / `0.5` / `1e-05`, null `None`, booleans `True`/`False`,
 * arrays and typed arrays `[1, 2]`, plain objects and Maps `{'question': '...'}`. Objects with
 * their own toString (Dataset, DatasetDict) print as that; other objects as Node's inspect.
 */
export function pyRepr(value: unknown, options: PyReprOptions = {}): string {
  const sortDicts = options.sortDicts ?? false;
  const seen = new Set<object>();
  const repr = (v: unknown): string => {
    if (v === null || v === undefined) return "None";
    if (typeof v === "boolean") return v ? "True" : "False";
    if (typeof v === "number") return Number.isInteger(v) ? (Object.is(v, -0) ? "0" : v.toFixed(0)) : pyFloat(v);
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") return pyStr(v);
    if (typeof v !== "object") return String(v);
    if (seen.has(v)) return isListLike(v) ? "[...]" : "{...}";
    if (isListLike(v)) {
      seen.add(v);
      const out = `[${Array.from(v as ArrayLike<unknown>, repr).join(", ")}]`;
      seen.delete(v);
      return out;
    }
    if (isDictLike(v)) {
      seen.add(v);
      const out = `{${dictEntries(v, sortDicts)
        .map(([k, x]) => `${repr(k)}: ${repr(x)}`)
        .join(", ")}}`;
      seen.delete(v);
      return out;
    }
    if (hasOwnToString(v)) return String(v);
    return inspect(v);
  };
  return repr(value);
}
