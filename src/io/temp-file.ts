import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { removeStaleTempFiles } from "../util/remove-stale-temp-files.js";

export interface TempFileParams {
  /** The folder to create it in. */
  dir: string;
  /** What its name starts with: the name is `<prefix><pid>.<random hex>.tmp`. */
  prefix: string;
  /** Permissions of the new file. */
  mode: number;
  /** Open it for reading as well as writing. Default false. */
  readable?: boolean;
}

/**
 * A temp file of this process, created exclusively in `dir` as `<prefix><pid>.<random hex>.tmp`: the
 * pid and random hex keep concurrent writers apart, and the pid lets the next TempFile with the same
 * prefix remove one that a killed process left ({@link removeStaleTempFiles}, run first). Errors are
 * the file system's own: the owner (AtomicFile, SpillFile) says what failed and what to do.
 */
export class TempFile {
  readonly path: string;
  #fd: number | undefined;

  constructor(params: TempFileParams) {
    const { dir, prefix } = params;
    this.path = join(dir, `${prefix}${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    removeStaleTempFiles({ dir, prefix, suffix: ".tmp" });
    this.#fd = openSync(this.path, params.readable ? "wx+" : "wx", params.mode);
  }

  /** The open file descriptor; undefined once closed or discarded. */
  get fd(): number | undefined {
    return this.#fd;
  }

  /** Appends all of `bytes`. */
  write(bytes: Uint8Array): void {
    const fd = this.#fd;
    if (fd === undefined) throw new Error(`${this.path} is closed.`);
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  }

  /** Flushes the file to disk and closes it (the path stays, for a rename). */
  syncAndClose(): void {
    const fd = this.#fd;
    if (fd === undefined) throw new Error(`${this.path} is closed.`);
    fsyncSync(fd);
    closeSync(fd);
    this.#fd = undefined;
  }

  /** Closes the file if open and deletes it. Never throws; safe to call more than once. */
  discard(): void {
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // Already closed or invalid: nothing more to do.
      }
      this.#fd = undefined;
    }
    try {
      unlinkSync(this.path);
    } catch {
      // Gone already (renamed into place, or removed).
    }
  }
}
