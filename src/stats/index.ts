// Token-length statistics: numpy-exact percentiles, truncation counts, padding waste.
export { percentile } from "./percentile.js";
export { tokenLengthStats, type TokenLengthStats, type TokenLengthStatsParams, type PaddingWaste } from "./token-length-stats.js";
export { maxLengthSweep, type MaxLengthSweepParams, type MaxLengthStep } from "./max-length-sweep.js";
