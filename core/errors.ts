// Errors of the engine: every failure carries a scope (how much work it stops) and a retry
// class (when trying again may help). The scheduler, the CLI's exit code and the tray read
// only these two fields, never the message text. Messages name the problem and the fix.
// This module must never include a password or other secret in a message.

export type ErrorScope = 'message' | 'folder' | 'account' | 'fatal';
export type RetryClass = 'now' | 'later' | 'needs-user';

export class SyncError extends Error {
  readonly scope: ErrorScope;
  readonly retry: RetryClass;
  /** Short machine-readable reason, e.g. 'auth-failed', 'uidvalidity-changed'. */
  readonly code: string;
  account?: string;
  folder?: string;

  constructor(
    code: string,
    message: string,
    opts: { scope: ErrorScope; retry: RetryClass; cause?: unknown; account?: string; folder?: string },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SyncError';
    this.code = code;
    this.scope = opts.scope;
    this.retry = opts.retry;
    this.account = opts.account;
    this.folder = opts.folder;
  }
}

export function isSyncError(e: unknown): e is SyncError {
  return e instanceof SyncError;
}

/** Wraps anything thrown into a SyncError of the given default scope, keeping SyncErrors as they are. */
export function toSyncError(e: unknown, scope: ErrorScope, context?: { account?: string; folder?: string }): SyncError {
  if (e instanceof SyncError) {
    if (context?.account && !e.account) e.account = context.account;
    if (context?.folder && !e.folder) e.folder = context.folder;
    return e;
  }
  const message = e instanceof Error ? e.message : String(e);
  return new SyncError('unexpected', message, { scope, retry: 'later', cause: e, ...context });
}
