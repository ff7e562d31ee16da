// Errors crossing threads (the pipeline's workers): structured clone alone keeps neither an error's
// class nor its fields; serializeError/reviveError keep both, and the cause chain.
import { describe, expect, it } from "vitest";
import { ColumnTypeError, FinetunePrepError, HubUnreachableError, TemplateError } from "../../src/errors.js";
import { reviveError, serializeError } from "../../src/pipeline/thread-error.js";
import { EncoderWorkerError } from "../../src/tokenizer/index.js";

/** Through a real structured clone, as postMessage does it. */
const across = (e: unknown) => reviveError(structuredClone(serializeError(e)));

describe("serializeError / reviveError", () => {
  it("keeps the class, message, fields and stack of the package's errors", () => {
    const original = new ColumnTypeError('Row 9876, column "answer": expected text, found null.', {
      row: 9876,
      column: "answer",
      hint: "Fill or drop such rows.",
    });
    // What structured clone alone gives: a plain Error, no fields.
    const plain = structuredClone(original) as Error & { row?: number };
    expect(plain).not.toBeInstanceOf(ColumnTypeError);
    expect(plain.row).toBeUndefined();
    const back = across(original) as ColumnTypeError;
    expect(back).toBeInstanceOf(ColumnTypeError);
    expect(back).toBeInstanceOf(FinetunePrepError);
    expect(back.name).toBe("ColumnTypeError");
    expect(back.message).toBe(original.message);
    expect(back.row).toBe(9876);
    expect(back.column).toBe("answer");
    expect(back.hint).toBe("Fill or drop such rows.");
    expect(back.code).toBe(original.code);
    expect(back.stack).toBe(original.stack);
    expect(Object.keys(back).sort()).toEqual(Object.keys(original).sort());
    expect(String(back)).toBe(String(original));
  });

  it("keeps the cause chain, errors from other modules, native errors, and non-errors", () => {
    const cause = new TypeError("boom");
    const outer = new TemplateError("The chat template failed at line 3.", { cause });
    const back = across(outer);
    expect(back).toBeInstanceOf(TemplateError);
    expect(back.cause).toBeInstanceOf(TypeError);
    expect((back.cause as Error).message).toBe("boom");
    expect(across(new EncoderWorkerError("worker died"))).toBeInstanceOf(EncoderWorkerError);
    const hub = across(new HubUnreachableError("Hub unreachable", { repoId: "a/b", reason: "DNS" })) as HubUnreachableError;
    expect(hub.reason).toBe("DNS");
    expect(hub).toBeInstanceOf(HubUnreachableError);
    const odd = across("a thrown string");
    expect(odd).toBeInstanceOf(Error);
    expect(odd.message).toBe("a thrown string");
    // A class this package does not know: an Error with the same name and message.
    class Custom extends Error {
      override name = "Custom";
    }
    const custom = across(new Custom("custom message"));
    expect(custom).toBeInstanceOf(Error);
    expect(custom.name).toBe("Custom");
    expect(custom.message).toBe("custom message");
    // A field that cannot be cloned is left out rather than failing the error's transport.
    const withFn = Object.assign(new FinetunePrepError("has a function"), { callback: () => 1 });
    expect(across(withFn).message).toBe("has a function");
  });
});
