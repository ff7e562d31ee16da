// Datasets: Python's `datasets` API (load_dataset, Dataset, DatasetDict) with its data-file rules.

export type { Column } from "./columns/column.js";
export { RaggedInt32Column } from "./columns/ragged-int32-column.js";
export { DatasetCardError } from "./data-files/dataset-card-error.js";
export { getDataPatterns } from "./data-files/get-data-patterns.js";
export { inferModule } from "./data-files/infer-module.js";
export { type DatasetCardConfig, readDatasetCard } from "./data-files/read-dataset-card.js";
export { resolvePattern } from "./data-files/resolve-pattern.js";
export { type DataFilesSpec, type SplitDataFiles, sanitizePatterns } from "./data-files/sanitize-patterns.js";
export { type Batch, type BatchOutput, type DataFrame, Dataset, type FilterOptions, type MapOptions, type Row, type ShuffleParams } from "./dataset.js";
export { DatasetDict } from "./dataset-dict.js";
export type { FeatureType } from "./features/feature-type.js";
export { Features } from "./features/features.js";
export { inferFeature } from "./features/infer-feature.js";
export { Sequence } from "./features/sequence.js";
export { Value } from "./features/value.js";
export {
  IterableDataset,
  type IterableDatasetDict,
  type IterableDatasetOptions,
  type IterableFilterOptions,
  type IterableMapOptions,
  type IterableShuffleParams,
  type IterBatchesOptions,
  type RowSource,
} from "./iterable-dataset.js";
export { type LoadDatasetOptions, loadDataset } from "./load-dataset.js";
export { loadStreamingDataset } from "./load-streaming-dataset.js";
export * from "./numpy-random/index.js";
export { castCsvColumn } from "./readers/cast-csv-column.js";
export { type DataFormat, FORMAT_EXTENSIONS, formatOfFile, SUPPORTED_EXTENSIONS } from "./readers/data-format.js";
export { hubByteSource } from "./readers/hub-byte-source.js";
export { type ReadCsvOptions, readCsv } from "./readers/read-csv.js";
export { type ReadDataFileOptions, readDataFile } from "./readers/read-data-file.js";
export { type ReadJsonOptions, readJson } from "./readers/read-json.js";
export { type ReadJsonLinesOptions, readJsonLines } from "./readers/read-json-lines.js";
export type { ByteSource, ReadOptions, ReadSummary } from "./readers/read-options.js";
export { type ReadParquetOptions, readParquet } from "./readers/read-parquet.js";
export { type ParquetFooter, readParquetMetadata } from "./readers/read-parquet-metadata.js";
export { type ResolveDataFilesParams, type ResolvedDataFiles, type ResolvedSplit, resolveDataFiles } from "./resolve-data-files.js";
export { type TrainTestSplitParams, trainTestSplit } from "./train-test-split.js";
export { type TrainTestSplitIndices, type TrainTestSplitIndicesParams, trainTestSplitIndices } from "./train-test-split-indices.js";
