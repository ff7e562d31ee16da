import { InvalidArgumentError as UsageError } from "commander";

/** Commander value parsers of `prepare`'s numeric flags: a UsageError (exit 2) for anything else. */
export const flagValues = {
  positiveInteger(value: string): number {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError("expected a whole number ≥ 1.");
    return n;
  },
  seed(value: string): number {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UsageError("expected a whole number ≥ 0.");
    return n;
  },
  workers(value: string): number | "auto" {
    if (value.trim() === "auto") return "auto";
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n > 64) throw new UsageError('expected "auto" or a whole number of threads from 0 to 64.');
    return n;
  },
  testSize(value: string): number {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError("expected a fraction in (0, 1) or a whole number of rows.");
    if (n >= 1 && !Number.isInteger(n)) throw new UsageError("expected a fraction in (0, 1) or a whole number of rows.");
    return n;
  },
};
