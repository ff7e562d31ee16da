import { inspect } from "node:util";
import { type FeatureType, featureRepr } from "./feature-type.js";

/** Python's `datasets.Sequence`: a list column. `length` is -1 (any length), as datasets infers it. */
export class Sequence {
  constructor(
    readonly feature: FeatureType,
    readonly length: number = -1,
  ) {}

  toString(): string {
    return `Sequence(feature=${featureRepr(this.feature)}, length=${this.length}, id=None)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
