import type { RunnerTask, RunnerTestFile } from "vitest";
import type { Reporter } from "vitest/reporters";

/**
 * CI treats a skipped test as a failing one: a `.skip`, `.todo` or `skipIf` that fires hides a
 * check that did not run. This reporter lists them and makes the run exit non-zero.
 */
export default class NoSkipsReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = []): void {
    const skipped: string[] = [];
    const walk = (task: RunnerTask, path: string[]) => {
      const here = [...path, task.name];
      if (task.mode === "skip" || task.mode === "todo" || task.result?.state === "skip") {
        skipped.push(here.join(" > "));
        return;
      }
      if ("tasks" in task) for (const t of task.tasks) walk(t, here);
    };
    for (const f of files) walk(f, []);
    if (skipped.length > 0) {
      process.stderr.write(`\n${skipped.length} skipped test(s) — skipped counts as failed here:\n  ${skipped.join("\n  ")}\n`);
      process.exitCode = 1;
    }
  }
}
