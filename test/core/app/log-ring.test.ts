// The "Show log" buffer (core/bridge/log-ring.ts, browser mode and desktop app): redaction on the way in and the ring.
import { describe, expect, it } from 'vitest';
import { LogRing, redactLine as redact } from '../../../core/app/log-ring.js';

describe('redact', () => {
  it('masks key=value and key: value secrets', () => {
    expect(redact('remotepass = hunter2 and more')).toBe('remotepass = •••• and more');
    expect(redact('password: "correct horse"')).toBe('password: ••••');
    expect(redact('refresh_token=1//0gAbc-def')).toBe('refresh_token=••••');
    expect(redact('client_secret: s3cr3t')).toBe('client_secret: ••••');
  });

  it('masks IMAP LOGIN and AUTHENTICATE payloads and bearer tokens', () => {
    expect(redact('C: a1 LOGIN alice "p@ss w\\"ord"')).toBe('C: a1 LOGIN alice ••••');
    expect(redact('C: a2 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==')).toBe('C: a2 AUTHENTICATE PLAIN ••••');
    expect(redact('C: a3 AUTHENTICATE XOAUTH2 dXNlcj1hbGljZQFhdXRoPUJlYXJlciB5YTI5')).toBe('C: a3 AUTHENTICATE XOAUTH2 ••••');
    expect(redact('Authorization: Bearer ya29.a0AfH6SMB')).toBe('Authorization: Bearer ••••');
  });

  it('masks registered secrets wherever they appear, and leaves ordinary text alone', () => {
    expect(redact('token rejected: xyzzy-9876 is invalid', ['xyzzy-9876'])).toBe('token rejected: •••• is invalid');
    expect(redact('Synced 12 messages in INBOX')).toBe('Synced 12 messages in INBOX');
  });
});

describe('LogRing', () => {
  it('keeps the last N lines, oldest first', () => {
    let now = 0;
    const b = new LogRing(3, () => ++now);
    for (let i = 1; i <= 5; i++) b.push('info', `line ${i}`);
    expect(b.all().map((l) => l.message)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(b.all().map((l) => l.time)).toEqual([3, 4, 5]);
  });

  it('redacts before storing and before telling listeners', () => {
    const b = new LogRing(10);
    b.addSecret('Tr0ub4dor&3');
    const seen: string[] = [];
    b.onLine((l) => seen.push(l.message));
    b.push('error', 'login failed for alice with Tr0ub4dor&3');
    b.push('debug', 'C: 1 LOGIN alice Tr0ub4dor&3');
    expect(b.all().map((l) => l.message)).toEqual(['login failed for alice with ••••', 'C: 1 LOGIN alice ••••']);
    expect(seen).toEqual(b.all().map((l) => l.message));
    expect(JSON.stringify(b.all())).not.toContain('Tr0ub4dor');
  });

  it('refuses a zero capacity', () => {
    expect(() => new LogRing(0)).toThrow(RangeError);
  });
});
