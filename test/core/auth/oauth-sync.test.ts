// OAuth2 sign-in end to end with real parts: a real authorization server (oidc-provider: PKCE,
// rotating refresh tokens, 3-second access tokens, device flow), a real Dovecot whose oauth2
// passdb introspects every token, a real Secret Service, the real command line (bin/satchel), and
// Chromium on the provider's pages. Cases: the first sign-in (satchel login, the URL followed),
// syncs across expiry and three rotations with the first refresh token dead, a rejected token
// renewed once, coalesced refreshes, a revoked session (auth-required, exit 1 naming
// satchel login, mail untouched), the token server down (temporary), the device flow,
// XOAUTH2-only and OAUTHBEARER servers, an .offlineimaprc seed, and no token in argv, env,
// logs or the status database.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.js';
import { requireBuiltCli, SATCHEL_BIN } from '../../helpers/cli-run.js';
import { startDovecot, type DovecotServer } from '../../helpers/dovecot.js';
import { startKeyring, type TestKeyring } from '../../helpers/keyring.js';
import { startDante } from '../../helpers/dante.js';
import { startOAuthServer, type OAuthServer } from '../../helpers/oauth-server.js';
import { signInAt, signInOnDevicePage } from '../../helpers/oauth-login.js';
import { KeyringSecretStore } from '../../../core/secrets/keyring-secret-store.js';
import { refreshTokenKey } from '../../../core/auth/token-source.js';
import { refreshTokens } from '../../../core/auth/token-endpoint.js';
import { startBrowserSignIn } from '../../../core/auth/browser-flow.js';
import { resolveEndpoints } from '../../../core/auth/oauth-providers.js';
import { loadOfflineImapConfig } from '../../../core/config/offlineimaprc.js';
import { createRepositorySecrets } from '../../../core/config/repository-secret.js';
import { createEngine } from '../../../core/engine/engine.js';
import type { ImapRepositoryConfig } from '../../../core/config/model.js';

let keyring: TestKeyring;
let oauth: OAuthServer;
let dovecot: DovecotServer;
let browser: Browser;
let dir: string;
const store = () => new KeyringSecretStore();
const TTL_MS = 3000;

const message = (n: number) => `From: a@example.org\r\nTo: alice@example.org\r\nSubject: m${n}\r\nMessage-ID: <o${n}@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nbody ${n}\r\n`;

/** An OfflineIMAP file for `account` signing in with OAuth2 to `port` (plaintext loopback Dovecot). */
function writeRc(account: string, port: number, extra: Record<string, string> = {}): string {
  const rc = path.join(dir, `${account}.rc`);
  const remote = {
    remotehost: '127.0.0.1', remoteport: String(port), remoteuser: 'alice', ssl: 'no', starttls: 'no',
    oauth2_client_id: oauth.clientId, oauth2_request_url: oauth.tokenUrl, oauth2_authorize_url: oauth.authorizationUrl,
    oauth2_device_url: oauth.deviceUrl, oauth2_scope: oauth.scope, ...extra,
  };
  fs.writeFileSync(rc, `[general]\naccounts = ${account}\nmetadata = ${dir}/state\n\n[Account ${account}]\nlocalrepository = ${account}-local\nremoterepository = ${account}-remote\n\n` +
    `[Repository ${account}-local]\ntype = Maildir\nlocalfolders = ${dir}/Mail-${account}\n\n[Repository ${account}-remote]\ntype = IMAP\n` +
    Object.entries(remote).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
  return rc;
}

const env = () => ({ ...keyring.env, SATCHEL_NO_BROWSER: '1' });
/** The command line as a child, without blocking this process (the authorization server answers from here). */
function satchel(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [SATCHEL_BIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stdout.on('data', (d) => { out += String(d); });
  child.stderr.on('data', (d) => { err += String(d); });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}
const mailCount = (account: string) => fs.readdirSync(path.join(dir, `Mail-${account}`), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /\/(cur|new)$/.test(e.parentPath)).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `satchel login [--device] -c rc account`, with Chromium doing what the printed text asks. */
async function login(rc: string, account: string, device = false): Promise<{ code: number | null; out: string; err: string; argv: string; environ: string }> {
  const child = spawn(process.execPath, [SATCHEL_BIN, 'login', ...(device ? ['--device'] : []), '-c', rc, account], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += String(d); });
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += String(d);
      if (/Waiting/.test(out)) resolve();
    });
    void exited.then(() => reject(new Error(`satchel login exited early: ${out}${err}`)));
  });
  // What every local user can see of the running process.
  const argv = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
  const environ = fs.readFileSync(`/proc/${child.pid}/environ`, 'utf8');
  if (device) {
    const uri = /open\n\s+(\S+)/.exec(out)![1]!;
    const code = /the code\n\s+(\S+)/.exec(out)![1]!;
    await signInOnDevicePage(browser, uri, code, 'alice');
  } else {
    await signInAt(browser, /^\s+(http\S+)$/m.exec(out)![1]!, 'alice');
  }
  const code = await exited;
  return { code, out, err, argv, environ };
}

