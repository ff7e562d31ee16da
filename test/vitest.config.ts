import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("..", import.meta.url));

export default defineConfig({
  test: {
    root,
    include: ["test/**/*.test.ts"],
    // The test data (../shared when present, else the Hub's files downloaded once; reference data computed): test/helpers/test-data.ts.
    globalSetup: ["./test/helpers/global-setup.ts"],
    // A skipped test is a failing test here: `.skip`/`.todo` left in the suite fail CI.
    allowOnly: false,
    passWithNoTests: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: more forks only contend.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "./test/helpers/no-skips-reporter.ts"],
  },
});
