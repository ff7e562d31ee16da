/**
 * `row[key] = value`, except that a key named "__proto__" (a column can be called anything) becomes
 * an ordinary field too: a plain assignment would replace the object's prototype instead, losing the
 * value and handing the row another object's properties.
 */
export function setField(row: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  else row[key] = value;
}
