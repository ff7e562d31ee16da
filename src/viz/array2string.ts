import { InvalidArgumentError } from "../errors.js";

/** An integer array as numpy sees a nested list: numbers, or (nested) arrays of equal length. */
export type IntArrayLike = ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>>;

export interface Array2StringOptions {
  /** numpy's `separator`: " " for str(), ", " for repr(). Default " ". */
  separator?: string;
  /** Text printed before the array on its first line, e.g. "array(" (its width indents the next lines). Default "". */
  prefix?: string;
  /** Text printed after, e.g. ")"; its width comes off the line width (numpy > 1.13). Default "". */
  suffix?: string;
  /** numpy's `linewidth`. Default 75. */
  lineWidth?: number;
  /** Arrays with more elements than this are summarized with "...". Default 1000. */
  threshold?: number;
  /** Items kept at each end of a summarized axis. Default 3. */
  edgeItems?: number;
}

interface Shaped {
  shape: number[];
  at(index: number[]): number;
  size: number;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as ArrayLike<unknown>).length === "number";
}

/** The shape of a nested array, refusing ragged or non-integer input as numpy would (it makes an object array). */
export function shapeOf(values: IntArrayLike): Shaped {
  const shape: number[] = [];
  let probe: unknown = values;
  while (isArrayLike(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const check = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v !== "number" || !Number.isInteger(v)) {
        throw new InvalidArgumentError(
          "values",
          v,
          `values${path.map((i) => `[${i}]`).join("")} is ${JSON.stringify(v)}: only integer arrays (token ids, masks, labels) are formatted.`,
        );
      }
      return;
    }
    if (!isArrayLike(v) || v.length !== shape[depth]) {
      throw new InvalidArgumentError(
        "values",
        values,
        `values${path.map((i) => `[${i}]`).join("")} has ${isArrayLike(v) ? `length ${v.length}` : "no length"}, expected ${shape[depth]}: numpy needs equal-length rows (pad them first, e.g. batchEncode with padding).`,
      );
    }
    for (let i = 0; i < v.length; i++) check(v[i], depth + 1, [...path, i]);
  };
  check(values, 0, []);
  const at = (index: number[]) => {
    let v: unknown = values;
    for (const i of index) v = (v as ArrayLike<unknown>)[i];
    return v as number;
  };
  return { shape, at, size: shape.reduce((a, b) => a * b, 1) };
}

/** Values numpy's formatter sees: every element, or only the edge items of summarized axes. */
function leadingTrailing(a: Shaped, edgeItems: number, summarize: boolean): number[] {
  const out: number[] = [];
  const walk = (index: number[]) => {
    const axis = index.length;
    if (axis === a.shape.length) {
      out.push(a.at(index));
      return;
    }
    const n = a.shape[axis]!;
    const picks =
      summarize && n > 2 * edgeItems ? [...Array(edgeItems).keys(), ...Array.from({ length: edgeItems }, (_, i) => n - edgeItems + i)] : [...Array(n).keys()];
    for (const i of picks) walk([...index, i]);
  };
  walk([]);
  return out;
}

function extendLine(s: string, line: string, word: string, lineWidth: number, nextLinePrefix: string): [string, string] {
  let needsWrap = line.length + word.length > lineWidth;
  // numpy > 1.13: don't wrap lines if it won't help
  if (line.length <= nextLinePrefix.length) needsWrap = false;
  if (needsWrap) {
    s += `${line.trimEnd()}\n`;
    line = nextLinePrefix;
  }
  return [s, line + word];
}

/**
 * numpy's `array2string` for integer arrays (numpy 2.x defaults): elements right-aligned to a
 * common width, rows wrapped at `lineWidth`, long arrays summarized with "...". A port of
 * numpy/_core/arrayprint.py (_formatArray, IntegerFormat), so token ids print as the original's
 * `print(tokenized_inputs["input_ids"])` does.
 */
export function array2string(values: IntArrayLike, options: Array2StringOptions = {}): string {
  const separator = options.separator ?? " ";
  const prefix = options.prefix ?? "";
  const lineWidth = (options.lineWidth ?? 75) - (options.suffix ?? "").length;
  const threshold = options.threshold ?? 1000;
  const edgeItems = options.edgeItems ?? 3;
  const a = shapeOf(values);
  if (a.size === 0) return "[]";
  const summaryInsert = a.size > threshold ? "..." : "";
  const shown = leadingTrailing(a, edgeItems, summaryInsert !== "");
  let max = shown[0]!;
  let min = shown[0]!;
  for (const v of shown) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const width = Math.max(String(max).length, String(min).length);
  const formatInt = (x: number) => String(x).padStart(width, " ");
  const sepTrim = separator.trimEnd();

  const recurse = (index: number[], hangingIndent: string, currWidth: number): string => {
    const axis = index.length;
    const axesLeft = a.shape.length - axis;
    if (axesLeft === 0) return formatInt(a.at(index));
    const nextHangingIndent = `${hangingIndent} `;
    const nextWidth = currWidth - 1;
    const aLen = a.shape[axis]!;
    const showSummary = summaryInsert !== "" && 2 * edgeItems < aLen;
    const leading = showSummary ? edgeItems : 0;
    const trailing = showSummary ? edgeItems : aLen;
    let s = "";
    if (axesLeft === 1) {
      const elemWidth = currWidth - Math.max(sepTrim.length, 1);
      let line = hangingIndent;
      for (let i = 0; i < leading; i++) {
        [s, line] = extendLine(s, line, recurse([...index, i], nextHangingIndent, nextWidth), elemWidth, hangingIndent);
        line += separator;
      }
      if (showSummary) {
        [s, line] = extendLine(s, line, summaryInsert, elemWidth, hangingIndent);
        line += separator;
      }
      for (let i = trailing; i > 1; i--) {
        [s, line] = extendLine(s, line, recurse([...index, aLen - i], nextHangingIndent, nextWidth), elemWidth, hangingIndent);
        line += separator;
      }
      [s, line] = extendLine(s, line, recurse([...index, aLen - 1], nextHangingIndent, nextWidth), elemWidth, hangingIndent);
      s += line;
    } else {
      const lineSep = sepTrim + "\n".repeat(axesLeft - 1);
      for (let i = 0; i < leading; i++) s += hangingIndent + recurse([...index, i], nextHangingIndent, nextWidth) + lineSep;
      if (showSummary) s += hangingIndent + summaryInsert + lineSep;
      for (let i = trailing; i > 1; i--) s += hangingIndent + recurse([...index, aLen - i], nextHangingIndent, nextWidth) + lineSep;
      s += hangingIndent + recurse([...index, aLen - 1], nextHangingIndent, nextWidth);
    }
    return `[${s.slice(hangingIndent.length)}]`;
  };
  return recurse([], " ".repeat(1 + prefix.length), lineWidth);
}
