// docs/reliability.md's table of bad inputs is rendered from the catalog (test/reliability/catalog.ts),
// whose messages catalog.test.ts checks against the real errors: this keeps the page from drifting.
// After changing a message, regenerate the table: node_modules/.bin/vite-node test/reliability/print-catalog-table.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/shared.js";
import { CATALOG, renderCatalogTable } from "./catalog.js";

describe("docs/reliability.md's table of bad inputs", () => {
  const page = readFileSync(join(repoRoot, "docs", "reliability.md"), "utf8");

  it("is the catalog's table, row for row", () => {
    const table = renderCatalogTable();
    const missing = table.split("\n").filter((line) => !page.includes(line));
    expect(missing, "docs/reliability.md lacks these rows of the catalog table (print it with test/reliability/print-catalog-table.ts)").toEqual([]);
    expect(page).toContain(table);
  });

  it("lists every catalog entry", () => {
    for (const e of CATALOG) expect(page).toContain(`| ${e.input.replaceAll("|", "\\|")} |`);
  });
});
