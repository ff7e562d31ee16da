// Fuzzing the readers: random and mutated JSON Lines, JSON, CSV/TSV and Parquet bytes (fixed seeds, a
// fixed number of inputs) fed to readDataFile, each format's reader, a wrong format, and loadDataset.
// Every outcome must be rows or a typed error (a FinetunePrepError) — never another exception, a hang,
// a crash, or a touched Object.prototype. The inputs run in a child process (test/fixtures/reliability/
// fuzz-child.ts) watched from here: a hang is an input that produced no answer within the per-input
// limit, a crash the input the child was on when it died. Failing inputs are kept for reproduction.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { spawnTsChild } from "../helpers/ts-child.js";

const tmp = tempDir("ftp-fuzz-");
/** The primary bound: the same inputs on every run. */
const ITERATIONS = 2500;
const SEEDS = [1, 2, 3];
/** An input that gives no answer for this long hangs (a generous bound: inputs take milliseconds). */
const PER_INPUT_MS = 20_000;
/** A safety net for very slow machines: the child stops starting new inputs after it (and says how many ran). */
const BUDGET_MS = 90_000;

interface Outcome {
  i: number;
  kind: string;
  reader: string;
  outcome: string;
  ms: number;
  error?: string;
  input?: string;
}

interface FuzzRun {
  outcomes: Outcome[];
  ran: number;
  /** Set when the child hung or died. */
  failure?: string;
}

function fuzz(seed: number): Promise<FuzzRun> {
  const dir = tmp.path(`seed-${seed}`);
  mkdirSync(dir, { recursive: true });
  const child = spawnTsChild("test/fixtures/reliability/fuzz-child.ts", [], {
    // A bounded heap: an input that makes a reader allocate without limit crashes the child, not the machine.
    env: {
      FUZZ_SEED: String(seed),
      FUZZ_ITERATIONS: String(ITERATIONS),
      FUZZ_BUDGET_MS: String(BUDGET_MS),
      FUZZ_DIR: dir,
      NODE_OPTIONS: "--max-old-space-size=1024",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve) => {
    const run: FuzzRun = { outcomes: [], ran: -1 };
    let current: { i: number; kind: string; reader: string } | undefined;
    let buf = "";
    let stderr = "";
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        run.failure = `no answer for ${PER_INPUT_MS} ms on input ${JSON.stringify(current)} (seed ${seed}; the input is ${join(dir, `input.${current?.kind}`)}): a hang`;
        child.kill("SIGKILL");
      }, PER_INPUT_MS);
    };
    arm();
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
        const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        arm();
        if (msg.start) current = { i: msg.i as number, kind: msg.kind as string, reader: msg.reader as string };
        else if (msg.outcome !== undefined) run.outcomes.push(msg as unknown as Outcome);
        else if (msg.done) run.ran = msg.ran as number;
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(watchdog);
      if (run.failure === undefined && (code !== 0 || run.ran < 0)) {
        run.failure = `the child died (${signal ?? `exit ${code}`}) on input ${JSON.stringify(current)} (seed ${seed}; the input is ${join(dir, `input.${current?.kind}`)}): ${stderr.slice(-2000)}`;
      }
      resolve(run);
    });
  });
}

describe("fuzzing the readers (fixed seeds)", () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${ITERATIONS} mutated inputs, each giving rows or a typed error`, { timeout: BUDGET_MS + 60_000 }, async () => {
      const run = await fuzz(seed);
      expect(run.failure).toBeUndefined();
      if (run.ran < ITERATIONS) console.warn(`fuzz seed ${seed}: the time budget stopped it after ${run.ran} of ${ITERATIONS} inputs`);
      expect(run.outcomes).toHaveLength(run.ran);
      const bugs = run.outcomes.filter((o) => o.outcome === "bug");
      expect(bugs.slice(0, 10)).toEqual([]);
      // The mutations reach both ends: rows read, and typed errors, in every format.
      for (const kind of ["jsonl", "json", "csv", "tsv", "parquet"]) {
        const of = run.outcomes.filter((o) => o.kind === kind);
        expect(
          of.some((o) => o.outcome === "rows"),
          `${kind}: some inputs read`,
        ).toBe(true);
        expect(
          of.some((o) => o.outcome !== "rows"),
          `${kind}: some inputs refused`,
        ).toBe(true);
      }
    });
  }
});
