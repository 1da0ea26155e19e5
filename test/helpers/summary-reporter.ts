// A vitest reporter that ends the run with one plain line, "N passed, N failed, N skipped",
// so any CI log reader can tell how many tests ran. It adds to the default reporter.

import type { Reporter } from 'vitest/reporters';

interface Task { type: string; result?: { state?: string }; mode?: string; tasks?: Task[] }

export default class SummaryReporter implements Reporter {
  onFinished(files: Task[] = []): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: Task) => {
      if (t.tasks) t.tasks.forEach(walk);
      if (t.type !== 'test') return;
      if (t.result?.state === 'pass') count.passed++;
      else if (t.result?.state === 'fail') count.failed++;
      else count.skipped++;
    };
    files.forEach(walk);
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`);
  }
}
