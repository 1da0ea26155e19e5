// `satchel ui [--port N] [--no-open] [-c FILE]`: browser mode. Starts the app service (the
// settings file, the keyring, the engine in process) and the 127.0.0.1 server, prints the address
// with its token, opens a browser unless --no-open (through a private launch page holding a
// one-time code: see browser-launch.ts), and runs until SIGINT/SIGTERM, then stops the engine at
// a safe point. It prints the token only in that address on stdout, never in argv, never a password.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOfflineImapConfig } from '../config/offlineimaprc.js';
import type { SatchelConfig } from '../config/model.js';
import type { AppService } from '../app/app-service.js';
import { createLocalAppService } from '../app/local-app-service.js';
import type { AccountTools } from '../accounts/account-tools.js';
import { defaultSettingsFile } from '../app/settings.js';
import { KeyringSecretStore } from '../secrets/keyring-secret-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { startUiServer, type UiServer } from '../ui-server/ui-server.js';
import { LAUNCH_CODE_TTL_MS } from '../ui-server/launch-codes.js';
import { launchBrowser, type LaunchPage } from './browser-launch.js';

export const UI_USAGE = `usage: satchel ui [--port N] [--no-open] [-c FILE]
  Serves the Satchel interface on http://127.0.0.1 (only) with a random token, backed by the
  sync engine, for machines without a desktop. Runs until Ctrl-C.
  --port N     listen on port N (default: a free port)
  --no-open    do not open a browser; just print the address
  -c FILE      run the accounts of this OfflineIMAP configuration (read-only in the interface)
               instead of the interface's own settings ($XDG_CONFIG_HOME/satchel/ui-settings.json)
  The interface files come from renderer/dist, or from $SATCHEL_UI_ROOT.`;

export interface UiIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Tests: replace the keyring, the account tools, or wait for something other than a signal. */
  secrets?: SecretStore;
  tools?: AccountTools;
  until?: Promise<void>;
}

interface UiArgs { port: number; open: boolean; configFile?: string }

export function parseUiArgs(args: string[]): UiArgs | { error: string } | { help: true } {
  const o: UiArgs = { port: 0, open: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-h' || a === '--help') return { help: true };
    else if (a === '--no-open') o.open = false;
    else if (a === '--port' || a.startsWith('--port=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v || !/^\d+$/.test(v) || Number(v) > 65535) return { error: `--port needs a port number from 0 to 65535 (got ${v ? `'${v}'` : 'nothing'})` };
      o.port = Number(v);
    } else if (a === '-c') {
      const v = args[++i];
      if (!v) return { error: 'option -c needs a value' };
      o.configFile = path.resolve(v);
    } else return { error: `unknown option '${a}'` };
  }
  return o;
}

/** $SATCHEL_UI_ROOT, else the nearest renderer/dist above this module (source tree or bundle). */
export function staticRoot(env: NodeJS.ProcessEnv): string {
  if (env.SATCHEL_UI_ROOT) return path.resolve(env.SATCHEL_UI_ROOT);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  const first = path.resolve(dir, '..', '..', 'renderer', 'dist');
  for (;;) {
    const candidate = path.join(dir, 'renderer', 'dist');
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return first;
    dir = up;
  }
}

export async function uiCommand(args: string[], io: UiIo): Promise<number> {
  const parsed = parseUiArgs(args);
  if ('help' in parsed) { io.out.write(UI_USAGE + '\n'); return 0; }
  if ('error' in parsed) { io.err.write(`satchel: ${parsed.error}\n${UI_USAGE}\n`); return 2; }
  const home = io.env.HOME ?? '';
  let fixedConfig: SatchelConfig | undefined;
  let backend: AppService;
  let server: UiServer;
  try {
    if (parsed.configFile) {
      const loaded = loadOfflineImapConfig(parsed.configFile, { env: io.env, home });
      fixedConfig = loaded.config;
      for (const w of loaded.warnings) io.err.write(`satchel: ${w.message}\n`);
      // Accounts that cannot be translated are not served; each says why (the others run).
      for (const a of loaded.accountErrors) io.err.write(`satchel: ${a.message}\n`);
    }
    backend = createLocalAppService({
      settingsFile: defaultSettingsFile(io.env, home), secrets: io.secrets ?? new KeyringSecretStore(),
      ...(io.tools ? { tools: io.tools } : {}), env: io.env, home, fixedConfig,
    });
    const root = staticRoot(io.env);
    if (!fs.existsSync(path.join(root, 'index.html'))) io.err.write(`satchel: the interface is not built (no ${path.join(root, 'index.html')}); run npm run build or set SATCHEL_UI_ROOT.\n`);
    server = await startUiServer({ backend, root, port: parsed.port });
  } catch (e) {
    const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    io.err.write(`satchel: ${inUse ? `port ${parsed.port} on 127.0.0.1 is already in use; choose another with --port N, or leave it out for a free one` : (e as Error).message}\n`);
    return 1;
  }
  let page: LaunchPage | undefined;
  let signals = 0;
  let release: () => void = () => undefined;
  const signalled = new Promise<void>((resolve) => { release = resolve; });
  // A second Ctrl-C quits at once (the engine is crash-safe), as in the sync command. Installed
  // before the address is printed, so a signal right after it still stops cleanly.
  const onSignal = () => { if (++signals > 1) process.exit(130); release(); };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    io.out.write(`Satchel is running at:\n  ${server.url}\nPress Ctrl-C to stop.\n`);
    if (parsed.open) {
      page = launchBrowser(server.launchUrl(), io.env);
      // The page's code is dead after its first use or its time to live: remove the page then at the latest.
      setTimeout(() => page?.remove(), LAUNCH_CODE_TTL_MS).unref();
    }
    await backend.start();
    await Promise.race([signalled, ...(io.until ? [io.until] : [])]);
    io.err.write('satchel: stopping after the current step (press Ctrl-C again to quit at once)\n');
    await server.close();
    await backend.close(30_000);
    return 0;
  } finally {
    page?.remove();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
