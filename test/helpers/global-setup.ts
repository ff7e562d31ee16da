// Vitest's globalSetup (test/vitest.config.ts): lays out the test data once, before any test file
// runs (see test-data.ts), and records where it is for test/helpers/shared.ts.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir, TEST_DATA_ROOTS_FILE, testDataDir } from "./shared.js";
import { prepareTestData } from "./test-data.js";

export default async function setup(): Promise<void> {
  mkdirSync(testDataDir, { recursive: true });
  const roots = await prepareTestData({ sharedDir, outDir: testDataDir });
  const file = join(testDataDir, TEST_DATA_ROOTS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(roots, null, 2)}\n`);
  renameSync(tmp, file);
  if (roots.source === "hub") process.stderr.write(`Test data: no ${sharedDir}; the Hub's files are in ${roots["hf-home"]}, the reference data computed.\n`);
}
