import type { RaggedInt32Column } from "./ragged-int32-column.js";

/** How a Dataset stores one column: a plain array of values, or flat int32 lists. */
export type Column = readonly unknown[] | RaggedInt32Column;
