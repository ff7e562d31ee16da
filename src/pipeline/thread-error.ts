import * as errors from "../errors.js";
import { EncoderWorkerError } from "../tokenizer/index.js";

/** An error as it crosses between threads: its class, and its own properties as they were. */
export interface ThreadError {
  /** The constructor's name, to give the error back its class ({@link reviveError}). */
  className: string;
  /** Own properties (message, stack, name, code, row, column, hint, ...) with their enumerability. */
  props: { key: string; value: unknown; enumerable: boolean }[];
  cause?: ThreadError | { value: unknown };
}

/** The package's error classes, by name: an error from another thread is one of these again. */
const CLASSES = new Map<string, new (...args: never[]) => Error>(
  [...Object.values(errors), EncoderWorkerError, Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError].flatMap((value) =>
    typeof value === "function" && (value === Error || value.prototype instanceof Error)
      ? [[value.name, value as new (...args: never[]) => Error] as const]
      : [],
  ),
);

const cloneable = (value: unknown): boolean => {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
};

/** `e` as it can be posted to another thread (structured clone keeps neither the class nor the fields of an error). */
export function serializeError(e: unknown): ThreadError {
  if (!(e instanceof Error)) return { className: "Error", props: [{ key: "message", value: String(e), enumerable: false }] };
  const props: ThreadError["props"] = [];
  let cause: ThreadError["cause"];
  for (const key of Object.getOwnPropertyNames(e)) {
    const descriptor = Object.getOwnPropertyDescriptor(e, key)!;
    if (key === "cause") {
      cause = descriptor.value instanceof Error ? serializeError(descriptor.value) : cloneable(descriptor.value) ? { value: descriptor.value } : undefined;
      continue;
    }
    if ("value" in descriptor && cloneable(descriptor.value)) props.push({ key, value: descriptor.value, enumerable: descriptor.enumerable ?? false });
  }
  return { className: e.constructor.name, props, ...(cause === undefined ? {} : { cause }) };
}

/** The error {@link serializeError} was given, with its class (when it is one of the package's) and its fields. */
export function reviveError(t: ThreadError): Error {
  const cls = CLASSES.get(t.className);
  const error: Error = cls ? Object.create(cls.prototype) : new Error();
  for (const { key, value, enumerable } of t.props) Object.defineProperty(error, key, { value, enumerable, writable: true, configurable: true });
  if (t.cause !== undefined) {
    const cause = "className" in t.cause ? reviveError(t.cause) : t.cause.value;
    Object.defineProperty(error, "cause", { value: cause, enumerable: false, writable: true, configurable: true });
  }
  return error;
}
