// The host <-> engine protocol codec: every message type of both directions is accepted in its
// good form and rejected, with an error naming the problem, when unknown, malformed or carrying
// extra fields; the config sent to the engine holds no password.

import { describe, it, expect } from 'vitest';
import {
  PROTOCOL_VERSION, ProtocolError, decodeFromEngine, decodeToEngine, redactConfig,
} from '../../../core/engine-host/engine-protocol.js';
import type { SatchelConfig } from '../../../core/config/model.js';

const config: SatchelConfig = {
  general: { metadata: '/tmp/state', maxSyncAccounts: 1, fsync: true },
  accounts: [{
    name: 'work',
    local: { type: 'maildir', name: 'local', localfolders: '/tmp/Mail', sep: '.', fsync: true, readonly: false, createFolders: true, syncDeletes: true },
    remote: { type: 'imap', name: 'remote', host: 'imap.example.org', port: 993, user: 'me', password: { kind: 'inline', value: 'hunter2' },
      ssl: true, starttls: true, maxConnections: 1, readonly: false, createFolders: true, syncDeletes: true, expunge: true, gmail: false },
  }],
};

const bad = (fn: () => unknown, text: RegExp) => {
  expect(fn).toThrow(ProtocolError);
  expect(fn).toThrow(text);
};

describe('engine protocol: host -> engine', () => {
  it('accepts init, every request and both secret replies', () => {
    const init = { t: 'init', v: PROTOCOL_VERSION, config, autostart: false, secretTimeoutMs: 1000 };
    expect(decodeToEngine(init)).toEqual(init);
    const pausedInit = { ...init, paused: { all: false, accounts: ['work'] } };
    expect(decodeToEngine(pausedInit)).toEqual(pausedInit);
    for (const op of ['syncNow', 'pause', 'resume', 'wake', 'stop']) expect(decodeToEngine({ t: 'req', id: 3, op })).toMatchObject({ op });
    expect(decodeToEngine({ t: 'req', id: 4, op: 'syncNow', account: 'work' })).toMatchObject({ account: 'work' });
    expect(decodeToEngine({ t: 'req', id: 4, op: 'pause', account: 'work' })).toMatchObject({ op: 'pause', account: 'work' });
    expect(decodeToEngine({ t: 'req', id: 4, op: 'resume', account: 'work' })).toMatchObject({ op: 'resume', account: 'work' });
    expect(decodeToEngine({ t: 'req', id: 5, op: 'stop', deadlineMs: 500 })).toMatchObject({ deadlineMs: 500 });
    expect(decodeToEngine({ t: 'req', id: 5, op: 'wake', reason: 'online' })).toMatchObject({ op: 'wake', reason: 'online' });
    expect(decodeToEngine({ t: 'req', id: 6, op: 'reconfigure', config })).toMatchObject({ op: 'reconfigure' });
    expect(decodeToEngine({ t: 'secret-reply', id: 1, ok: true, secret: 's' })).toMatchObject({ ok: true });
    expect(decodeToEngine({ t: 'secret-reply', id: 1, ok: false, error: 'no' })).toMatchObject({ ok: false });
  });

  it('accepts tool requests whose arguments pass the bridge contract, and no others', () => {
    expect(decodeToEngine({ t: 'tool', id: 7, name: 'discover', args: ['a@example.org'] })).toMatchObject({ name: 'discover' });
    expect(decodeToEngine({ t: 'tool', id: 8, name: 'importOfflineImap', args: [] })).toMatchObject({ args: [] });
    bad(() => decodeToEngine({ t: 'tool', id: 9, name: 'saveAccount', args: [] }), /"name" must be one of/);
    bad(() => decodeToEngine({ t: 'tool', id: 9, name: 'discover', args: ['no-at-sign'] }), /discover takes an e-mail address/);
    bad(() => decodeToEngine({ t: 'tool', id: 9, name: 'discover', args: 'a@b.c' }), /"args" must be an array/);
    bad(() => decodeToEngine({ t: 'tool', id: 9, name: 'previewRules', args: [{ folders: [], separator: '/', localSeparator: '.', rules: {} }], x: 1 }), /unknown field "x"/);
    expect(decodeFromEngine({ t: 'reply', id: 7, ok: true, value: { source: 'guess' } })).toMatchObject({ value: { source: 'guess' } });
  });

  it('rejects unknown and malformed messages with a clear error', () => {
    bad(() => decodeToEngine(null), /must be an object/);
    bad(() => decodeToEngine([1]), /must be an object/);
    bad(() => decodeToEngine({ t: 'evil' }), /unknown type "evil"/);
    bad(() => decodeToEngine({ t: 'ready', v: 1 }), /unknown type "ready" for the engine/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'rm -rf' }), /"op" must be one of/);
    bad(() => decodeToEngine({ t: 'req', id: -1, op: 'pause' }), /"id" must be a non-negative integer/);
    bad(() => decodeToEngine({ t: 'req', id: 1.5, op: 'pause' }), /"id"/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'pause', extra: 1 }), /unknown field "extra"/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'pause', account: 7 }), /"account" must be a string/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'resume', account: ['work'] }), /"account" must be a string/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'stop', deadlineMs: 'soon' }), /"deadlineMs" must be a finite number/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'wake', reason: 3 }), /"reason" must be a string/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'reconfigure' }), /invalid config/);
    bad(() => decodeToEngine({ t: 'req', id: 1, op: 'reconfigure', config: { ...config, general: { ...config.general, maxSyncAccounts: 0 } } }),
      /invalid config: general.maxSyncAccounts/);
    bad(() => decodeToEngine({ t: 'init', v: 1, config, autostart: 'yes', secretTimeoutMs: 1 }), /"autostart" must be a boolean/);
    bad(() => decodeToEngine({ t: 'init', v: 1, config, autostart: true, secretTimeoutMs: 1, paused: { all: 'no', accounts: [] } }), /"paused" must be/);
    bad(() => decodeToEngine({ t: 'init', v: 1, config, autostart: true, secretTimeoutMs: 1, paused: { all: false, accounts: [3] } }), /"paused" must be/);
    bad(() => decodeToEngine({ t: 'secret-reply', id: 1, ok: true }), /"secret" must be a string/);
    bad(() => decodeToEngine({ t: 'secret-reply', id: 1, ok: 'maybe', secret: 'x' }), /"ok" must be a boolean/);
    bad(() => decodeToEngine({ t: 'secret-reply', id: 1, ok: false, error: 'x', secret: 'y' }), /unknown field "secret"/);
  });
});

