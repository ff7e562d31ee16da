// Token-length statistics: numpy-exact percentiles, truncation counts, padding waste.

export { type MaxLengthStep, type MaxLengthSweepParams, maxLengthSweep } from "./max-length-sweep.js";
export { percentile } from "./percentile.js";
export { type PaddingWaste, type TokenLengthStats, type TokenLengthStatsParams, tokenLengthStats } from "./token-length-stats.js";
