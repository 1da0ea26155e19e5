// `satchel login [--device] [-c FILE] ACCOUNT`: signs an OAuth2 account in from the command line.
// The browser flow prints the address (and opens a browser through a private launch page when
// there is one); --device prints the provider's device page and a code to enter there. The
// refresh token goes to the system keyring (core/auth's token source), then a test login proves
// it works. It never prints a token or the client secret, and never puts one in argv or the env.

import fs from 'node:fs';
import { resolveEndpoints } from '../auth/oauth-providers.js';
import { startBrowserSignIn } from '../auth/browser-flow.js';
import { startDeviceSignIn } from '../auth/device-flow.js';
import { clientSecretKey, refreshTokenKey } from '../auth/token-source.js';
import type { OAuth2Config } from '../auth/oauth-providers.js';
import { findDefaultConfigPath, loadOfflineImapConfig } from '../config/offlineimaprc.js';
import type { ImapRepositoryConfig } from '../config/model.js';
import { createRepositorySecrets } from '../config/repository-secret.js';
import { createStore } from '../engine/store-factory.js';
import { isSyncError } from '../errors.js';
import { printable } from '../log/printable.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { launchBrowser } from './browser-launch.js';

export const LOGIN_USAGE = `usage: satchel login [-c FILE] ACCOUNT            sign in with the browser (the address is printed too)
       satchel login --device [-c FILE] ACCOUNT   sign in on another device with a code (no browser here)`;

export interface LoginIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  store?: SecretStore;
  /** Default: open a browser unless SATCHEL_NO_BROWSER is set or there is no display. */
  openBrowser?: (url: string) => void;
}

export async function loginCommand(args: string[], io: LoginIo): Promise<number> {
  let device = false, configFile: string | undefined, account: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--device') device = true;
    else if (a === '-c' && args[i + 1]) configFile = args[++i];
    else if (a === '-h' || a === '--help') { io.out.write(LOGIN_USAGE + '\n'); return 0; }
    else if (!a.startsWith('-') && !account) account = a;
    else { io.err.write(`satchel: login: unexpected "${a}"\n${LOGIN_USAGE}\n`); return 1; }
  }
  if (!account) { io.err.write(`satchel: login needs the name of an account\n${LOGIN_USAGE}\n`); return 1; }
  const fail = (m: string) => { io.err.write(printable(`satchel: ${m}`, { multiline: true }) + '\n'); return 1; };
  try {
    const file = configFile ?? findDefaultConfigPath(io.env, io.env.HOME ?? '');
    if (!file || !fs.existsSync(file)) return fail(`no configuration file${file ? ` at ${file}` : ''}. Write one or pass -c FILE.`);
    const { config } = loadOfflineImapConfig(file, { env: io.env, home: io.env.HOME, accounts: [account] });
    const acc = config.accounts.find((x) => x.name === account);
    const repo = acc?.remote.type === 'imap' ? acc.remote : undefined;
    if (!repo) return fail(`there is no account "${account}" with an IMAP server in ${file}.`);
    if (!repo.oauth2) {
      return fail(`account "${account}" signs in with a password, not OAuth2. For OAuth2, add to [Repository ${repo.name}] the options of the README's "Sign in with OAuth2" (type = Gmail or a Microsoft server needs only the client ID, if this copy of Satchel has none).`);
    }
    const oauth2: OAuth2Config = repo.oauth2;
    const store = io.store ?? new KeyringSecretStore();
    const who = `account "${account}"`;
    const secret = oauth2.clientSecretInKeyring ? await store.get(clientSecretKey(account)) : undefined;
    const ep = resolveEndpoints(oauth2, who, secret, repo.authProxy);
    const secrets = createRepositorySecrets({ env: io.env, secretStore: store });
    const source = secrets.tokenSource(repo as ImapRepositoryConfig & { oauth2: OAuth2Config });
    let tokens;
    if (device) {
      const d = await startDeviceSignIn(ep, { who });
      io.out.write(`To sign ${account} (${repo.user}) in to ${ep.providerName}: on any device, open\n  ${d.verificationUri}\nand enter the code\n  ${d.userCode}\n` +
        `Waiting (the code expires in ${Math.round((d.expiresAt - Date.now()) / 60_000)} minutes; Ctrl-C cancels)…\n`);
      tokens = await d.result;
    } else {
      const flow = await startBrowserSignIn(ep, { who, loginHint: repo.user });
      io.out.write(`To sign ${account} (${repo.user}) in to ${ep.providerName}, open this address in a browser on this computer:\n  ${flow.url}\nWaiting (Ctrl-C cancels)…\n`);
      const open = io.openBrowser ?? ((url: string) => {
        if (io.env.SATCHEL_NO_BROWSER || (!io.env.DISPLAY && !io.env.WAYLAND_DISPLAY && process.platform === 'linux')) return;
        const page = launchBrowser(url, io.env);
        if (page) setTimeout(() => page.remove(), 120_000).unref();
      });
      open(flow.url);
      const cancel = () => flow.cancel();
      process.once('SIGINT', cancel);
      try { tokens = await flow.result; } finally { process.off('SIGINT', cancel); }
    }
    await source.signedIn(tokens);
    if (!tokens.refreshToken) io.out.write(`${ep.providerName} gave no refresh token: the sign-in lasts until the access token expires.\n`);
    else io.out.write(`Signed in. The refresh token is in the system keyring (service "Satchel", key "${refreshTokenKey(account)}").\n`);
    const imap = createStore({ ...repo, maxConnections: 1 }, secrets, { fsync: false });
    try {
      await imap.connect();
      io.out.write(`Logged in to ${repo.host} as ${repo.user}.\n`);
    } finally {
      await imap.close().catch(() => undefined);
    }
    return 0;
  } catch (e) {
    return fail(isSyncError(e) || e instanceof Error ? e.message : String(e));
  }
}
