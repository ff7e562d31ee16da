import { readFileSync } from "node:fs";

let version: string | undefined;

/** This package's version, from its package.json (two folders up from src/io and from dist/io alike). */
export function libraryVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  return version;
}
