import { array2string, type IntArrayLike } from "./array2string.js";

/**
 * numpy's `str(array)` — what `print(tokenized_inputs["input_ids"])` shows for
 * `return_tensors="np"`: `[[ 4118 19782    27 ...]]`. Integer arrays (nested, equal-length rows).
 */
export function arrayStr(values: IntArrayLike): string {
  return array2string(values);
}
