import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeEach } from "vitest";

/** A temp folder: `path` joins a name to it, `write` creates a file (and its folders) in it. */
export interface TempDir {
  readonly dir: string;
  path(rel: string): string;
  write(rel: string, content: string | Uint8Array): string;
}

function tempDirAt(dirOf: () => string): TempDir {
  return {
    get dir() {
      return dirOf();
    },
    path: (rel) => join(dirOf(), rel),
    write(rel, content) {
      const p = join(dirOf(), rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
      return p;
    },
  };
}

/** One temp folder for the whole test file: made now, removed after the file's tests. */
export function tempDir(prefix = "ftp-test-"): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return tempDirAt(() => dir);
}

/** A fresh temp folder for each test: made before it, removed after it (`dir` is the current test's). */
export function tempDirPerTest(prefix = "ftp-test-"): TempDir {
  let dir: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return tempDirAt(() => {
    if (dir === undefined) throw new Error("tempDirPerTest: the folder exists only while a test runs (beforeEach → afterEach).");
    return dir;
  });
}
