// Test helper: a person at the provider's pages, played by Chromium (playwright-core, Debian's
// /usr/bin/chromium): opens an authorization URL (or the device page), signs in on oidc-provider's
// login page, grants access on its consent page, and lets the browser follow the redirect back to
// Satchel's loopback listener. It only clicks what a person would; it never reads tokens.

import type { Browser, Page } from 'playwright-core';

/** Signs in and consents on the pages shown at `url`; resolves when the browser is back at `http://127.0.0.1:…/` or localhost. */
export async function signInAt(browser: Browser, url: string, login: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await passLoginAndConsent(page, login);
    await page.waitForURL(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/\?/, { timeout: 15_000 });
    await page.getByText(/Signed in|Sign-in failed/).waitFor({ timeout: 15_000 });
  } finally {
    await page.close();
  }
}

/** Enters `userCode` on the device page, then signs in and consents. */
export async function signInOnDevicePage(browser: Browser, verificationUri: string, userCode: string, login: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(verificationUri);
    await page.locator('input[name="user_code"]').fill(userCode);
    await page.getByRole('button', { name: 'Continue' }).click();
    await passLoginAndConsent(page, login);
    await page.getByText('Sign-in Success').first().waitFor({ timeout: 15_000 });
  } finally {
    await page.close();
  }
}

/** oidc-provider's device confirmation, development login form and consent form (each shown at most once). */
async function passLoginAndConsent(page: Page, login: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await page.waitForLoadState('domcontentloaded');
    const loginField = page.locator('input[name="login"]');
    if (await loginField.count()) {
      await loginField.fill(login);
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button.login-submit, button[type="submit"]').first().click();
      continue;
    }
    // The consent page and the device confirmation page: "Continue" (never the "[ Abort ]" button).
    const consent = page.getByRole('button', { name: /^\s*Continue\s*$/ });
    if (await consent.count()) {
      await consent.first().click();
      continue;
    }
    return;
  }
}
