import { inspect } from "node:util";
import { pyStr } from "../util/py-repr.js";

/**
 * Python's `datasets.Value`: a scalar column type. `dtype` uses Arrow's names as datasets does:
 * "string", "int64", "int32", "int8", "float64", "bool", "binary", "null", "timestamp[ms]".
 */
export class Value {
  constructor(readonly dtype: string) {}

  toString(): string {
    return `Value(dtype=${pyStr(this.dtype)}, id=None)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
