import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { removeStaleTempFiles } from "../util/remove-stale-temp-files.js";
import { OutputFileError } from "./output-file-error.js";

function failure(action: string, path: string, e: unknown): OutputFileError {
  const err = e as NodeJS.ErrnoException;
  const hint =
    err.code === "ENOSPC"
      ? "The disk is full: free some space or write elsewhere (--out)."
      : err.code === "EACCES" || err.code === "EPERM" || err.code === "EROFS"
        ? "No permission to write there: choose another output folder (--out)."
        : err.code === "ENOENT"
          ? "The output folder does not exist (or was removed while writing)."
          : undefined;
  return new OutputFileError(`Cannot ${action} ${path}: ${err.message ?? String(e)}`, { file: path, cause: e, ...(hint ? { hint } : {}) });
}

/**
 * A file written all or nothing: the bytes go to a temp file in the same folder
 * (`.train.parquet.<pid>.<random>.tmp`), which on {@link commit} is fsynced and renamed over the
 * target (rename is atomic within a file system), then the folder is fsynced so the rename itself
 * survives a crash. Until then the target is untouched: a process killed mid-write (even SIGKILL)
 * leaves the previous file, or none, plus at most a stray `.tmp` — which the next AtomicFile for the
 * same target removes (its writer's pid is gone). {@link abort} removes the temp file.
 */
export class AtomicFile {
  /** The file this becomes on commit. */
  readonly path: string;
  /** The temp file being written. */
  readonly tempPath: string;
  #fd: number | undefined;
  #bytes = 0;

  constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    removeStaleTempFiles({ dir: dirname(path), prefix: `.${basename(path)}.`, suffix: ".tmp" });
    try {
      this.#fd = openSync(this.tempPath, "wx", 0o644);
    } catch (e) {
      throw failure("create", this.tempPath, e);
    }
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends bytes (or UTF-8 text). */
  write(data: Uint8Array | string): void {
    if (this.#fd === undefined) throw new OutputFileError(`${this.path}: write after the file was committed or aborted.`, { file: this.path });
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done);
    } catch (e) {
      throw failure("write", this.path, e);
    }
    this.#bytes += bytes.length;
  }

  /** Makes the file durable and puts it in place of the target. */
  commit(): void {
    const fd = this.#fd;
    if (fd === undefined) throw new OutputFileError(`${this.path}: commit after the file was committed or aborted.`, { file: this.path });
    try {
      fsyncSync(fd);
      closeSync(fd);
      this.#fd = undefined;
      renameSync(this.tempPath, this.path);
    } catch (e) {
      this.abort();
      throw failure("write", this.path, e);
    }
    try {
      const dir = openSync(dirname(this.path), "r");
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch {
      // Some file systems cannot fsync a folder; the file itself is durable already.
    }
  }

  /** Drops what was written: closes and removes the temp file. Safe to call more than once. */
  abort(): void {
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // Already closed or invalid: nothing more to do.
      }
      this.#fd = undefined;
    }
    try {
      unlinkSync(this.tempPath);
    } catch {
      // Gone already (committed, or never created).
    }
  }
}
