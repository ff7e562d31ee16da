// Preloaded into a measured process (node --import): at exit, writes its peak resident set size
// (KB, from getrusage) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from "node:fs";

const file = process.env.BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