describe('engine protocol: engine -> host', () => {
  it('accepts hello, ready, replies, every event and secret requests', () => {
    expect(decodeFromEngine({ t: 'hello', v: PROTOCOL_VERSION })).toEqual({ t: 'hello', v: PROTOCOL_VERSION });
    expect(decodeFromEngine({ t: 'ready', v: PROTOCOL_VERSION })).toEqual({ t: 'ready', v: PROTOCOL_VERSION });
    expect(decodeFromEngine({ t: 'reply', id: 2, ok: true, stopped: true })).toMatchObject({ stopped: true });
    expect(decodeFromEngine({ t: 'reply', id: 2, ok: false, error: { code: 'x', message: 'y' } })).toMatchObject({ ok: false });
    expect(decodeFromEngine({ t: 'secret-req', id: 1, repository: 'remote' })).toMatchObject({ repository: 'remote' });
    const events = [
      { name: 'account-state', data: { account: 'a', state: 'idle', lastSync: 5 } },
      { name: 'folder-state', data: { account: 'a', folder: 'INBOX', state: 'synced', summary: { 'copy-to-near': 2 } } },
      { name: 'progress', data: { account: 'a', folder: 'INBOX', messagesDone: 1, messagesTotal: 2, bytesDone: 3, bytesTotal: 4 } },
      { name: 'error', data: { account: 'a', scope: 'account', retry: 'later', code: 'timeout', message: 'm' } },
      { name: 'log', data: { level: 'info', message: 'hi' } },
    ];
    for (const event of events) expect(decodeFromEngine({ t: 'event', event })).toEqual({ t: 'event', event });
  });

  it('rejects unknown and malformed messages with a clear error', () => {
    bad(() => decodeFromEngine('hello'), /must be an object/);
    bad(() => decodeFromEngine({ t: 'init', v: 1 }), /unknown type "init" from the engine/);
    bad(() => decodeFromEngine({ t: 'hello', v: '1' }), /"v" must be a finite number/);
    bad(() => decodeFromEngine({ t: 'reply', id: 1, ok: false, error: 'boom' }), /"error" must be \{ code, message \}/);
    bad(() => decodeFromEngine({ t: 'reply', id: 1, ok: true, stopped: 'yes' }), /"stopped" must be a boolean/);
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'explode', data: {} } }), /unknown event "explode"/);
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'account-state', data: { account: 'a', state: 'happy' } } }), /"state" must be one of/);
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'progress', data: { account: 'a', folder: 'f', messagesDone: NaN, bytesDone: 0 } } }), /messagesDone/);
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'folder-state', data: { account: 'a', folder: 'f', state: 'synced', summary: { x: 'y' } } } }), /summary/);
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'log', data: { level: 'info', message: 'm', password: 'p' } } }), /unknown field "password"/);
    bad(() => decodeFromEngine({ t: 'secret-req', id: 1 }), /"repository" must be a string/);
    // Error events carry the engine's own scope and retry classes, nothing else.
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'error', data: { scope: 'galaxy', retry: 'later', code: 'c', message: 'm' } } }), /"scope" must be one of/);
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'error', data: { scope: 'folder', retry: 'someday', code: 'c', message: 'm' } } }), /"retry" must be one of/);
    // The engine's 'wake' event stays inside the engine process.
    bad(() => decodeFromEngine({ t: 'event', event: { name: 'wake', data: { reason: 'r' } } }), /unknown event "wake"/);
  });
});

describe('redactConfig', () => {
  it('replaces every IMAP password source by "ask the host" and leaves the rest intact', () => {
    const r = redactConfig(config);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r.accounts[0]!.remote).toMatchObject({ type: 'imap', host: 'imap.example.org', password: { kind: 'prompt' } });
    expect(r.accounts[0]!.local).toEqual(config.accounts[0]!.local);
    expect(config.accounts[0]!.remote).toMatchObject({ password: { kind: 'inline', value: 'hunter2' } });
  });
});
