import { closeSync, fsyncSync, openSync, renameSync } from "node:fs";
import { basename, dirname } from "node:path";
import { OutputFileError } from "./output-file-error.js";
import { TempFile } from "./temp-file.js";

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
  readonly #temp: TempFile;
  #bytes = 0;

  constructor(path: string) {
    this.path = path;
    try {
      this.#temp = new TempFile({ dir: dirname(path), prefix: `.${basename(path)}.`, mode: 0o644 });
    } catch (e) {
      throw failure("create", (e as NodeJS.ErrnoException).path ?? path, e);
    }
  }

  /** The temp file being written. */
  get tempPath(): string {
    return this.#temp.path;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends bytes (or UTF-8 text). */
  write(data: Uint8Array | string): void {
    if (this.#temp.fd === undefined) throw new OutputFileError(`${this.path}: write after the file was committed or aborted.`, { file: this.path });
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    try {
      this.#temp.write(bytes);
    } catch (e) {
      throw failure("write", this.path, e);
    }
    this.#bytes += bytes.length;
  }

  /** Makes the file durable and puts it in place of the target. */
  commit(): void {
    if (this.#temp.fd === undefined) throw new OutputFileError(`${this.path}: commit after the file was committed or aborted.`, { file: this.path });
    try {
      this.#temp.syncAndClose();
      renameSync(this.#temp.path, this.path);
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
    this.#temp.discard();
  }
}
