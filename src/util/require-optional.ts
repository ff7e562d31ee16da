import { createRequire } from "node:module";
import { MissingDependencyError } from "../errors.js";

const require = createRequire(import.meta.url);

/** Whether `error` says that `id` itself (not one of its own imports) could not be found. */
function isNotFound(error: unknown, id: string): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e?.code === "MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.includes(`'${id}'`);
}

/**
 * Loads an optional peer dependency on first use (`id` is the package or a path inside it), or
 * throws a MissingDependencyError naming the package, what needs it and the command that installs it.
 * Resolved from this package's location, so a copy the user installed beside finetune-prep is found.
 */
export function requireOptional<T>(id: string, neededFor: string): T {
  try {
    return require(id) as T;
  } catch (e) {
    throw missing(e, id, neededFor);
  }
}

/** The path `require.resolve(id)` gives, with the same error as {@link requireOptional} when the package is absent. */
export function resolveOptional(id: string, neededFor: string): string {
  try {
    return require.resolve(id);
  } catch (e) {
    throw missing(e, id, neededFor);
  }
}

function missing(e: unknown, id: string, neededFor: string): unknown {
  if (!isNotFound(e, id)) return e;
  const name = id.startsWith("@") ? id.split("/").slice(0, 2).join("/") : (id.split("/")[0] as string);
  return new MissingDependencyError(
    name,
    `${neededFor} needs the package ${name}, which is not installed (it is an optional peer dependency of finetune-prep).`,
    {
      hint: `Install it beside finetune-prep: npm install ${name}`,
      cause: e,
    },
  );
}
