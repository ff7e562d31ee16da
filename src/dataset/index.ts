// Datasets: Python's `datasets` API (load_dataset, Dataset, DatasetDict) with its data-file rules.
export { Dataset, type Row, type Batch, type BatchOutput, type MapOptions, type FilterOptions, type ShuffleParams, type DataFrame } from "./dataset.js";
export { DatasetDict } from "./dataset-dict.js";
export { loadDataset, type LoadDatasetOptions } from "./load-dataset.js";
export {
  IterableDataset,
  type IterableDatasetDict,
  type IterableDatasetOptions,
  type IterableMapOptions,
  type IterableFilterOptions,
  type IterableShuffleParams,
  type IterBatchesOptions,
  type RowSource,
} from "./iterable-dataset.js";
export { loadStreamingDataset } from "./load-streaming-dataset.js";
export { hubByteSource } from "./readers/hub-byte-source.js";
export { resolveDataFiles, type ResolveDataFilesParams, type ResolvedDataFiles, type ResolvedSplit } from "./resolve-data-files.js";
export { trainTestSplit, type TrainTestSplitParams } from "./train-test-split.js";
export { trainTestSplitIndices, type TrainTestSplitIndicesParams, type TrainTestSplitIndices } from "./train-test-split-indices.js";
export * from "./numpy-random/index.js";

export { RaggedInt32Column } from "./columns/ragged-int32-column.js";
export type { Column } from "./columns/column.js";
export { Features } from "./features/features.js";
export { Value } from "./features/value.js";
export { Sequence } from "./features/sequence.js";
export type { FeatureType } from "./features/feature-type.js";
export { inferFeature } from "./features/infer-feature.js";

export { readDataFile, type ReadDataFileOptions } from "./readers/read-data-file.js";
export { readJsonLines, type ReadJsonLinesOptions } from "./readers/read-json-lines.js";
export { readJson, type ReadJsonOptions } from "./readers/read-json.js";
export { readCsv, type ReadCsvOptions } from "./readers/read-csv.js";
export { readParquet, type ReadParquetOptions } from "./readers/read-parquet.js";
export { readParquetMetadata, type ParquetFooter } from "./readers/read-parquet-metadata.js";
export { castCsvColumn } from "./readers/cast-csv-column.js";
export { formatOfFile, FORMAT_EXTENSIONS, SUPPORTED_EXTENSIONS, type DataFormat } from "./readers/data-format.js";
export type { ReadOptions, ReadSummary, ByteSource } from "./readers/read-options.js";

export { getDataPatterns } from "./data-files/get-data-patterns.js";
export { sanitizePatterns, type DataFilesSpec, type SplitDataFiles } from "./data-files/sanitize-patterns.js";
export { resolvePattern } from "./data-files/resolve-pattern.js";
export { inferModule } from "./data-files/infer-module.js";
export { readDatasetCard, type DatasetCardConfig } from "./data-files/read-dataset-card.js";
export { DatasetCardError } from "./data-files/dataset-card-error.js";
