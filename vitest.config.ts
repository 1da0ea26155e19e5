// Test runner configuration: real Dovecot and real files make tests slower than unit tests,
// so timeouts are generous and files run one at a time (2 cores, one private Dovecot per file).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // Transformed by vitest so a test can substitute the `electron` module it imports.
    server: { deps: { inline: ['electron-store'] } },
  },
});
