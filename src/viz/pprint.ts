import { type PformatOptions, pformat } from "./pformat.js";

/** Python's `pprint.pprint(value)`: {@link pformat} on stdout. */
export function pprint(value: unknown, options: PformatOptions = {}): void {
  process.stdout.write(`${pformat(value, options)}\n`);
}
