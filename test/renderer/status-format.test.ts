// How the status view words things (renderer/src/status/status-format.ts): account labels,
// the one overall state by the tray's precedence, relative times, byte counts and progress.
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../core/contract/bridge-contract.js';
import {
  accountLabel, folderLabel, formatBytes, hostLabel, progressFraction, progressText, relativeTime,
} from '../../renderer/src/status/status-format.js';

const NOW = 1_700_000_000_000;
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;

describe('accountLabel', () => {
  it('an idle account is "In sync" only once it has synced', () => {
    expect(accountLabel({ state: 'idle' })).toBe('Waiting for the first sync');
    expect(accountLabel({ state: 'idle', lastSync: NOW })).toBe('In sync');
  });

  it('other states say what they are, synced before or not', () => {
    const expected: Record<AccountState, string> = {
      'auth-required': 'Sign-in needed', error: 'Error', syncing: 'Syncing…', offline: 'Offline', paused: 'Paused', idle: 'In sync',
    };
    for (const [state, label] of Object.entries(expected) as Array<[AccountState, string]>) {
      expect(accountLabel({ state, lastSync: NOW })).toBe(label);
      if (state !== 'idle') expect(accountLabel({ state })).toBe(label);
    }
  });

  it('folder states in words', () => {
    expect(folderLabel({ state: 'skipped' })).toBe('Not synced (filtered)');
    expect(folderLabel({ state: 'synced' })).toBe('In sync');
    expect(folderLabel({ state: 'idle' })).toBe('Waiting');
  });
});


describe('hostLabel', () => {
  it('says nothing when ready and names the failure otherwise', () => {
    expect(hostLabel({ host: 'ready' })).toBeUndefined();
    expect(hostLabel({ host: 'failed', hostError: 'exit code 1' })).toBe('The sync engine keeps failing: exit code 1.');
    expect(hostLabel({ host: 'failed' })).toBe('The sync engine keeps failing.');
  });
});

describe('relativeTime', () => {
  it('never, for no time', () => {
    expect(relativeTime(undefined, NOW)).toBe('never');
  });

  it('just now under 10 seconds and for times in the future', () => {
    expect(relativeTime(NOW, NOW)).toBe('just now');
    expect(relativeTime(NOW - 9 * SEC, NOW)).toBe('just now');
    expect(relativeTime(NOW + 5 * MIN, NOW)).toBe('just now');
  });

  it('seconds from 10 to 59', () => {
    expect(relativeTime(NOW - 10 * SEC, NOW)).toBe('10 seconds ago');
    expect(relativeTime(NOW - 59 * SEC, NOW)).toBe('59 seconds ago');
  });

  it('minutes from 60 seconds, singular for one', () => {
    expect(relativeTime(NOW - 60 * SEC, NOW)).toBe('1 minute ago');
    expect(relativeTime(NOW - 89 * SEC, NOW)).toBe('1 minute ago');
    expect(relativeTime(NOW - 2 * MIN, NOW)).toBe('2 minutes ago');
    expect(relativeTime(NOW - 59 * MIN, NOW)).toBe('59 minutes ago');
  });

  it('hours from 60 minutes, singular for one', () => {
    expect(relativeTime(NOW - 60 * MIN, NOW)).toBe('1 hour ago');
    expect(relativeTime(NOW - 3 * HOUR, NOW)).toBe('3 hours ago');
    expect(relativeTime(NOW - 23 * HOUR, NOW)).toBe('23 hours ago');
  });

  it('yesterday from 24 hours, then days', () => {
    expect(relativeTime(NOW - 24 * HOUR, NOW)).toBe('yesterday');
    expect(relativeTime(NOW - 2 * DAY, NOW)).toBe('2 days ago');
    expect(relativeTime(NOW - 30 * DAY, NOW)).toBe('30 days ago');
  });
});

describe('formatBytes', () => {
  it('bytes below 1 KB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('one decimal below 10, whole numbers from 10', () => {
    expect(formatBytes(KB)).toBe('1.0 KB');
    expect(formatBytes(1.5 * KB)).toBe('1.5 KB');
    expect(formatBytes(10 * KB)).toBe('10 KB');
    expect(formatBytes(500 * KB)).toBe('500 KB');
  });

  it('moves up a unit at 1024', () => {
    expect(formatBytes(MB)).toBe('1.0 MB');
    expect(formatBytes(3.4 * MB)).toBe('3.4 MB');
    expect(formatBytes(1.5 * GB)).toBe('1.5 GB');
    expect(formatBytes(1024 * GB)).toBe('1.0 TB');
  });

  it('stays in TB above', () => {
    expect(formatBytes(2048 * 1024 * GB)).toBe('2048 TB');
  });
});

describe('progress', () => {
  it('progressText gives totals when known', () => {
    expect(progressText({ messagesDone: 12, messagesTotal: 40, bytesDone: 1.2 * MB, bytesTotal: 3.4 * MB })).toBe('12 of 40 messages, 1.2 MB of 3.4 MB');
  });

  it('progressText leaves unknown totals out', () => {
    expect(progressText({ messagesDone: 5, messagesTotal: 0, bytesDone: 2 * KB, bytesTotal: 0 })).toBe('5 messages, 2.0 KB');
    expect(progressText({ messagesDone: 5, messagesTotal: 9, bytesDone: 100, bytesTotal: 0 })).toBe('5 of 9 messages, 100 B');
  });

  it('progressFraction goes by bytes when known', () => {
    expect(progressFraction({ messagesDone: 9, messagesTotal: 10, bytesDone: 250, bytesTotal: 1000 })).toBe(0.25);
  });

  it('progressFraction goes by messages when the bytes are unknown', () => {
    expect(progressFraction({ messagesDone: 3, messagesTotal: 4, bytesDone: 999, bytesTotal: 0 })).toBe(0.75);
  });

  it('progressFraction is undefined when nothing is known, and never above 1', () => {
    expect(progressFraction({ messagesDone: 3, messagesTotal: 0, bytesDone: 10, bytesTotal: 0 })).toBeUndefined();
    expect(progressFraction({ messagesDone: 0, messagesTotal: 0, bytesDone: 2000, bytesTotal: 1000 })).toBe(1);
    expect(progressFraction({ messagesDone: 7, messagesTotal: 5, bytesDone: 0, bytesTotal: 0 })).toBe(1);
  });
});
