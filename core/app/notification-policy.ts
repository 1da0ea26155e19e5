// Which engine events become desktop notifications: the notices read off the port's events
// (noticesOf), and the policy, pure and clock-free (`now` is passed): auth-required and errors
// that persist are shown by default, new mail only when opted in, nothing during a quiet period
// after start and after resume, and one notification per account and kind until that account
// recovers. It never shows anything itself (the desktop adapter does).

import type { StatusView } from '../contract/bridge-contract.js';
import type { EnginePort } from './engine-port.js';

export interface EngineNotice {
  kind: 'error' | 'auth-required' | 'new-mail';
  account: string;
  folder?: string;
  message: string;
  /** For new-mail: how many messages arrived. */
  count?: number;
}

/** The notices in the port's events: a new auth-required, an error beyond one message, new mail downloaded. */
export function noticesOf(port: Pick<EnginePort, 'on'>, fn: (n: EngineNotice) => void): () => void {
  const states = new Map<string, string>();
  const offs = [
    port.on('account-state', (e) => {
      const prev = states.get(e.account);
      states.set(e.account, e.state);
      if (e.state === 'auth-required' && prev !== 'auth-required') {
        fn({ kind: 'auth-required', account: e.account, message: e.error ?? 'The server refused the password.' });
      }
    }),
    port.on('folder-state', (e) => {
      const n = e.state === 'synced' ? e.summary?.['copy-to-near'] ?? 0 : 0;
      if (n > 0) fn({ kind: 'new-mail', account: e.account, folder: e.folder, count: n, message: `${n} new message${n === 1 ? '' : 's'} in ${e.folder}` });
    }),
    port.on('error', (e) => {
      if (e.scope !== 'message' && e.code !== 'auth-failed') fn({ kind: 'error', account: e.account ?? '', ...(e.folder ? { folder: e.folder } : {}), message: e.message });
    }),
  ];
  return () => { for (const off of offs) off(); };
}

export interface NotificationPrefs {
  /** Auth-required and persistent errors (default true). */
  errors: boolean;
  /** New mail (default false: opt-in). */
  newMail: boolean;
}

export interface PolicyOptions {
  /** Quiet after start and after resume from suspend, in ms (default 60 s). */
  quietMs?: number;
  /** An error is shown only when it is still there this long after it was first seen (default 5 min). */
  persistMs?: number;
}

export interface DesktopNotification {
  title: string;
  body: string;
  account: string;
  kind: EngineNotice['kind'];
}

interface Pending {
  notice: EngineNotice;
  firstSeen: number;
  shown: boolean;
}

export class NotificationPolicy {
  private quietUntil: number;
  private readonly quietMs: number;
  private readonly persistMs: number;
  /** account -> the problem notice being tracked for it (error or auth-required). */
  private readonly problems = new Map<string, Pending>();

  constructor(private prefs: NotificationPrefs, startedAt: number, opts: PolicyOptions = {}) {
    this.quietMs = opts.quietMs ?? 60_000;
    this.persistMs = opts.persistMs ?? 5 * 60_000;
    this.quietUntil = startedAt + this.quietMs;
  }

  setPrefs(prefs: NotificationPrefs): void {
    this.prefs = prefs;
  }

  /** After resume from suspend: quiet again (network errors are expected while it comes back). */
  resumed(now: number): void {
    this.quietUntil = now + this.quietMs;
  }

  private quiet(now: number): boolean {
    return now < this.quietUntil;
  }

  /** A notice from the engine: the notification to show now, if any. */
  onNotice(n: EngineNotice, now: number): DesktopNotification | undefined {
    if (n.kind === 'new-mail') {
      if (!this.prefs.newMail || this.quiet(now)) return undefined;
      const count = n.count ?? 1;
      return { kind: n.kind, account: n.account, title: `${count} new message${count === 1 ? '' : 's'}`, body: n.folder ? `${n.account} — ${n.folder}` : n.account };
    }
    const prev = this.problems.get(n.account);
    // auth-required outranks error; a new kind restarts tracking for that account.
    if (!prev || (prev.notice.kind !== n.kind && n.kind === 'auth-required')) {
      this.problems.set(n.account, { notice: n, firstSeen: now, shown: false });
    } else if (prev.notice.kind === n.kind) {
      prev.notice = n;
    }
    return this.due(n.account, now);
  }

  /**
   * On every snapshot: accounts that are no longer in error/auth-required are forgotten (so a
   * later failure notifies again), and problems that have now persisted long enough are shown.
   */
  onSnapshot(s: Pick<StatusView, 'accounts'>, now: number): DesktopNotification[] {
    const out: DesktopNotification[] = [];
    for (const account of [...this.problems.keys()]) {
      const a = s.accounts.find((x) => x.account === account);
      if (!a || (a.state !== 'error' && a.state !== 'auth-required' && a.state !== 'syncing')) {
        this.problems.delete(account);
        continue;
      }
      const d = this.due(account, now);
      if (d) out.push(d);
    }
    return out;
  }

  private due(account: string, now: number): DesktopNotification | undefined {
    const p = this.problems.get(account);
    if (!p || p.shown || !this.prefs.errors || this.quiet(now)) return undefined;
    const n = p.notice;
    if (n.kind === 'error' && now - p.firstSeen < this.persistMs) return undefined;
    p.shown = true;
    return n.kind === 'auth-required'
      ? { kind: n.kind, account, title: `${account}: sign-in required`, body: n.message }
      : { kind: n.kind, account, title: `${account}: sync keeps failing`, body: n.message };
  }
}
