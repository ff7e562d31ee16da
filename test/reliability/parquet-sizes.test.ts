// Parquet files whose declared sizes would make a reader allocate more than the file can hold:
// crafted here from small valid files (hyparquet-writer, DuckDB fixtures) with their page headers
// and footers rewritten (test/fixtures/reliability/rewrite-parquet.ts) — nothing big is committed.
// Each hostile file is read in a child process with a heap limit (--max-old-space-size=256) and a
// time limit; its peak RSS is checked too: it must be refused before the allocation, not survive it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FileMetaData } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataset, readDataFile } from "../../src/dataset/index.js";
import { CorruptFileError, RecordTooLargeError } from "../../src/errors.js";
import { type PageEdit, rewriteParquet } from "../fixtures/reliability/rewrite-parquet.js";
import { rejection } from "../helpers/failures.js";
import { repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { spawnTsChild } from "../helpers/ts-child.js";

const tmp = tempDir("ftp-parquet-sizes-");
const fixtures = join(repoRoot, "test", "fixtures", "reliability");
/** Peak RSS a refused read may reach: the child's baseline (node + vite-node) is about 150–250 MiB. */
const RSS_LIMIT_MIB = 600;

interface ChildOutcome {
  rows?: number;
  error?: string;
  message?: string;
  maxRssMiB?: number;
  killed?: boolean;
  code?: number | null;
}

function readInChild(file: string, maxRowGroupBytes?: number): Promise<ChildOutcome> {
  const child = spawnTsChild("test/fixtures/reliability/read-child.ts", [file], {
    env: { NODE_OPTIONS: "--max-old-space-size=256", ...(maxRowGroupBytes !== undefined ? { CHILD_MAX_ROW_GROUP_BYTES: String(maxRowGroupBytes) } : {}) },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  // A hang: no answer in 60 s (a refusal takes milliseconds, plus the child's start).
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve(out.trim() ? (JSON.parse(out.trim()) as ChildOutcome) : { killed: signal === "SIGKILL", code });
    }),
  );
}

/** 300 rows: "question" from 6 values (a dictionary page), "answer" all different (SNAPPY, one row group). */
function baseFile(rows = 300, rowGroupSize?: number): Uint8Array {
  const question = Array.from({ length: rows }, (_, i) => `Question ${i % 6}?`);
  const answer = Array.from({ length: rows }, (_, i) => `Answer number ${i}: ${"x".repeat(i % 40)}`);
  const buf = parquetWriteBuffer({
    columnData: [
      { name: "question", data: question },
      { name: "answer", data: answer },
    ],
    rowGroupSize: rowGroupSize ?? rows,
  });
  return new Uint8Array(buf);
}

function write(name: string, bytes: Uint8Array): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, bytes);
  return p;
}

const firstDataPage = (column: string) => (e: PageEdit) => e.column === column && e.header.type !== "DICTIONARY_PAGE";
/** Sets a column chunk's declared uncompressed size (the footer agreeing with a lying page). */
const setChunkUncompressed = (column: string, size: bigint) => (m: FileMetaData) => {
  for (const c of m.row_groups[0]!.columns) if (c.meta_data!.path_in_schema.join(".") === column) c.meta_data!.total_uncompressed_size = size;
};

/** A Zstandard page whose first frame header is rewritten to declare `content` bytes (a 4-byte content size field). */
function zstdDeclaring(data: Uint8Array, content: number): Uint8Array {
  expect(new DataView(data.buffer, data.byteOffset).getUint32(0, true)).toBe(0xfd2fb528);
  const flags = data[4]!;
  const single = (flags >> 5) & 1;
  const fcsFlag = flags >> 6;
  const dictBytes = [0, 1, 2, 4][flags & 3]!;
  const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
  const headerEnd = 5 + (single ? 0 : 1) + dictBytes;
  const fcs = new Uint8Array(4);
  new DataView(fcs.buffer).setUint32(0, content, true);
  const out = new Uint8Array(data.length - fcsBytes + 4);
  out.set(data.subarray(0, headerEnd));
  out[4] = (flags & 0x3f) | (2 << 6);
  out.set(fcs, headerEnd);
  out.set(data.subarray(headerEnd + fcsBytes), headerEnd + 4);
  return out;
}

