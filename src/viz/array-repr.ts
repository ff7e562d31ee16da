import { array2string, type IntArrayLike, shapeOf } from "./array2string.js";

const LINE_WIDTH = 75;
const THRESHOLD = 1000;

/**
 * numpy's `repr(array)` of an int64 array — what a notebook shows for `tokenized_inputs["input_ids"]`:
 * `array([[ 4118, 19782, ...]])`, with numpy 2.2+'s `shape=` for summarized arrays and `dtype=int64`
 * for empty ones.
 */
export function arrayRepr(values: IntArrayLike): string {
  const { shape, size } = shapeOf(values);
  const prefix = "array(";
  const body = array2string(values, { separator: ", ", prefix, suffix: ")", lineWidth: LINE_WIDTH, threshold: THRESHOLD });
  const extras: string[] = [];
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  if ((size === 0 && !(shape.length === 1 && shape[0] === 0)) || size > THRESHOLD) extras.push(`shape=${tuple}`);
  if (size === 0) extras.push("dtype=int64");
  if (extras.length === 0) return `${prefix}${body})`;
  const arrStr = `${prefix}${body},`;
  const extraStr = `${extras.join(", ")})`;
  const lastLineLen = arrStr.length - (arrStr.lastIndexOf("\n") + 1);
  const spacer = lastLineLen + extraStr.length + 1 > LINE_WIDTH ? `\n${" ".repeat(prefix.length)}` : " ";
  return arrStr + spacer + extraStr;
}
