// The notification policy (core/app/notification-policy.ts): quiet periods, errors that
// persist, auth-required, opt-in new mail, one notification per problem until it clears.
import { describe, expect, it } from 'vitest';
import type { StatusView } from '../../../core/contract/bridge-contract.js';
import { NotificationPolicy } from '../../../core/app/notification-policy.js';

const T0 = 1_000_000;
const QUIET = 60_000;
const PERSIST = 300_000;
const defaults = { errors: true, newMail: false };
const after = T0 + QUIET + 1;
const snap = (state: StatusView['accounts'][number]['state']): StatusView => ({ host: 'ready', accounts: [{ account: 'work', state, folders: [] }] });
const authNotice = { kind: 'auth-required' as const, account: 'work', message: 'The server refused the password' };
const errNotice = { kind: 'error' as const, account: 'work', message: 'TLS handshake failed' };
const mail = { kind: 'new-mail' as const, account: 'work', folder: 'INBOX', message: '3 new', count: 3 };

const policy = (prefs = defaults) => new NotificationPolicy(prefs, T0, { quietMs: QUIET, persistMs: PERSIST });

describe('notification policy', () => {
  it('auth-required notifies at once after the quiet period', () => {
    const p = policy();
    expect(p.onNotice(authNotice, after)).toEqual({ kind: 'auth-required', account: 'work', title: 'work: sign-in required', body: 'The server refused the password' });
  });

  it('is quiet after start: an auth-required seen then is shown once the quiet period is over', () => {
    const p = policy();
    expect(p.onNotice(authNotice, T0 + 1000)).toBeUndefined();
    expect(p.onSnapshot(snap('auth-required'), T0 + 30_000)).toEqual([]);
    expect(p.onSnapshot(snap('auth-required'), after)).toHaveLength(1);
    expect(p.onSnapshot(snap('auth-required'), after + 10_000)).toEqual([]); // once only
  });

  it('is quiet again after resume from suspend', () => {
    const p = policy();
    const resumeAt = T0 + 10 * 60_000;
    p.resumed(resumeAt);
    expect(p.onNotice(authNotice, resumeAt + 5000)).toBeUndefined();
    expect(p.onSnapshot(snap('auth-required'), resumeAt + QUIET + 1)).toHaveLength(1);
  });

  it('an error is shown only when it persists', () => {
    const p = policy();
    expect(p.onNotice(errNotice, after)).toBeUndefined();
    expect(p.onSnapshot(snap('error'), after + PERSIST - 1)).toEqual([]);
    // The engine retries (syncing) and fails again: still the same problem, still tracked.
    expect(p.onSnapshot(snap('syncing'), after + PERSIST - 1)).toEqual([]);
    const shown = p.onSnapshot(snap('error'), after + PERSIST);
    expect(shown).toEqual([{ kind: 'error', account: 'work', title: 'work: sync keeps failing', body: 'TLS handshake failed' }]);
    expect(p.onNotice(errNotice, after + PERSIST + 1000)).toBeUndefined(); // not again
  });

  it('an error that clears before the threshold is never shown; a later one starts over', () => {
    const p = policy();
    p.onNotice(errNotice, after);
    expect(p.onSnapshot(snap('idle'), after + 60_000)).toEqual([]);
    expect(p.onSnapshot(snap('error'), after + PERSIST + 1)).toEqual([]); // forgotten, not tracked from the first time
    p.onNotice(errNotice, after + PERSIST + 2);
    expect(p.onSnapshot(snap('error'), after + 2 * PERSIST + 2)).toHaveLength(1);
  });

  it('after recovery the same account notifies again on a new problem', () => {
    const p = policy();
    expect(p.onNotice(authNotice, after)).toBeDefined();
    p.onSnapshot(snap('idle'), after + 1000);
    expect(p.onNotice(authNotice, after + 2000)).toBeDefined();
  });

  it('auth-required after a pending error is shown at once', () => {
    const p = policy();
    expect(p.onNotice(errNotice, after)).toBeUndefined();
    expect(p.onNotice(authNotice, after + 1000)?.kind).toBe('auth-required');
  });

  it('new mail is opt-in, and quiet after start', () => {
    expect(policy().onNotice(mail, after)).toBeUndefined();
    const p = policy({ errors: true, newMail: true });
    expect(p.onNotice(mail, T0 + 1000)).toBeUndefined();
    expect(p.onNotice(mail, after)).toEqual({ kind: 'new-mail', account: 'work', title: '3 new messages', body: 'work — INBOX' });
    expect(p.onNotice({ ...mail, count: 1 }, after)?.title).toBe('1 new message');
  });

  it('errors can be turned off, and preferences change at run time', () => {
    const p = policy({ errors: false, newMail: false });
    expect(p.onNotice(authNotice, after)).toBeUndefined();
    p.setPrefs({ errors: true, newMail: true });
    expect(p.onSnapshot(snap('auth-required'), after + 1)).toHaveLength(1);
    expect(p.onNotice(mail, after + 2)).toBeDefined();
  });
});
