import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "../errors.js";

/** `@path` reads a template from a file (its content exactly); `@@…` is a literal "@…". */
export function readTemplateArgument(value: string): string {
  if (value.startsWith("@@")) return value.slice(1);
  if (!value.startsWith("@")) return value;
  const file = value.slice(1);
  try {
    return readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    throw new InvalidArgumentError("template", value, `Cannot read the template file ${file}: ${(e as Error).message}`, {
      file,
      cause: e,
      hint: 'A template starting with "@" is read from that file; write "@@" for a template that starts with a literal "@".',
    });
  }
}
