// OAuth2 in the interface, end to end and all real: Chromium on browser mode (the same app
// service the desktop window uses), a private Dovecot whose oauth2 passdb introspects tokens at a
// real authorization server (oidc-provider), and a private keyring. A person adds an account that
// signs in with "another OAuth2 server": the provider's page opens in a new tab, they sign in and
// consent there, the wizard tests the connection with the token, and the account syncs. Then the
// session is revoked: "Sign-in needed", no mail touched, "Sign in again" in a new tab, in sync.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { startKeyring, type TestKeyring } from '../helpers/keyring.js';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.js';
import { startBrowserMode, stopBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store.js';
import { refreshTokenKey } from '../../core/auth/token-source.js';
import type { UiServer } from '../../core/ui-server/ui-server.js';

const SHOTS = path.resolve('test/e2e/screenshots');

let keyring: TestKeyring;
let oauth: OAuthServer;
let dovecot: DovecotServer;
let dir: string;
let backend: BrowserMode['backend'];
let server: UiServer;
let browser: Browser;

const message = (n: number) => `From: a@example.org\r\nTo: alice@example.test\r\nSubject: message ${n}\r\nMessage-ID: <oa${n}@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nbody ${n}\r\n`;
const mailIn = () => ['cur', 'new'].flatMap((d) => {
  const p = path.join(dir, 'Mail', 'alice-example', 'INBOX', d);
  return fs.existsSync(p) ? fs.readdirSync(p) : [];
});

beforeAll(async () => {
  keyring = await startKeyring();
  oauth = await startOAuthServer({ accessTokenTtl: 3 });
  dovecot = await startDovecot({ users: ['alice'], oauth2: { introspectionUrl: oauth.introspectionUrl } });
  for (let i = 1; i <= 2; i++) await dovecot.appendMessage('alice', 'INBOX', message(i));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-e2e-oauth-'));
  ({ backend, server } = await startBrowserMode(dir));
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopBrowserMode({ backend, server });
  await dovecot?.stop();
  await oauth?.stop();
  await keyring?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The provider's tab: its login form, then its consent page; it ends on Satchel's "Signed in" page. */
async function signInInTab(tab: Page): Promise<void> {
  await tab.waitForLoadState('domcontentloaded');
  await tab.locator('input[name="login"]').waitFor({ timeout: 15_000 });
  await tab.locator('input[name="login"]').fill('alice');
  await tab.locator('input[name="password"]').fill('any');
  await tab.getByRole('button', { name: 'Sign-in' }).click();
  await tab.getByRole('button', { name: 'Continue' }).click();
  await tab.getByText('Signed in').waitFor({ timeout: 15_000 });
  await tab.close();
}

describe('OAuth2 sign-in in the wizard (browser mode, the app service of the desktop)', () => {
  it('adds an account that signs in with an OAuth2 server in a new tab, tests with the token, and syncs', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 860 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Add an account' }).isVisible()).toBe(true);
    await page.keyboard.type('alice@example.test');
    await page.keyboard.press('Enter');
    await page.getByLabel('IMAP server').waitFor({ timeout: 20_000 });
    await page.getByLabel('IMAP server').fill('127.0.0.1');
    await page.getByLabel('Security').selectOption('starttls');
    await page.getByLabel('Port').fill(String(dovecot.port));
    await page.getByLabel('User name').fill('alice');

    await page.getByRole('button', { name: 'Sign in with another OAuth2 server' }).click();
    await page.getByLabel('Authorization URL', { exact: true }).fill(oauth.authorizationUrl);
    await page.getByLabel('Token URL', { exact: true }).fill(oauth.tokenUrl);
    await page.getByLabel('Scope').fill(oauth.scope);
    await page.getByLabel('Client ID').fill(oauth.clientId);
    await page.screenshot({ path: path.join(SHOTS, '20-oauth-server.png'), fullPage: true });
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Sign in with OAuth2' }).click()]);
    await expect.poll(() => page.locator('.sign-in-wait').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, '21-oauth-waiting.png'), fullPage: true });
    await signInInTab(tab);

    // Dovecot's certificate is self-signed: the STARTTLS test asks to trust it, then logs in with the token.
    const failed = page.locator('.test-result.failed');
    await expect.poll(() => failed.getAttribute('data-kind'), { timeout: 20_000 }).toBe('tls-untrusted');
    await page.getByRole('button', { name: 'Trust this certificate and test again' }).click();
    await page.locator('.test-result.ok', { hasText: 'Connected.' }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(SHOTS, '22-oauth-connected.png'), fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Check folder' }).click();
    await page.locator('.test-result.ok').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.locator('.review').textContent()).toContain('OAuth2');
    await page.getByRole('button', { name: 'Save account' }).click();
    const state = page.locator('[data-account="alice-example"] [data-testid="account-state"]');
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toBe('In sync');
    expect(mailIn()).toHaveLength(2);

    const refresh = await new KeyringSecretStore().get(refreshTokenKey('alice-example'));
    expect(refresh).toBeTruthy();
    const settings = fs.readFileSync(path.join(dir, 'config', 'satchel', 'ui-settings.json'), 'utf8');
    expect(settings).toContain('"provider": "custom"');
    expect(settings).not.toContain(refresh!);
    expect(await page.content()).not.toContain(refresh!);
    await context.close();
  }, 120_000);

  it('a revoked session: "Sign-in needed" with no mail touched, then "Sign in again" in a new tab and the account syncs again', async () => {
    await oauth.revoke((await new KeyringSecretStore().get(refreshTokenKey('alice-example')))!);
    await new Promise((r) => setTimeout(r, 3500)); // the access token in memory expires too
    const context = await browser.newContext({ viewport: { width: 1000, height: 860 } });
    const page = await context.newPage();
    await page.goto(server.url);
    const card = page.locator('[data-account="alice-example"]');
    const state = card.locator('[data-testid="account-state"]');
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('Sign-in needed');
    expect(mailIn()).toHaveLength(2);
    await page.screenshot({ path: path.join(SHOTS, '23-oauth-sign-in-needed.png'), fullPage: true });

    await dovecot.appendMessage('alice', 'INBOX', message(3));
    await card.getByRole('button', { name: 'Sign in again…' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Edit alice-example' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Token URL', { exact: true }).inputValue()).toBe(oauth.tokenUrl);
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Sign in again' }).click()]);
    await signInInTab(tab);
    await page.locator('.test-result.ok', { hasText: 'Connected.' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save account' }).click();
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toBe('In sync');
    await expect.poll(() => mailIn().length, { timeout: 20_000 }).toBe(3);
    await context.close();
  }, 120_000);
});
