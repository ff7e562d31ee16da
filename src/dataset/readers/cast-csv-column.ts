/** pandas' default `na_values`: cells that read as missing (NaN → null in datasets). */
const NA_VALUES = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

const INT = /^\s*[+-]?\d+\s*$/;
const FLOAT = /^\s*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity)\s*$/i;
const TRUE = new Set(["True", "TRUE", "true"]);
const FALSE = new Set(["False", "FALSE", "false"]);

/**
 * A CSV column's cells as pandas' `read_csv` types them (the reading `datasets` does): pandas' NA
 * markers ("", "NA", "null", "NaN", …) become null; then, looking at the whole column, whole numbers
 * → numbers if every non-null cell is one, else decimals (incl. "inf") → numbers if every cell is
 * one, else True/False → booleans if every cell is one; otherwise the text stays (with the NA cells null).
 *
 * Differences from pandas: the inference covers the whole column (pandas decides per 10,000-row chunk
 * as datasets reads it); integers beyond 2^53 keep the column as text (JavaScript numbers would round them).
 */
export function castCsvColumn(cells: readonly (string | null | undefined)[]): (string | number | boolean | null)[] {
  const values = cells.map((c) => (c === null || c === undefined || NA_VALUES.has(c) ? null : c));
  let allInt = true;
  let unsafeInt = false;
  let allFloat = true;
  let allBool = true;
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    any = true;
    if (allInt) {
      if (!INT.test(v)) allInt = false;
      else if (!Number.isSafeInteger(Number(v))) unsafeInt = true;
    }
    if (allFloat && !FLOAT.test(v)) allFloat = false;
    if (allBool && !TRUE.has(v) && !FALSE.has(v)) allBool = false;
    if (!allInt && !allFloat && !allBool) return values;
  }
  if (!any || (allInt && unsafeInt)) return values;
  if (allInt || allFloat) return values.map((v) => (v === null ? null : parseNumber(v)));
  if (allBool) return values.map((v) => (v === null ? null : TRUE.has(v)));
  return values;
}

function parseNumber(v: string): number {
  const t = v.trim().toLowerCase().replace(/^\+/, "");
  if (t === "inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  return Number(t);
}
