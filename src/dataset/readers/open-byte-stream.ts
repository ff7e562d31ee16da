import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { CorruptFileError, DataFileError, FinetunePrepError } from "../../errors.js";
import type { ByteSource } from "./read-options.js";

/** Whether the reader decompresses `file` (by its name): `.gz` only — node:zlib has it built in. */
export function isGzip(file: string): boolean {
  return file.toLowerCase().endsWith(".gz");
}

/**
 * The bytes of `file` (or of `source`, which `file` then names) as Buffers of up to 1 MiB, gunzipped
 * when the name ends in `.gz`. A missing file is a DataFileError naming it; a broken gzip stream a
 * CorruptFileError; a source's own errors (the network's) pass through as they are.
 */
export async function* openByteStream(file: string, source?: ByteSource): AsyncGenerator<Buffer> {
  if (source) {
    if (!isGzip(file)) {
      for await (const chunk of source.stream()) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      return;
    }
    const remote = Readable.from(source.stream(), { objectMode: false });
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    pipeline(remote, gunzip, () => {});
    try {
      yield* gunzip as AsyncIterable<Buffer>;
    } catch (e) {
      if (e instanceof FinetunePrepError) throw e;
      throw new CorruptFileError(`${file}: not a readable gzip file (${(e as Error).message}).`, { file, cause: e });
    } finally {
      remote.destroy();
      gunzip.destroy();
    }
    return;
  }
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new DataFileError(`${file}: not a file.`, { file });
  } catch (e) {
    if (e instanceof DataFileError) throw e;
    throw new DataFileError(`${file}: cannot open it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { file, cause: e });
  }
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  if (!isGzip(file)) {
    yield* raw as AsyncIterable<Buffer>;
    return;
  }
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  pipeline(raw, gunzip, () => {});
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (e) {
    throw new CorruptFileError(`${file}: not a readable gzip file (${(e as Error).message}).`, { file, cause: e });
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}
