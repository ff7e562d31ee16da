import { createHash, type Hash, randomBytes } from "node:crypto";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { DownloadIntegrityError, FinetunePrepError } from "../errors.js";
import { createProgress } from "../util/progress.js";
import { removeStaleTempFiles } from "../util/remove-stale-temp-files.js";
import { displayUrl, networkError } from "./hub-error-from-response.js";
import { backoffDelay, type HubFetchOptions, hubFetch, isRetryableError } from "./hub-fetch.js";

export interface HttpGetParams extends HubFetchOptions {
  /** Where the bytes are (the CDN location from the HEAD, or the resolve URL). */
  url: string;
  /** The final blob path, `<cache>/<repo folder>/blobs/<etag>`. Written only once verified. */
  blobPath: string;
  /** The normalized ETag: a sha256 (LFS) or git blob sha1 (regular file) the bytes must hash to. */
  etag: string;
  /** Bytes expected (X-Linked-Size / Content-Length of the HEAD). */
  size: number;
}

/**
 * The digest an ETag promises, as the Hub computes it: sha256 of the bytes for LFS files (64 hex),
 * the git blob id sha1("blob <size>\0" + bytes) for files stored in git (40 hex). Other ETags
 * (none seen from the Hub) are checked by size only.
 */
function etagHasher(etag: string, size: number): Hash | undefined {
  if (/^[0-9a-f]{64}$/.test(etag)) return createHash("sha256");
  if (/^[0-9a-f]{40}$/.test(etag)) return createHash("sha1").update(`blob ${size}\0`);
  return undefined;
}

/** Bytes that do not match the HEAD's size or ETag (retried, then a DownloadIntegrityError). */
class Mismatch extends Error {}

/** Writing the temp file failed (disk full, permissions). */
class LocalWriteError extends Error {
  constructor(readonly ioError: unknown) {
    super("local write failed");
  }
}

/** Whether a 206 answer continues exactly where the partial file ends. */
export function resumesAt(resp: Response, offset: number): boolean {
  const m = /^bytes (\d+)-/.exec(resp.headers.get("Content-Range") ?? "");
  return resp.status === 206 && m !== null && Number(m[1]) === offset;
}

/**
 * Python's `http_get` + `_download_to_tmp_and_move`, hardened: the bytes go to a temp file beside
 * the blob, are checked against the size and the ETag's hash, and only then renamed to
 * `blobs/<etag>` (rename is atomic: the cache never shows a partial or corrupt blob).
 *
 * We do not use @huggingface/hub's downloadFileToCacheDir: it neither verifies size nor hash,
 * nor retries, nor resumes, and it names snapshots by the file's last commit instead of the
 * commit the revision resolves to (so `refs/main` would not match Python's layout).
 *
 * Concurrency: the temp name is unique to this call (pid + random), not Python's fixed
 * `<etag>.incomplete` guarded by a `.locks/…/<etag>.lock` flock — Node has no flock, a lock file
 * made with O_EXCL is invisible to Python's filelock anyway and, left behind by a killed process,
 * would block every later run. Blobs are content-addressed and verified, so when two processes
 * (ours or Python's) race, each renames identical bytes into place: the last rename wins and the
 * blob is whole at every instant. The price is a duplicate download in that rare race.
 * A process killed mid-download leaves its temp file, never a blob; the next download of that
 * blob removes such files once their process is gone.
 *
 * Retries: a connection lost mid-body resumes with a Range request from the bytes already
 * written; 429/5xx and network errors back off and retry; a body that ends short or hashes wrong
 * is discarded and fetched again; after `settings.retry.maxAttempts` attempts the last error is
 * thrown (DownloadIntegrityError for bad bytes). The temp file is removed on every failure.
 */
export async function httpGet(params: HttpGetParams): Promise<void> {
  const { url, blobPath, etag, size, settings, target } = params;
  const label = target.path ?? blobPath;
  const tmp = `${blobPath}.${process.pid}-${randomBytes(6).toString("hex")}.incomplete`;
  // What a killed download of this blob left (its process is gone) will never be finished: remove it.
  removeStaleTempFiles({ dir: dirname(blobPath), prefix: `${basename(blobPath)}.`, suffix: ".incomplete" });
  const progress = createProgress({ total: size, label: `Downloading ${label}`, unit: "B", progress: settings.progress });
  const file: FileHandle = await open(tmp, "wx");
  let fh: FileHandle | undefined = file;
  let written = 0;
  let hasher = etagHasher(etag, size);
  const restart = async () => {
    await file.truncate(0);
    written = 0;
    hasher = etagHasher(etag, size);
    progress.update(0);
  };
  const integrity = (what: string) => new Mismatch(what);
  let lastError: unknown;
  try {
    for (let attempt = 1; attempt <= settings.retry.maxAttempts; attempt++) {
      if (attempt > 1) await backoffDelay(settings, attempt - 1);
      try {
        const headers: Record<string, string> = { "Accept-Encoding": "identity" };
        if (written > 0) headers.Range = `bytes=${written}-`;
        const resp = await hubFetch(url, { method: "GET", headers }, { settings, target, retry: false });
        if (resp.status === 206 && !resumesAt(resp, written)) {
          await resp.body?.cancel().catch(() => {});
          throw integrity(`a partial answer (${resp.headers.get("Content-Range") ?? "no Content-Range"}) where bytes ${written}- were asked`);
        }
        // A server that ignores Range answers 200 with the whole file: start over rather than append.
        if (resp.status !== 206 && written > 0) await restart();
        // No body at all is an empty file (checked against the size and hash below like any other).
        for await (const chunk of (resp.body ?? []) as unknown as AsyncIterable<Uint8Array>) {
          if (written + chunk.length > size) throw integrity(`more than the ${size} bytes announced`);
          try {
            await file.write(chunk, 0, chunk.length, written);
          } catch (ioError) {
            throw new LocalWriteError(ioError);
          }
          hasher?.update(chunk);
          written += chunk.length;
          progress.update(written);
        }
        if (written !== size) throw integrity(`${size} bytes announced, ${written} received`);
        const digest = hasher?.digest("hex");
        if (digest !== undefined && digest !== etag) throw integrity(`the content hashes to ${digest}, the ETag is ${etag}`);
        fh = undefined;
        await file.close();
        await rename(tmp, blobPath);
        return;
      } catch (e) {
        // A full disk or a permission problem is not the network's fault: no retry.
        if (e instanceof LocalWriteError) throw e.ioError;
        if (e instanceof Mismatch) {
          lastError = e;
          await restart();
        } else if (e instanceof FinetunePrepError) {
          if (!isRetryableError(e)) throw e;
          lastError = e;
        } else {
          // The connection broke mid-body (reset, premature close, stall): resume from `written`.
          lastError = networkError(e, url, { settings, target });
        }
      }
    }
    if (lastError instanceof Mismatch) {
      throw new DownloadIntegrityError(
        `The download of ${label} from ${displayUrl(url)} does not match what the Hub announced: ${lastError.message} ` +
          `(attempt ${settings.retry.maxAttempts} of ${settings.retry.maxAttempts}). Nothing was cached.`,
        { repoId: target.repoId, file: label, hint: "This is usually a network problem (or a proxy altering files): run again later." },
      );
    }
    throw lastError;
  } finally {
    progress.stop();
    await fh?.close().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
  }
}
