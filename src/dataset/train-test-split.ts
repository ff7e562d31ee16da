import type { Dataset } from "./dataset.js";
import { DatasetDict } from "./dataset-dict.js";
import { type TrainTestSplitIndicesParams, trainTestSplitIndices } from "./train-test-split-indices.js";

/** Options of {@link trainTestSplit}: Python's `test_size`, `train_size`, `shuffle`, `seed`, `generator`. */
export type TrainTestSplitParams = TrainTestSplitIndicesParams;

/**
 * Python's `Dataset.train_test_split`: `DatasetDict({ train, test })` with the rows Python puts in
 * each, in the same order (the sizes, validation and numpy permutation come from
 * {@link trainTestSplitIndices}).
 */
export function trainTestSplit(dataset: Dataset, params: TrainTestSplitParams = {}): DatasetDict {
  const { train, test } = trainTestSplitIndices(dataset.numRows, params);
  return new DatasetDict({ train: dataset.select(train), test: dataset.select(test) });
}
