// The README's table of bad inputs is rendered from the catalog (test/reliability/catalog.ts), whose
// messages catalog.test.ts checks against the real errors: this keeps the README from drifting.
// After changing a message, regenerate the table: node_modules/.bin/vite-node test/reliability/print-catalog-table.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/shared.js";
import { CATALOG, renderCatalogTable } from "./catalog.js";

describe("README.md's table of bad inputs", () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

  it("is the catalog's table, row for row", () => {
    const table = renderCatalogTable();
    const missing = table.split("\n").filter((line) => !readme.includes(line));
    expect(missing, "README.md lacks these rows of the catalog table (print it with test/reliability/print-catalog-table.ts)").toEqual([]);
    expect(readme).toContain(table);
  });

  it("lists every catalog entry", () => {
    for (const e of CATALOG) expect(readme).toContain(`| ${e.input.replaceAll("|", "\\|")} |`);
  });
});
