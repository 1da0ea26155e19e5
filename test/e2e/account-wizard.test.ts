// The interface end to end, all real: Debian's Chromium (playwright-core) on the built renderer
// (renderer/dist) served by browser mode, backed by a private Dovecot and a private gnome-keyring.
// A person adds an account with the keyboard and mouse: the address, the discovered guess edited,
// an untrusted certificate trusted explicitly, a wrong password reported as such, the folder list,
// a nametrans typed and the preview following it, a collision marked, the local folder checked,
// the review saved; the status reaches "In sync" and the mail is in the Maildir. Each step leaves
// a screenshot in test/e2e/screenshots/.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.js';
import { startKeyring, type TestKeyring } from '../helpers/keyring.js';
import { startBrowserMode, stopBrowserMode, type BrowserMode } from '../helpers/browser-mode.js';
import { KeyringSecretStore } from '../../core/secrets/keyring-secret-store.js';
import type { UiServer } from '../../core/ui-server/ui-server.js';

const SHOTS = path.resolve('test/e2e/screenshots');

let keyring: TestKeyring;
let dovecot: DovecotServer;
let dir: string;
let backend: BrowserMode['backend'];
let server: UiServer;
let browser: Browser;

const message = (n: number) => `From: a@example.org\r\nTo: alice@example.test\r\nSubject: message ${n}\r\nMessage-ID: <w${n}@example.org>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nbody ${n}\r\n`;

beforeAll(async () => {
  keyring = await startKeyring();
  dovecot = await startDovecot();
  for (let i = 1; i <= 3; i++) await dovecot.appendMessage('alice', 'INBOX', message(i));
  for (let i = 4; i <= 5; i++) await dovecot.appendMessage('alice', 'Archive', message(i));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-e2e-'));
  ({ backend, server } = await startBrowserMode(dir));
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stopBrowserMode({ backend, server });
  await dovecot?.stop();
  await keyring?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  // Every screen photographed is also checked for controls without a label.
  expect(await unlabelled(page), name).toEqual([]);
};
/** Form controls and buttons with no accessible name (no <label>, aria-label or text). */
const unlabelled = (page: Page) => page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')].filter((el) => {
  const c = el as HTMLInputElement;
  const named = (c.labels?.length ?? 0) > 0 || c.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent?.trim());
  return !named;
}).map((el) => el.outerHTML.slice(0, 120)));
const mailIn = (folder: string) => ['cur', 'new'].flatMap((d) => {
  const p = path.join(dir, 'Mail', 'alice-example', folder, d);
  return fs.existsSync(p) ? fs.readdirSync(p) : [];
});