describe("Parquet files declaring sizes they cannot hold: refused before any allocation", () => {
  let base: Uint8Array;
  beforeAll(() => {
    base = baseFile();
  });

  it("the rewriting tool alone changes nothing that is read", async () => {
    for (const [name, bytes] of [
      ["base", base],
      ["zstd", new Uint8Array(readFileSync(join(fixtures, "duckdb-v1-zstd.parquet")))],
    ] as const) {
      const rows = async (b: Uint8Array) => {
        const out: unknown[] = [];
        for await (const batch of readDataFile(write(`${name}-${out.length}-${Math.random()}.parquet`, b))) out.push(...batch);
        return out;
      };
      expect(await rows(rewriteParquet(bytes))).toEqual(await rows(bytes));
    }
  });

  const cases: { name: string; make: () => Uint8Array; error: string; fragments: string[] }[] = [
    {
      name: "a snappy page declaring 1.5 GB uncompressed, the footer agreeing",
      make: () =>
        rewriteParquet(base, {
          page: (e) => {
            if (firstDataPage("answer")(e)) e.header.uncompressed_page_size = 1_500_000_000;
          },
          footer: setChunkUncompressed("answer", 1_500_000_000n),
        }),
      error: "RecordTooLargeError",
      fragments: ["row group 0 holds 300 rows", "more than the 256 MiB a row group may take (maxRowGroupBytes)", "row_group_size=", "ROW_GROUP_SIZE"],
    },
    {
      name: "a snappy page declaring 1.5 GB uncompressed, the footer not",
      make: () =>
        rewriteParquet(base, {
          page: (e) => {
            if (firstDataPage("answer")(e)) e.header.uncompressed_page_size = 1_500_000_000;
          },
        }),
      error: "CorruptFileError",
      fragments: [
        'row group 0, column "answer": a page of',
        "(SNAPPY) that declares 1500000000 bytes uncompressed, more than SNAPPY can expand it to",
        "the file is corrupt",
      ],
    },
    {
      name: "a dictionary page declaring a billion values",
      make: () =>
        rewriteParquet(base, {
          page: (e) => {
            if (e.header.type === "DICTIONARY_PAGE") e.header.dictionary_page_header!.num_values = 1_000_000_000;
          },
        }),
      error: "CorruptFileError",
      fragments: ['row group 0, column "question": a dictionary page of', "that declares 1000000000 values"],
    },
    {
      name: "a column chunk declaring more bytes than the file",
      make: () =>
        rewriteParquet(base, {
          footer: (m) => {
            m.row_groups[0]!.columns[1]!.meta_data!.total_compressed_size = 10_000_000_000n;
          },
        }),
      error: "CorruptFileError",
      fragments: ['row group 0: column "answer" declares 10000000000 bytes, more than the whole file'],
    },
    {
      name: "a row group declaring a billion rows",
      make: () =>
        rewriteParquet(base, {
          footer: (m) => {
            m.num_rows = 1_000_000_000n;
            m.row_groups[0]!.num_rows = 1_000_000_000n;
          },
        }),
      error: "RecordTooLargeError",
      fragments: ["row group 0 holds 1,000,000,000 rows", "more than the 256 MiB"],
    },
    {
      name: "a Zstandard frame declaring 3 GB of content in a small page",
      make: () =>
        rewriteParquet(new Uint8Array(readFileSync(join(fixtures, "duckdb-v1-zstd.parquet"))), {
          page: (e) => (firstDataPage("question")(e) ? zstdDeclaring(e.data, 3_000_000_000) : undefined),
        }),
      error: "CorruptFileError",
      fragments: ['column "question": Zstandard frames that declare 3000000000 bytes, more than the page\'s'],
    },
    {
      name: "Zstandard pages declaring 300 MB (no ratio bounds zstd), the footer not",
      make: () =>
        rewriteParquet(new Uint8Array(readFileSync(join(fixtures, "duckdb-v1-zstd.parquet"))), {
          page: (e) => {
            if (firstDataPage("question")(e)) e.header.uncompressed_page_size = 300_000_000;
          },
        }),
      error: "CorruptFileError",
      fragments: ["pages that declare", "more than the row group's memory budget of 268435456 bytes (maxRowGroupBytes) and than its footer declares"],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.error}, within the heap and time limits`, async () => {
      const file = write(`${c.name.replace(/\W+/g, "-")}.parquet`, c.make());
      const outcome = await readInChild(file);
      expect(outcome).toMatchObject({ error: c.error });
      for (const f of c.fragments) expect(outcome.message).toContain(f);
      expect(outcome.message).toContain(file);
      expect(outcome.maxRssMiB).toBeLessThan(RSS_LIMIT_MIB);
    });
  }
});

describe("a row group larger than the memory budget (maxRowGroupBytes)", () => {
  it("is refused from its footer, naming the limit and how to rewrite the file; smaller row groups read under the same limit", async () => {
    const rows = 3000;
    const one = write("one-group.parquet", baseFile(rows));
    const small = write("small-groups.parquet", baseFile(rows, 500));
    const limit = 64 * 1024;
    const e = await rejection(loadDataset(one, { split: "train", maxRowGroupBytes: limit, progress: false }));
    expect(e).toBeInstanceOf(RecordTooLargeError);
    expect(e.message).toContain(`${one}: row group 0 holds 3,000 rows`);
    expect(e.message).toContain("more than the 64 KiB a row group may take (maxRowGroupBytes)");
    expect(e.message).toContain("pq.write_table(pq.read_table(src), dst, row_group_size=100_000)");
    expect(e.message).toContain("(FORMAT parquet, ROW_GROUP_SIZE 100000)");
    const ds = await loadDataset(small, { split: "train", maxRowGroupBytes: limit, progress: false });
    expect(ds.numRows).toBe(rows);
    // The default budget reads the one big group.
    expect((await loadDataset(one, { split: "train", progress: false })).numRows).toBe(rows);
  });

  it("in a child with a heap limit: the refusal costs no memory", async () => {
    const file = write("one-group-child.parquet", baseFile(3000));
    const outcome = await readInChild(file, 64 * 1024);
    expect(outcome).toMatchObject({ error: "RecordTooLargeError" });
    expect(outcome.maxRssMiB).toBeLessThan(RSS_LIMIT_MIB);
  });

  it("a footer with sizes that are not whole numbers is a CorruptFileError", async () => {
    const file = write(
      "negative-size.parquet",
      rewriteParquet(baseFile(), {
        footer: (m) => {
          m.row_groups[0]!.columns[0]!.meta_data!.total_uncompressed_size = -5n;
        },
      }),
    );
    const e = await rejection(loadDataset(file, { split: "train", progress: false }));
    expect(e).toBeInstanceOf(CorruptFileError);
    expect(e.message).toContain(`${file}: row group 0: column "question" declares sizes of`);
  });
});
