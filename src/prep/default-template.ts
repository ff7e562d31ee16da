/**
 * The original notebook's prompt template: each question becomes
 * `"### Question:\n{question}\n\n### Answer:"`, and the answer follows it directly.
 */
export const DEFAULT_TEMPLATE = "### Question:\n{question}\n\n### Answer:";
