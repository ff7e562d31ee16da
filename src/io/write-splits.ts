import type { DatasetDict } from "../dataset/index.js";
import { createProgress } from "../util/progress.js";
import { type CreateSplitWriterOptions, createSplitWriter } from "./create-split-writer.js";
import type { WrittenSplit } from "./split-writer.js";

export interface WriteSplitsOptions extends CreateSplitWriterOptions {
  /** Rows handed to the writer at a time. Default 10,000. */
  batchSize?: number;
  /** Show progress (a bar on a terminal, a display in a notebook). Default true. */
  progress?: boolean;
}

/**
 * Writes every split of a DatasetDict to `outDir`, one file per split named after it
 * (`train.parquet`, `test.parquet`, or `.jsonl`), each atomically. Returns what was written, by split.
 */
export async function writeSplits(splits: DatasetDict, outDir: string, options: WriteSplitsOptions = {}): Promise<Record<string, WrittenSplit>> {
  const out: Record<string, WrittenSplit> = {};
  const step = options.batchSize ?? 10_000;
  for (const [name, ds] of splits) {
    const writer = createSplitWriter(outDir, name, options);
    const progress = createProgress({ total: ds.numRows, label: `Writing ${name}`, unit: "rows", progress: options.progress });
    try {
      if (ds.numRows === 0) await writer.write(ds);
      for (let start = 0; start < ds.numRows; start += step) {
        const end = Math.min(ds.numRows, start + step);
        await writer.write(start === 0 && end === ds.numRows ? ds : ds.select(Array.from({ length: end - start }, (_, j) => start + j)));
        progress.increment(end - start);
      }
      out[name] = await writer.close();
    } catch (e) {
      writer.abort();
      throw e;
    } finally {
      progress.stop();
    }
  }
  return out;
}