beforeAll(async () => {
  requireBuiltCli();
  keyring = await startKeyring();
  oauth = await startOAuthServer({ accessTokenTtl: TTL_MS / 1000 });
  dovecot = await startDovecot({ users: ['alice'], oauth2: { introspectionUrl: oauth.introspectionUrl } });
  for (let i = 1; i <= 3; i++) await dovecot.appendMessage('alice', 'INBOX', message(i));
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-oauth-'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await dovecot?.stop();
  await oauth?.stop();
  await keyring?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('OAuth2 sign-in against Dovecot and a real authorization server', () => {
  const seen: string[] = [];
  let rc: string;

  it('satchel login prints the address, Chromium signs in there, the refresh token lands in the keyring, and a sync brings the mail', async () => {
    rc = writeRc('main', dovecot.port);
    const r = await login(rc, 'main');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('Signed in.');
    expect(r.out).toContain(`Logged in to 127.0.0.1 as alice.`);
    const rt = await store().get(refreshTokenKey('main'));
    expect(rt).toBeTruthy();
    seen.push(rt!);
    expect(r.argv + r.environ).not.toContain(rt!);
    const sync = await satchel('-o', '-c', rc);
    expect(sync.code, sync.out + sync.err).toBe(0);
    expect(mailCount('main')).toBe(3);
  }, 60_000);

  it('syncs on through expired access tokens and three rotations; no token in argv, env, the log or the status database', async () => {
    const logFile = path.join(dir, 'sync.log');
    for (let i = 0; i < 3; i++) {
      await sleep(TTL_MS + 200);
      await dovecot.appendMessage('alice', 'INBOX', message(10 + i));
      const sync = await satchel('-o', '-c', rc, '-l', logFile, '-d', 'imap');
      expect(sync.code, sync.out + sync.err).toBe(0);
      const rt = (await store().get(refreshTokenKey('main')))!;
      expect(seen).not.toContain(rt);
      seen.push(rt);
    }
    expect(mailCount('main')).toBe(6);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toMatch(/AUTHENTICATE OAUTHBEARER <redacted>/);
    const db = fs.readFileSync(path.join(dir, 'state', 'main.sqlite'));
    for (const t of seen.slice(1)) {
      expect(log).not.toContain(t);
      expect(db.includes(Buffer.from(t))).toBe(false);
    }
  }, 60_000);

  it('renews a token the server rejects once (one refresh), and coalesces concurrent refreshes into one request', async () => {
    const { config } = loadOfflineImapConfig(rc, { env: env() });
    const secrets = createRepositorySecrets({ env: env(), secretStore: store() });
    const repo = config.accounts[0]!.remote as ImapRepositoryConfig;
    const before = oauth.tokenRequests.filter((g) => g === 'refresh_token').length;
    const tokens = await Promise.all(Array.from({ length: 5 }, () => secrets(repo)));
    expect(new Set(tokens).size).toBe(1);
    expect(oauth.tokenRequests.filter((g) => g === 'refresh_token').length).toBe(before + 1);
    // The server revokes that access token only: the next login is rejected, renewed once, and works.
    const res = await fetch(oauth.revocationUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens[0]!, token_type_hint: 'access_token', client_id: oauth.clientId }) });
    expect(res.ok).toBe(true);
    const engine = createEngine({ config, getSecret: secrets });
    const [report] = await engine.syncNow();
    expect(report!.errors.map((e) => e.message)).toEqual([]);
    expect(oauth.tokenRequests.filter((g) => g === 'refresh_token').length).toBe(before + 2);
    seen.push((await store().get(refreshTokenKey('main')))!);
  }, 60_000);

  it('the token server down is temporary (offline, no sign-in asked, mail untouched)', async () => {
    const { config } = loadOfflineImapConfig(rc, { env: env() });
    await sleep(TTL_MS + 200);
    await oauth.down();
    try {
      const engine = createEngine({ config, getSecret: createRepositorySecrets({ env: env(), secretStore: store() }) });
      const [report] = await engine.syncNow();
      expect(report!.errors.map((e) => [e.code, e.retry])).toEqual([['token-server-unreachable', 'later']]);
      expect(engine.accountStates().main).toBe('offline');
      expect(mailCount('main')).toBe(6);
    } finally {
      await oauth.up();
    }
  }, 60_000);

  it('a revoked session (the first refresh token is dead, and replaying it revokes the session): auth-required, the CLI exits 1 with one line naming satchel login, no mail touched; the device flow signs in again', async () => {
    // The first refresh token was rotated out long ago: it is dead. (Replaying it makes the server revoke the whole session.)
    const ep = resolveEndpoints({ provider: 'custom', account: 'main', clientId: oauth.clientId, tokenUrl: oauth.tokenUrl }, 'test');
    await expect(refreshTokens(ep.tokenUrl, ep, seen[0]!, 'test')).rejects.toMatchObject({ code: 'sign-in-ended', retry: 'needs-user' });
    await oauth.revoke((await store().get(refreshTokenKey('main')))!);
    const files = mailCount('main');
    const { config } = loadOfflineImapConfig(rc, { env: env() });
    const engine = createEngine({ config, getSecret: createRepositorySecrets({ env: env(), secretStore: store() }) });
    const [report] = await engine.syncNow();
    expect(report!.errors[0]).toMatchObject({ code: 'sign-in-ended', retry: 'needs-user' });
    expect(engine.accountStates().main).toBe('auth-required');
    const sync = await satchel('-o', '-c', rc, '-u', 'quiet');
    expect(sync.code).toBe(1);
    const lines = sync.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/main.*satchel login main/);
    expect(mailCount('main')).toBe(files);
    expect(await dovecot.client('alice').then(async (c) => { const s = await c.status('INBOX', { messages: true }); await c.logout(); return s ? s.messages : -1; })).toBe(6);

    const again = await login(rc, 'main', true);
    expect(again.code, again.err).toBe(0);
    expect((await satchel('-o', '-c', rc)).code).toBe(0);
  }, 90_000);

  it('an .offlineimaprc oauth2_refresh_token seeds the keyring once; the rotated token wins afterwards (and --info says so)', async () => {
    const ep = resolveEndpoints({ provider: 'custom', account: 'seeded', clientId: oauth.clientId, tokenUrl: oauth.tokenUrl, authorizationUrl: oauth.authorizationUrl, scope: oauth.scope }, 'test');
    const flow = await startBrowserSignIn(ep, { who: 'test' });
    await signInAt(browser, flow.url, 'alice');
    const seed = (await flow.result).refreshToken!;
    const seededRc = writeRc('seeded', dovecot.port, { oauth2_refresh_token: seed, auth_mechanisms: 'XOAUTH2, OAUTHBEARER' });
    expect((await satchel('--info', '-c', seededRc)).out).toContain('oauth2_refresh_token from the file');
    const logFile = path.join(dir, 'seeded.log');
    const sync = await satchel('-o', '-c', seededRc, '-l', logFile, '-d', 'imap');
    expect(sync.code, sync.out + sync.err).toBe(0);
    expect(mailCount('seeded')).toBe(6);
    const stored = await store().get(refreshTokenKey('seeded'));
    expect(stored && stored !== seed).toBe(true);
    // auth_mechanisms puts XOAUTH2 first: used although the server prefers nothing.
    expect(fs.readFileSync(logFile, 'utf8')).toMatch(/AUTHENTICATE XOAUTH2 <redacted>/);
    await sleep(TTL_MS + 200);
    expect((await satchel('-o', '-c', seededRc)).code).toBe(0);
    expect((await satchel('--info', '-c', seededRc)).out).toContain('the refresh token in the system keyring');
  }, 60_000);

  it('an XOAUTH2-only server', async () => {
    const xo = await startDovecot({ users: ['alice'], oauth2: { introspectionUrl: oauth.introspectionUrl, mechanisms: ['xoauth2'] } });
    try {
      await xo.appendMessage('alice', 'INBOX', message(99));
      const xrc = writeRc('main', xo.port);
      const logFile = path.join(dir, 'xo.log');
      fs.rmSync(path.join(dir, 'state'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'Mail-main'), { recursive: true, force: true });
      const sync = await satchel('-o', '-c', xrc, '-l', logFile, '-d', 'imap');
      expect(sync.code, sync.out + sync.err).toBe(0);
      expect(mailCount('main')).toBe(1);
      expect(fs.readFileSync(logFile, 'utf8')).toMatch(/AUTHENTICATE XOAUTH2 <redacted>/);
    } finally {
      await xo.stop();
    }
  }, 60_000);

  it('authproxy: the token requests go through the SOCKS proxy (dante logs them), and never direct when it is down', async () => {
    const ep = resolveEndpoints({ provider: 'custom', account: 'proxied', clientId: oauth.clientId, tokenUrl: oauth.tokenUrl, authorizationUrl: oauth.authorizationUrl, scope: oauth.scope }, 'test');
    const flow = await startBrowserSignIn(ep, { who: 'test' });
    await signInAt(browser, flow.url, 'alice');
    const seed = (await flow.result).refreshToken!;
    const dante = await startDante();
    try {
      const prc = writeRc('proxied', dovecot.port, { oauth2_refresh_token: seed });
      const proxy = `SOCKS5:127.0.0.1:${dante.port}`;
      // The mail goes direct (no proxy), only the token requests through authproxy.
      fs.writeFileSync(prc, fs.readFileSync(prc, 'utf8').replace('remoterepository = proxied-remote\n', `remoterepository = proxied-remote\nauthproxy = ${proxy}\n`));
      const tokenPort = new URL(oauth.tokenUrl).port;
      const before = oauth.tokenRequests.length;
      const sync = await satchel('-o', '-c', prc);
      expect(sync.code, sync.out + sync.err).toBe(0);
      expect(mailCount('proxied')).toBeGreaterThan(0);
      expect(oauth.tokenRequests.length).toBeGreaterThan(before);
      expect(dante.log()).toMatch(new RegExp(`tcp/connect .*127\\.0\\.0\\.1\\.${tokenPort}\\b`));
      expect(dante.log()).not.toMatch(new RegExp(`127\\.0\\.0\\.1\\.${dovecot.port}\\b`));

      // The proxy gone: the refresh fails as a temporary error naming the proxy; nothing reaches the token server.
      await dante.stop();
      const seen = oauth.tokenRequests.length;
      const down = await satchel('-o', '-c', prc);
      expect(down.code).toBe(1);
      expect(down.err).toMatch(/Cannot connect through the SOCKS5 proxy 127\.0\.0\.1:\d+.*never connects directly/);
      expect(oauth.tokenRequests.length).toBe(seen);
    } finally {
      await dante.stop();
    }
  }, 90_000);
});
