// Test helper: Debian's Chromium (/usr/bin/chromium) driven by playwright-core, with the
// arguments every browser test of this repository uses (no sandbox in containers, no GPU, no
// background traffic). It never downloads a browser.

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
