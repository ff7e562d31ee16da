import { RaggedInt32Column } from "../dataset/index.js";
import { createSplitWriter, type OutputFormat, type RowGroupEncoderFn, type SpillFile, type WrittenSplit } from "../io/index.js";
import { Packer, type PackReport } from "../prep/index.js";
import type { Progress } from "../util/progress.js";

export interface WriteSplitFromSpillParams {
  spill: SpillFile;
  /** The split's input rows, in the order they are written (the permutation's). */
  indices: readonly number[];
  outDir: string;
  /** Split name: the file is `outDir/<name>.<format>`. */
  name: string;
  format: OutputFormat;
  /** Pack into blocks of `blockSize` tokens with `separatorId` after each example (Packer). */
  pack?: { blockSize: number; separatorId: number };
  /** Rows read from the spill file and handed to the writer at a time: one Parquet row group. Default 10,000. */
  groupSize?: number;
  /** Counts the split's rows written (examples, before packing). */
  progress: Progress;
  /** Parquet: encode row groups on worker threads ({@link PreparePool.encode}); the file is the same. */
  encoder?: RowGroupEncoderFn;
}

export interface SplitFromSpill {
  written: WrittenSplit;
  /** Rows in the file (blocks when packed). */
  rows: number;
  /** Tokens in the file's input_ids. */
  tokens: number;
  packing?: PackReport;
}

/** Row groups at the end of a split encoded in this thread even when workers have room. */
const TAIL_HERE = 2;

const ones = (column: RaggedInt32Column) => new RaggedInt32Column(new Int32Array(column.values.length).fill(1), column.offsets);

/**
 * The last step of {@link preparePipeline}: writes one split in permutation order, a row group at a time:
 * each group's rows are gathered from the spill file (read in file order), given their
 * attention_mask (all ones) and labels (input_ids again when labels copy them), and written before
 * the next group is read. The writers write synchronously, so a group is on disk before the next is
 * read: memory holds one group.
 */
export async function writeSplitFromSpill(params: WriteSplitFromSpillParams): Promise<SplitFromSpill> {
  const { spill, indices, name } = params;
  const group = params.groupSize ?? 10_000;
  // The split's last row groups are encoded here: handed to a worker, this thread would only wait
  // for them (and for the groups queued before them) at the end of the split.
  const { encoder } = params;
  const handOff = Math.ceil(indices.length / group) - TAIL_HERE;
  let groups = 0;
  const writer = createSplitWriter(params.outDir, name, {
    format: params.format,
    rowGroupSize: group,
    ...(encoder === undefined ? {} : { encoder: (schema, columns, rowCount) => (groups++ < handOff ? encoder(schema, columns, rowCount) : undefined) }),
  });
  const packer = params.pack ? new Packer(params.pack) : undefined;
  const { progress } = params;
  let rows = 0;
  let tokens = 0;
  const write = async (batch: Map<string, string[] | RaggedInt32Column>, ids: RaggedInt32Column) => {
    await writer.write(batch);
    rows += ids.length;
    tokens += ids.values.length;
  };
  try {
    for (let start = 0; start < indices.length || (start === 0 && indices.length === 0); start += group) {
      const part = spill.read(indices.slice(start, start + group));
      const inputIds = part.ids.get("input_ids") as RaggedInt32Column;
      const labels = part.ids.get("labels") ?? inputIds;
      if (packer) {
        const blocks = packer.push(inputIds, labels);
        if (blocks.input_ids.length > 0 || indices.length === 0) {
          await write(
            new Map<string, RaggedInt32Column>([
              ["input_ids", blocks.input_ids],
              ["attention_mask", blocks.attention_mask],
              ["labels", blocks.labels],
            ]),
            blocks.input_ids,
          );
        }
      } else {
        const batch = new Map<string, string[] | RaggedInt32Column>(part.texts);
        batch.set("input_ids", inputIds);
        batch.set("attention_mask", ones(inputIds));
        batch.set("labels", labels);
        await write(batch, inputIds);
      }
      progress.increment(part.numRows);
      if (indices.length === 0) break;
      // The writers are synchronous: let progress displays (and anything else) run between groups.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const packing = packer?.finish();
    // A packed split whose every block came out empty still gets its columns (as an empty dataset does).
    if (packer && writer.rows === 0 && indices.length > 0) {
      const empty = new RaggedInt32Column(new Int32Array(0), new Uint32Array(1));
      await write(
        new Map([
          ["input_ids", empty],
          ["attention_mask", empty],
          ["labels", empty],
        ]),
        empty,
      );
    }
    const written = await writer.close();
    return { written, rows, tokens, ...(packing ? { packing } : {}) };
  } catch (e) {
    writer.abort();
    throw e;
  }
}
