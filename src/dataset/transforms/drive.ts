/** A value, or a promise of it: what map and filter return for sync or async functions. */
export type MaybePromise<T> = T | Promise<T>;

export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}

/**
 * Runs `step(0) … step(count - 1)` and then `finish`, synchronously while every step returns a plain
 * value; from the first step that returns a promise on, the rest run awaited and the result is a promise.
 * `stop` runs once either way (also on error).
 */
export function drive<R>(
  count: number,
  step: (i: number) => unknown,
  handle: (result: unknown, i: number) => void,
  finish: () => R,
  stop: () => void,
): MaybePromise<R> {
  let async = false;
  try {
    for (let i = 0; i < count; i++) {
      const r = step(i);
      if (isThenable(r)) {
        async = true;
        return (async () => {
          try {
            handle(await r, i);
            for (let j = i + 1; j < count; j++) handle(await step(j), j);
            return finish();
          } finally {
            stop();
          }
        })();
      }
      handle(r, i);
    }
    return finish();
  } finally {
    if (!async) stop();
  }
}
