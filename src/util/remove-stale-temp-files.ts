import { readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

/** Whether a process with this id runs on this machine (signal 0 checks without sending anything). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface StaleTempFiles {
  /** The folder to look in. */
  dir: string;
  /** What the temp file names start with, e.g. ".train.parquet." */
  prefix: string;
  /** What they end with, e.g. ".tmp". */
  suffix: string;
}

/** Between prefix and suffix: the writer's pid, then "." or "-" and random hex. */
const MIDDLE = /^(\d+)[.-][0-9a-f]+$/;

/**
 * Removes the temp files a killed process left behind: in `dir`, names `<prefix><pid>.<hex><suffix>`
 * (or `<pid>-<hex>`) whose writer (the pid) is no longer running on this machine. Temp names carry
 * the writer's pid and random hex so that concurrent writers never share one; the pid tells the
 * ones nobody will finish. A file of a running process (ours included) is never touched, and
 * nothing ever reads a temp file, so at worst one stays behind. Returns the names removed; never
 * throws: cleaning up is a courtesy, not part of the job.
 */
export function removeStaleTempFiles({ dir, prefix, suffix }: StaleTempFiles): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length <= prefix.length + suffix.length) continue;
    const m = MIDDLE.exec(name.slice(prefix.length, name.length - suffix.length));
    const pid = m ? Number(m[1]) : NaN;
    if (!Number.isSafeInteger(pid) || pid <= 0 || isRunning(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // Gone already (another process cleaned it), or not ours to remove.
    }
  }
  return removed;
}
