import { join } from "node:path";
import { IntegrityError } from "../errors.js";
import { AtomicFile } from "./atomic-file.js";
import { ensureOutputFolder } from "./ensure-output-folder.js";

/** Environment variables that hold credentials: their values must never reach a stats file. */
const SECRET_VARIABLES = ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_API_TOKEN"];

/**
 * Writes `stats` as pretty JSON to `outDir/stats.json`, atomically. Write it after the split files:
 * a stats.json beside them means they are complete. As a last guard, a file that would contain the
 * value of HF_TOKEN (or another token variable) is refused: stats never carry credentials.
 */
export function writeStatsJson(outDir: string, stats: Record<string, unknown>): string {
  const text = `${JSON.stringify(stats, null, 2)}\n`;
  for (const name of SECRET_VARIABLES) {
    const secret = process.env[name];
    if (secret && secret.length >= 8 && text.includes(secret)) {
      throw new IntegrityError(`stats.json would contain the value of ${name}; not written (a bug: please report which field held it).`);
    }
  }
  ensureOutputFolder(outDir);
  const file = new AtomicFile(join(outDir, "stats.json"));
  try {
    file.write(text);
    file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
  return file.path;
}
