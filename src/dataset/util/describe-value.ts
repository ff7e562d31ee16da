/** A plain object (`{…}` or Object.create(null)): what a row is. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What a value is, for an error message: "null", "an array", "a string", "a Date". */
export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? `a ${v.constructor?.name ?? "object"}` : `a ${typeof v}`;
}
