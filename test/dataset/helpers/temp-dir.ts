import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";

/** A fresh temp folder removed after the test file; `write` creates files (and their folders) in it. */
export function tempDir(prefix = "ftp-dataset-"): { dir: string; write: (rel: string, content: string | Uint8Array) => string; path: (rel: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    path: (rel) => join(dir, rel),
    write(rel, content) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
  };
}

/** Drains a reader: all rows, the batches' sizes and the summary it returns. */
export async function drain<T, R>(gen: AsyncGenerator<T[], R, undefined>): Promise<{ rows: T[]; batches: number[]; summary: R }> {
  const rows: T[] = [];
  const batches: number[] = [];
  let next = await gen.next();
  while (!next.done) {
    rows.push(...next.value);
    batches.push(next.value.length);
    next = await gen.next();
  }
  return { rows, batches, summary: next.value };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the promise to reject, it resolved");
}

/** The error a function throws (fails the test if it returns). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the function to throw, it returned");
}
