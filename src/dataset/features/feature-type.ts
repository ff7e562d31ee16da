import { pyStr } from "../util/py-repr.js";
import type { Sequence } from "./sequence.js";
import type { Value } from "./value.js";

/** A column's type as Python's `datasets.Features` describes it: a Value, a Sequence, or a dict of sub-features (a struct). */
export type FeatureType = Value | Sequence | { readonly [field: string]: FeatureType };

/** Python's repr of a feature: `Value(dtype='string', id=None)`, `{'a': Value(...)}`. */
export function featureRepr(feature: FeatureType): string {
  if (Object.getPrototypeOf(feature) === Object.prototype) {
    const fields = Object.entries(feature as Record<string, FeatureType>);
    return `{${fields.map(([k, v]) => `${pyStr(k)}: ${featureRepr(v)}`).join(", ")}}`;
  }
  return String(feature);
}