describe('the interface in Chromium, backed by Dovecot', () => {
  it('adds an account through the wizard, previews a nametrans, and reaches "In sync" with the mail on disk', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url);

    // 1. No account yet: the wizard is the first screen, the address field has the focus.
    await expect.poll(() => page.getByRole('heading', { name: 'Add an account' }).isVisible()).toBe(true);
    await page.keyboard.type('alice@example.test');
    expect(await page.getByLabel('Account name').inputValue()).toBe('alice-example');
    await shot(page, '01-address');
    await page.keyboard.press('Enter');

    // 2. Discovery found nothing for example.test: its guess is shown and editable.
    const host = page.getByLabel('IMAP server');
    await host.waitFor({ timeout: 20_000 });
    expect(await host.inputValue()).toBe('imap.example.test');
    await expect.poll(() => page.locator('.discovery').textContent()).toContain('a guess');
    expect(await page.getByLabel('User name').inputValue()).toBe('alice@example.test');
    await host.fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(dovecot.tlsPort));
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('not-the-password');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);

    // The self-signed certificate is not trusted: its fingerprint is shown, the user trusts it explicitly.
    await page.getByRole('button', { name: 'Test connection' }).click();
    const failed = page.locator('.test-result.failed');
    await expect.poll(() => failed.getAttribute('data-kind'), { timeout: 20_000 }).toBe('tls-untrusted');
    const shown = (await page.locator('.fingerprint code').textContent())!.replace(/:/g, '').toLowerCase();
    expect(shown).toBe(dovecot.certFingerprint);
    await shot(page, '02-certificate-untrusted');
    await page.getByRole('button', { name: 'Trust this certificate and test again' }).click();

    // With the certificate pinned, the wrong password is reported as such.
    await expect.poll(() => failed.getAttribute('data-kind'), { timeout: 20_000 }).toBe('auth-failed');
    expect(await failed.textContent()).toContain('Wrong user name or password');
    await shot(page, '03-wrong-password');

    await page.getByLabel('Password').fill('alicepw');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.test-result.ok').waitFor({ timeout: 20_000 });
    expect(await page.locator('.test-result.ok').textContent()).toMatch(/Connected\..*INBOX/);
    await shot(page, '04-connected');
    await page.getByRole('button', { name: 'Next' }).click();

    // 3. The folder rules with the live preview on the server's real folders.
    const localOf = (remote: string) => page.locator(`tr[data-remote="${remote}"] .local-name`);
    await expect.poll(() => localOf('Archive').textContent()).toBe('Archive');
    const nametrans = page.getByLabel('Name translation (nametrans)');
    await nametrans.fill("lambda folder: 'same'");
    await expect.poll(() => page.locator('tr.row-problem').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await shot(page, '05-rules-collision');
    await nametrans.fill("lambda folder: re.sub('^Archive', 'Old', folder)");
    await expect.poll(() => localOf('Archive').textContent()).toBe('Old');
    expect(await localOf('INBOX').textContent()).toBe('INBOX');
    await nametrans.fill("lambda folder: re.sub('^Archive(', 'Old', folder)");
    await expect.poll(() => page.locator('.rules-editor .field.invalid .error').count()).toBe(1);
    await nametrans.fill("lambda folder: re.sub('^Archive', 'Old', folder)");
    await expect.poll(() => localOf('Archive').textContent()).toBe('Old');
    await expect.poll(() => page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(false);
    await shot(page, '06-rules-preview');
    await page.getByRole('button', { name: 'Next' }).click();

    // 4. The local folder, checked.
    expect(await page.getByLabel('Local Maildir folder').inputValue()).toBe('~/Mail/alice-example');
    await page.getByRole('button', { name: 'Check folder' }).click();
    await page.locator('.test-result.ok').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();

    // 5. Review, then save: the status view follows the first sync to "In sync".
    expect(await page.locator('.review').textContent()).toContain("nametrans = lambda folder: re.sub('^Archive', 'Old', folder)");
    await shot(page, '07-review');
    await page.getByRole('button', { name: 'Save account' }).click();
    const state = page.locator('[data-account="alice-example"] [data-testid="account-state"]');
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toBe('In sync');
    await expect.poll(() => page.locator('[data-account="alice-example"] tr.folder-synced').count()).toBe(2);
    await shot(page, '08-status-in-sync');

    expect(mailIn('INBOX')).toHaveLength(3);
    expect(mailIn('.Old').length + mailIn('Old').length).toBe(2);
    expect(await new KeyringSecretStore().get('alice-example')).toBe('alicepw');
    expect(fs.readFileSync(path.join(dir, 'config', 'satchel', 'ui-settings.json'), 'utf8')).not.toContain('alicepw');

    // Readable at 200% zoom: a 500-pixel-wide window (1000 at 200%) scrolls only vertically.
    await page.setViewportSize({ width: 500, height: 760 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await shot(page, '09-status-narrow');
    expect(await page.content()).not.toContain('alicepw');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the log shows what happened (redacted) and the rules of the saved account can be edited', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Log' }).click();
    await expect.poll(() => page.locator('.log-line').count()).toBeGreaterThan(0);
    expect(await page.locator('.log-lines').textContent()).toContain('alice-example: account saved');
    expect(await page.locator('.log-lines').textContent()).not.toContain('alicepw');

    await page.getByRole('button', { name: 'Folder rules' }).click();
    const nametrans = page.getByLabel('Name translation (nametrans)');
    await expect.poll(() => nametrans.inputValue()).toBe("lambda folder: re.sub('^Archive', 'Old', folder)");
    await expect.poll(() => page.locator('tr[data-remote="Archive"] .local-name').textContent()).toBe('Old');
    await page.getByRole('button', { name: 'Gmail' }).click();
    await expect.poll(() => page.locator('tr[data-remote="Archive"] .local-name').textContent()).toBe('archive');
    await shot(page, '10-rules-saved-account');
    await page.getByRole('button', { name: 'Undo changes' }).click();
    expect(await nametrans.inputValue()).toBe("lambda folder: re.sub('^Archive', 'Old', folder)");
    await page.close();
  });

  it('imports ~/.offlineimaprc with a verdict per option, saves preferences, and follows a dark system theme', async () => {
    fs.copyFileSync(path.resolve('examples/daemon.offlineimaprc'), path.join(dir, '.offlineimaprc'));
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 }, colorScheme: 'dark' });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('button', { name: 'Read it' }).click();
    const report = page.locator('.import-report');
    await report.waitFor();
    expect(await report.locator('code').first().textContent()).toBe(path.join(dir, '.offlineimaprc'));
    expect(await report.textContent()).toContain('Accounts: main.');
    expect(await page.locator('tr.import-honoured', { hasText: 'autorefresh' }).count()).toBe(1);
    expect(await page.locator('tr.import-not-honoured', { hasText: 'holdconnectionopen' }).count()).toBe(1);
    expect(await report.textContent()).not.toContain('imap.example.org');
    await shot(page, '11-import-dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(23, 24, 26)');

    await page.getByRole('button', { name: 'Preferences' }).click();
    const idle = page.getByLabel('Watch the inbox (IDLE): new mail within seconds');
    expect(await idle.isChecked()).toBe(true);
    await idle.uncheck();
    await page.getByText('Saved.').waitFor();
    expect(await backend.getPreferences()).toMatchObject({ idle: false });
    await shot(page, '12-preferences-dark');
    await page.close();
  });

  it('a password changed on the server: "Sign-in needed", then "Sign in again" edits the account and syncing resumes', async () => {
    await dovecot.addUser('alice', 'rotated-pw');
    // Dovecot re-reads its password file at most once a second: wait until the new password is in force.
    await expect.poll(async () => (await dovecot.client('alice').then((c) => c.logout().then(() => true), () => false)), { timeout: 10_000 }).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(server.url);
    const card = page.locator('[data-account="alice-example"]');
    const state = card.locator('[data-testid="account-state"]');
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('Sign-in needed');
    await shot(page, '13-sign-in-needed');

    await card.getByRole('button', { name: 'Sign in again…' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Edit alice-example' }).isVisible()).toBe(true);
    expect(await page.getByLabel('IMAP server').inputValue()).toBe('127.0.0.1');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await page.getByLabel('Password').fill('rotated-pw');
    await page.getByLabel('Password').press('Enter'); // Enter tests the connection on this step
    // The pinned certificate came back with the account: no new trust question.
    await page.locator('.test-result.ok').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByLabel('Name translation (nametrans)').inputValue()).toBe("lambda folder: re.sub('^Archive', 'Old', folder)");
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save account' }).click();
    await expect.poll(() => state.textContent(), { timeout: 30_000 }).toBe('In sync');
    expect(await new KeyringSecretStore().get('alice-example')).toBe('rotated-pw');
    expect((await backend.listAccounts())[0]).toMatchObject({ name: 'alice-example', certFingerprint: dovecot.certFingerprint, localfolders: path.join(dir, 'Mail', 'alice-example') });
    await page.close();
  });

  it('Sync now brings new mail, Pause and Resume per account, and Remove keeps the mail', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(server.url);
    const card = page.locator('[data-account="alice-example"]');
    const state = card.locator('[data-testid="account-state"]');
    await expect.poll(() => state.textContent()).toBe('In sync');

    await dovecot.appendMessage('alice', 'INBOX', message(6));
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => mailIn('INBOX').length, { timeout: 20_000 }).toBe(4);

    // A bigger sync shows its progress (messages and bytes, with a bar) while it runs.
    const big = 'z'.repeat(400_000);
    for (let i = 0; i < 40; i++) {
      await dovecot.appendMessage('alice', 'Archive', `From: a@example.org\r\nSubject: big ${i}\r\nMessage-ID: <big${i}@example.org>\r\n\r\n${big}\r\n`);
    }
    // The sync takes a fraction of a second here: a MutationObserver in the page records what the bar said.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const p = document.querySelector('[data-account="alice-example"] .progress');
        if (p?.querySelector('progress') && p.textContent) seen.push(p.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Sync all now' }).click();
    await expect.poll(() => mailIn('.Old').length + mailIn('Old').length, { timeout: 30_000 }).toBe(42);
    await expect.poll(() => card.locator('.progress').count()).toBe(0);
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen.some((t) => /^Archive: \d+ of 40 messages, [\d.]+ (KB|MB)/.test(t)), seen.join(' | ')).toBe(true);

    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => state.textContent()).toBe('Paused');
    await dovecot.appendMessage('alice', 'INBOX', message(7));
    await page.getByRole('button', { name: 'Sync all now' }).click();
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailIn('INBOX')).toHaveLength(4);
    await card.getByRole('button', { name: 'Resume' }).click();
    await card.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => mailIn('INBOX').length, { timeout: 20_000 }).toBe(5);
    await expect.poll(() => state.textContent()).toBe('In sync');

    await card.getByRole('button', { name: 'Remove account…' }).click();
    await shot(page, '14-remove-account');
    await card.getByRole('button', { name: 'Remove alice-example' }).click();
    await expect.poll(() => card.count()).toBe(0);
    expect(mailIn('INBOX')).toHaveLength(5);
    expect(await new KeyringSecretStore().get('alice-example')).toBeUndefined();
    expect(await backend.listAccounts()).toEqual([]);
    await page.close();
  });

  it('a new account syncs again by itself on its schedule, shows its folders, and the preferences survive a restart of the backend', async () => {
    await dovecot.addUser('bob', 'bobpw');
    await dovecot.appendMessage('bob', 'INBOX', message(30));
    await dovecot.appendMessage('bob', 'Lists', message(31));
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await page.goto(server.url);
    // Sync every minute, no IDLE (so only the schedule can bring new mail), nested local folders.
    await page.getByRole('button', { name: 'Preferences' }).click();
    const every = page.getByLabel('Sync every (minutes, 0 = only when asked)');
    await every.fill('1');
    await every.press('Tab');
    const idle = page.getByLabel('Watch the inbox (IDLE): new mail within seconds');
    if (await idle.isChecked()) await idle.uncheck();
    await page.getByLabel('Archive/2024 (nested folders)').check();
    await expect.poll(() => backend.getPreferences()).toMatchObject({ syncEveryMinutes: 1, idle: false, localSeparator: '/' });

    // The wizard, quickly: the address, the server, the pinned certificate, the defaults.
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByLabel('E-mail address').fill('bob@example.test');
    await page.keyboard.press('Enter');
    const host = page.getByLabel('IMAP server');
    await host.waitFor({ timeout: 20_000 });
    await host.fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(dovecot.tlsPort));
    await page.getByLabel('User name').fill('bob');
    await page.getByLabel('Password').fill('bobpw');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByRole('button', { name: 'Trust this certificate and test again' }).click();
    await page.locator('.test-result.ok').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('tr[data-remote="Lists"]').waitFor(); // the folders, as they are
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Check folder' }).click();
    await page.locator('.test-result.ok').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save account' }).click();
    const card = page.locator('[data-account="bob-example"]');
    await expect.poll(() => card.locator('[data-testid="account-state"]').textContent(), { timeout: 30_000 }).toBe('In sync');
    // Its folders, each with its state, in the status view.
    await expect.poll(() => card.locator('tr.folder-synced').count()).toBe(2);
    expect(await card.locator('table.folders').textContent()).toContain('Lists');
    const bobMail = (folder: string) => ['cur', 'new'].flatMap((d) => {
      const p = path.join(dir, 'Mail', 'bob-example', folder, d);
      return fs.existsSync(p) ? fs.readdirSync(p) : [];
    });
    expect(bobMail('INBOX')).toHaveLength(1);
    await shot(page, '15-schedule-account');

    // Nobody asks: the account's schedule (every minute) brings the new message.
    await dovecot.appendMessage('bob', 'INBOX', message(32));
    await expect.poll(() => bobMail('INBOX').length, { timeout: 100_000, interval: 1_000 }).toBe(2);
    await page.close();

    // A restart of the backend keeps every preference (they live in the settings file, not in memory).
    await stopBrowserMode({ backend, server }, 10_000);
    ({ backend, server } = await startBrowserMode(dir));
    const again = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    await again.goto(server.url);
    await again.getByRole('button', { name: 'Preferences' }).click();
    await expect.poll(() => again.getByLabel('Sync every (minutes, 0 = only when asked)').inputValue()).toBe('1');
    expect(await again.getByLabel('Watch the inbox (IDLE): new mail within seconds').isChecked()).toBe(false);
    expect(await again.getByLabel('Archive/2024 (nested folders)').isChecked()).toBe(true);
    await again.close();
  }, 180_000);
});
