import { inspect } from "node:util";
import { pyStr } from "../util/py-repr.js";
import { type FeatureType, featureRepr } from "./feature-type.js";

/**
 * Python's `datasets.Features`: column name → type, in column order. Prints as Python prints it:
 * `{'question': Value(dtype='string', id=None), 'answer': Value(dtype='string', id=None)}`.
 */
export class Features extends Map<string, FeatureType> {
  override toString(): string {
    return `{${[...this].map(([name, f]) => `${pyStr(name)}: ${featureRepr(f)}`).join(", ")}}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
