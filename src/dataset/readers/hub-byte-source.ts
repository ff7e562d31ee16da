import type { AsyncBuffer } from "hyparquet";
import type { HubFile } from "../../hub/open-hub-file.js";
import type { ByteSource } from "./read-options.js";

/** Slices kept for reuse: a row group's column chunks are read twice (checked, then decoded). */
const MAX_CACHED_SLICES = 16;
const MAX_CACHED_BYTES = 64 << 20;

interface Piece {
  start: number;
  end: number;
  bytes: Promise<ArrayBuffer>;
}

/** Cached pieces that together hold every byte of `[start, stop)`, in order; undefined if some byte is missing. */
function cover(recent: readonly Piece[], start: number, stop: number): Piece[] | undefined {
  const out: Piece[] = [];
  let pos = start;
  while (pos < stop) {
    let best: Piece | undefined;
    for (const p of recent) if (p.start <= pos && p.end > pos && (best === undefined || p.end > best.end)) best = p;
    if (!best) return undefined;
    out.push(best);
    pos = best.end;
  }
  return out.length > 0 ? out : undefined;
}

/**
 * A Hub file opened with {@link openHubFile} as a reader's {@link ByteSource}: `stream()` reads it
 * from the first byte on, `asyncBuffer()` gives hyparquet random access by range requests. The
 * last few slices read are kept (bounded), and a slice they hold whole is served from them: the
 * Parquet reader checks a row group's column chunks before hyparquet decodes the same bytes (one
 * range over the adjacent chunks), and that must not cost a second request.
 */
export function hubByteSource(file: HubFile): ByteSource {
  return {
    stream: () => file.stream(0),
    asyncBuffer(): AsyncBuffer {
      const recent: Piece[] = [];
      let cachedBytes = 0;
      return {
        byteLength: file.size,
        slice(start: number, end?: number): Promise<ArrayBuffer> {
          const stop = end ?? file.size;
          const pieces = cover(recent, start, stop);
          if (pieces) {
            return Promise.all(pieces.map((p) => p.bytes)).then((parts) => {
              const out = new Uint8Array(stop - start);
              parts.forEach((b, k) => {
                const p = pieces[k]!;
                const from = Math.max(start, p.start);
                const to = Math.min(stop, p.end);
                out.set(new Uint8Array(b, from - p.start, to - from), from - start);
              });
              return out.buffer;
            });
          }
          const bytes = file
            .read(start, stop)
            .then((u) => (u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? (u.buffer as ArrayBuffer) : (u.slice().buffer as ArrayBuffer)));
          recent.push({ start, end: stop, bytes });
          cachedBytes += stop - start;
          while (recent.length > MAX_CACHED_SLICES || (cachedBytes > MAX_CACHED_BYTES && recent.length > 1)) {
            const old = recent.shift()!;
            cachedBytes -= old.end - old.start;
          }
          // A failed read is not kept: the next try asks again.
          bytes.catch(() => {
            const i = recent.findIndex((r) => r.bytes === bytes);
            if (i !== -1) {
              cachedBytes -= stop - start;
              recent.splice(i, 1);
            }
          });
          return bytes;
        },
      };
    },
  };
}
