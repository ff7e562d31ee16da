import { pyRepr } from "./py-repr.js";

/** Python's `str()`: a string as itself, anything else as its {@link pyRepr}. */
function pyStrOf(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

/**
 * Python's `print(*values)`: the values' `str()` joined by spaces, on stdout — so
 * `pyPrint("Using padding: ", enc.inputIds)` prints `Using padding:  [[12764, 13, ...]]`
 * exactly as the Python original does.
 */
export function pyPrint(...values: unknown[]): void {
  process.stdout.write(`${values.map(pyStrOf).join(" ")}\n`);
}
