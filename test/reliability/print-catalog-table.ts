// Prints the table of bad inputs in docs/reliability.md, rendered from the catalog:
//   node_modules/.bin/vite-node test/reliability/print-catalog-table.ts
import { renderCatalogTable } from "./catalog.js";

process.stdout.write(`${renderCatalogTable()}\n`);
