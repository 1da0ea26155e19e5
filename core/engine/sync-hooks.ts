// presynchook / postsynchook, as OfflineIMAP runs them: a shell command (/bin/sh -c) before
// and after each account sync, with OFFLINEIMAPSYNCMODE plus SATCHEL_ACCOUNT / SATCHEL_HOOK in
// its environment; stdout, stderr and the exit status go to the log. A failing hook is reported
// as an error but never stops the sync; in a dry run the hook is only logged, never run.
// A hook never gets a password: its environment is Satchel's own, which holds none.

import { spawn } from 'node:child_process';
import { SyncError } from '../errors.js';

export type HookName = 'presynchook' | 'postsynchook';

export interface HookContext {
  account: string;
  dryRun: boolean;
  /** OfflineIMAP's OFFLINEIMAPSYNCMODE: full | quick | idle. */
  mode?: 'full' | 'quick' | 'idle';
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  log(level: 'error' | 'info' | 'debug', message: string): void;
  error(e: SyncError): void;
}

/** Runs one hook to its end. Resolves whatever happens; problems go to ctx.error. Returns the exit status (undefined when not run). */
export function runSyncHook(name: HookName, command: string | undefined, ctx: HookContext): Promise<number | undefined> {
  if (!command || !command.trim()) return Promise.resolve(undefined);
  if (ctx.signal?.aborted) return Promise.resolve(undefined); // like OfflineIMAP: no hooks after an abort
  if (ctx.dryRun) {
    ctx.log('info', `${name}: would run: ${command} (dry run: not run)`);
    return Promise.resolve(undefined);
  }
  ctx.log('info', `${name}: running: ${command}`);
  const env = { ...(ctx.env ?? process.env), OFFLINEIMAPSYNCMODE: ctx.mode ?? 'full', SATCHEL_ACCOUNT: ctx.account, SATCHEL_HOOK: name === 'presynchook' ? 'pre' : 'post' };
  const fail = (message: string, cause?: unknown) => ctx.error(new SyncError('hook-failed', message,
    { scope: 'account', retry: 'needs-user', account: ctx.account, cause }));
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      fail(`${name} could not be started: ${(e as Error).message}. The sync goes on.`, e);
      resolve(undefined);
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => { fail(`${name} could not be started: ${e.message}. The sync goes on.`, e); resolve(undefined); });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8').trimEnd();
      const stderr = Buffer.concat(err).toString('utf8').trimEnd();
      if (stdout) ctx.log('info', `${name} stdout: ${stdout}`);
      if (stderr) ctx.log('info', `${name} stderr: ${stderr}`);
      if (code === 0) {
        ctx.log('debug', `${name} exited with status 0`);
      } else {
        const how = code !== null ? `exited with status ${code}` : `was killed by ${signal}`;
        fail(`${name} "${command}" ${how}${stderr ? ` (${lastLine(stderr)})` : ''}. The sync goes on; fix the hook command in [Account ${ctx.account}].`);
      }
      resolve(code ?? undefined);
    });
  });
}

function lastLine(s: string): string {
  const l = s.split('\n').filter((x) => x.trim()).pop()?.trim() ?? '';
  return l.length > 160 ? `${l.slice(0, 157)}...` : l;
}
