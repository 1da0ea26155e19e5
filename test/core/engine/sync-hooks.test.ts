// presynchook / postsynchook through the engine against a real Dovecot and a real Maildir:
// they run with /bin/sh -c in order around the sync with the account and mode in their
// environment (and no password), their output reaches the log events, a failing hook is an
// error event that does not stop the sync, a dry run only logs them, and an account that
// fails to connect skips the postsynchook like OfflineIMAP.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../../core/engine/engine.js';
import type { EngineEvents } from '../../../core/engine/engine-events.js';
import { runSyncHook } from '../../../core/engine/sync-hooks.js';
import { startDovecot, makeMessage, type DovecotServer } from '../../helpers/dovecot.js';
import { configFor, imapRepo, maildirRepo, tempDir } from './engine-fixtures.js';

let server: DovecotServer;
beforeAll(async () => { server = await startDovecot({ users: ['hank'] }); });
afterAll(async () => { await server?.stop(); });

function engineWith(hooks: (dir: string) => { presynchook?: string; postsynchook?: string }, port?: number) {
  const dir = tempDir();
  const config = configFor(path.join(dir, 'state'), imapRepo(server, 'hank', 'hankpw', port ? { port } : {}), maildirRepo(path.join(dir, 'Mail')));
  config.accounts[0] = { ...config.accounts[0]!, ...hooks(dir) };
  const engine = createEngine({ config, getSecret: async () => 'hankpw' });
  const logs: EngineEvents['log'][] = [];
  const errors: EngineEvents['error'][] = [];
  engine.on('log', (e) => logs.push(e));
  engine.on('error', (e) => errors.push(e));
  return { engine, dir, logs, errors };
}

const seed = async () => {
  await server.reset('hank');
  await server.appendMessage('hank', 'INBOX', makeMessage({ subject: 'h', messageId: '<h1@test>', body: 'h\r\n' }), []);
};

describe('sync hooks through the engine', () => {
  it('runs pre before and post after the sync, with the account and mode in the environment and no password', async () => {
    await seed();
    const { engine, logs, errors, dir } = engineWith((d) => ({
      presynchook: `echo "pre $SATCHEL_ACCOUNT $OFFLINEIMAPSYNCMODE $SATCHEL_HOOK $(ls ${d}/Mail 2>/dev/null | wc -l)" >> ${d}/trace; echo hello; echo oops >&2`,
      postsynchook: `echo "post $(ls ${d}/Mail/INBOX/new | wc -l)" >> ${d}/trace; env > ${d}/env`,
    }));
    const [report] = await engine.syncNow();
    expect(report!.errors).toEqual([]);
    expect(errors).toEqual([]);
    // pre ran before the Maildir existed; post ran after the message was delivered
    expect(fs.readFileSync(path.join(dir, 'trace'), 'utf8')).toBe('pre acct full pre 0\npost 1\n');
    const env = fs.readFileSync(path.join(dir, 'env'), 'utf8');
    expect(env).toContain('SATCHEL_ACCOUNT=acct');
    expect(env).toContain('SATCHEL_HOOK=post');
    expect(env).not.toContain('hankpw');
    const messages = logs.map((l) => l.message);
    expect(messages).toContain('presynchook stdout: hello');
    expect(messages).toContain('presynchook stderr: oops');
    expect(logs.every((l) => l.account === 'acct')).toBe(true);
  });

  it('a failing hook is an error event; the sync still happens and its report stays clean', async () => {
    await seed();
    const { engine, errors, dir } = engineWith((d) => ({ presynchook: 'echo broken >&2; exit 3', postsynchook: `touch ${d}/post-ran` }));
    const [report] = await engine.syncNow();
    expect(report!.errors).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code: 'hook-failed', account: 'acct', scope: 'account',
      message: 'presynchook "echo broken >&2; exit 3" exited with status 3 (broken). The sync goes on; fix the hook command in [Account acct].' })]);
    expect(fs.readdirSync(path.join(dir, 'Mail', 'INBOX', 'new'))).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'post-ran'))).toBe(true);
  });

  it('a dry run logs the hooks and runs neither', async () => {
    await seed();
    const { engine, logs, dir } = engineWith((d) => ({ presynchook: `touch ${d}/pre-ran`, postsynchook: `touch ${d}/post-ran` }));
    fs.mkdirSync(path.join(dir, 'Mail'));
    await engine.syncNow({ dryRun: true });
    expect(fs.existsSync(path.join(dir, 'pre-ran'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'post-ran'))).toBe(false);
    expect(logs.map((l) => l.message)).toEqual(expect.arrayContaining([
      `presynchook: would run: touch ${dir}/pre-ran (dry run: not run)`, `postsynchook: would run: touch ${dir}/post-ran (dry run: not run)`]));
  });

  it('an account that cannot connect runs the presynchook but not the postsynchook', async () => {
    const { engine, errors, dir } = engineWith((d) => ({ presynchook: `touch ${d}/pre-ran`, postsynchook: `touch ${d}/post-ran` }), 1);
    const [report] = await engine.syncNow();
    expect(report!.errors.length).toBe(1);
    expect(errors.map((e) => e.code)).not.toContain('hook-failed');
    expect(fs.existsSync(path.join(dir, 'pre-ran'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'post-ran'))).toBe(false);
  });
});

describe('runSyncHook', () => {
  it('does nothing for an empty command or after an abort; reports a hook killed by a signal', async () => {
    const errors: string[] = [];
    const ctx = { account: 'a', dryRun: false, log: () => undefined, error: (e: Error) => errors.push(e.message) };
    expect(await runSyncHook('presynchook', '  ', ctx)).toBeUndefined();
    const aborted = new AbortController();
    aborted.abort();
    expect(await runSyncHook('postsynchook', 'exit 1', { ...ctx, signal: aborted.signal })).toBeUndefined();
    expect(errors).toEqual([]);
    expect(await runSyncHook('postsynchook', 'kill -TERM $$', ctx)).toBeUndefined();
    expect(errors).toEqual(['postsynchook "kill -TERM $$" was killed by SIGTERM. The sync goes on; fix the hook command in [Account a].']);
  });
});
