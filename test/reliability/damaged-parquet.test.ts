// Parquet damage that hyparquet alone turns into an endless loop or a process abort (found by the
// fuzz test; test/fixtures/reliability/damaged/README.md) must be a CorruptFileError. Each file is
// read in a child process so that a regression fails the test instead of hanging or killing it.
import { join } from "node:path";
import type { FileMetaData } from "hyparquet";
import { describe, expect, it } from "vitest";
import { checkParquetSchema } from "../../src/dataset/readers/check-parquet-schema.js";
import { CorruptFileError } from "../../src/errors.js";
import { thrown } from "../helpers/failures.js";
import { repoRoot } from "../helpers/shared.js";
import { spawnTsChild } from "../helpers/ts-child.js";

const damaged = join(repoRoot, "test", "fixtures", "reliability", "damaged");

function readInChild(file: string): Promise<{ error?: string; message?: string; rows?: number; killed?: boolean; code?: number | null }> {
  const child = spawnTsChild("test/fixtures/reliability/read-child.ts", [file], {
    env: { NODE_OPTIONS: "--max-old-space-size=512" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  // A hang: no answer in 30 s (the read takes milliseconds).
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) =>
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve(out.trim() ? JSON.parse(out.trim()) : { killed: signal === "SIGKILL", code });
    }),
  );
}

describe("Parquet damage that hyparquet alone does not survive", () => {
  for (const [name, fragment] of [
    ["v2-header-missing-fields.parquet", 'row group 2, column "n": a data page (v2) header without its required fields at byte 387; the file is corrupt.'],
    [
      "rle-run-overflow.parquet",
      'row group 0, column "ids.list.element": the definition levels hold a run of 118365240 values where the page has 104 left; the file is corrupt.',
    ],
    ["negative-num-children.parquet", "the schema in the file's footer is damaged (element 7 claims -3 children); the file is corrupt."],
  ] as const) {
    it(`${name}: a CorruptFileError naming the file and the damage`, async () => {
      const file = join(damaged, name);
      const outcome = await readInChild(file);
      expect(outcome).toMatchObject({ error: "CorruptFileError" });
      expect(outcome.message).toContain(`${file}: ${fragment}`);
    });
  }
});

describe("checkParquetSchema", () => {
  const meta = (counts: (number | undefined)[]) => ({ schema: counts.map((n, i) => ({ name: `c${i}`, num_children: n })) }) as unknown as FileMetaData;

  it("accepts well-formed trees", () => {
    for (const counts of [[0], [2, undefined, undefined], [2, 1, undefined, 2, undefined, undefined], [1, 1, 1, undefined]]) {
      expect(() => checkParquetSchema("f.parquet", meta(counts))).not.toThrow();
    }
  });

  it("refuses negative, fractional, too large or too small child counts", () => {
    for (const counts of [
      [-1, undefined],
      [2, -3, undefined],
      [1.5, undefined],
      [3, undefined, undefined],
      [1, undefined, undefined],
      [2, 2, undefined, undefined],
      [],
    ]) {
      const e = thrown(() => checkParquetSchema("f.parquet", meta(counts)));
      expect(e, JSON.stringify(counts)).toBeInstanceOf(CorruptFileError);
      expect(e.message).toMatch(/^f\.parquet: the schema in the file's footer is damaged \(/);
    }
  });
});
