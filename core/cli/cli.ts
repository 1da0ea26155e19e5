// The command line front end: reads an OfflineIMAP-style configuration, runs the engine
// once and reports in the chosen UI, with OfflineIMAP-like exit codes. It is the twin of the
// utility-process adapter: same engine, another front. It never prints a password.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import { findDefaultConfigPath, loadOfflineImapConfig } from '../config/offlineimaprc.js';
import { resolvePassword } from '../config/secrets.js';
import type { SatchelConfig } from '../config/model.js';
import { isSyncError } from '../errors.js';
import { createEngine } from '../engine/engine.js';
import { parseArgs, USAGE, type CliOptions } from './cli-args.js';
import { createReporter } from './cli-report.js';
import { printInfo } from './cli-info.js';

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  const parsed = parseArgs(argv);
  if ('error' in parsed) { io.err.write(`satchel: ${parsed.error}\n`); return 2; }
  const opts: CliOptions = parsed;
  if (opts.help) { io.out.write(USAGE + '\n'); return 0; }
  if (opts.version) { io.out.write(`satchel ${version()}\n`); return 0; }

  let config: SatchelConfig;
  try {
    const file = opts.configFile ?? findDefaultConfigPath(io.env, io.env.HOME ?? '');
    if (!file || !fs.existsSync(file)) {
      io.err.write(`satchel: no configuration file${file ? ` at ${file}` : ''}. Write one (see README: Configuration) or pass -c FILE.\n`);
      return 2;
    }
    const loaded = loadOfflineImapConfig(file, { overrides: opts.overrides, env: io.env, home: io.env.HOME, accounts: opts.accounts });
    config = loaded.config;
    if (opts.ui !== 'quiet') for (const w of loaded.warnings) io.err.write(`satchel: warning: ${w.message}\n`);
  } catch (e) {
    io.err.write(`satchel: ${(e as Error).message}\n`);
    return 2;
  }
  if (opts.info) {
    return printInfo(config.accounts, { getSecret: (repo) => resolvePassword(repo.password, { env: io.env }), out: io.out, fsync: config.general.fsync, folders: opts.folders });
  }
  const engine = createEngine({ config, getSecret: (repo) => resolvePassword(repo.password, { env: io.env }) });
  const reporter = createReporter(opts, io);
  reporter.attach(engine);
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    io.err.write('satchel: stopping after the current step (press Ctrl-C again to quit at once)\n');
    void engine.stop(30_000);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const daemon = !opts.oneshot && !opts.dryRun && !opts.folders && config.accounts.some((a) => a.autorefresh);
  if (daemon) {
    // autorefresh: keep syncing until a signal asks us to stop (the full daemon, with IDLE
    // and quick syncs, is a later step).
    const stopped = new Promise<void>((resolve) => { process.once('SIGINT', resolve); process.once('SIGTERM', resolve); });
    await engine.start();
    await stopped;
    await engine.stop(30_000);
    return 0;
  }
  try {
    const reports = await engine.syncNow({ folders: opts.folders, dryRun: opts.dryRun, allowMassDelete: opts.allowMassDelete });
    reporter.finish(reports);
    return reports.some((r) => r.errors.length) ? 1 : 0;
  } catch (e) {
    io.err.write(`satchel: ${isSyncError(e) ? e.message : (e as Error).stack}\n`);
    return isSyncError(e) && e.scope === 'fatal' ? 2 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function version(): string {
  const require = createRequire(import.meta.url);
  for (const p of ['../../package.json', '../../../package.json']) {
    try { return (require(p) as { version: string }).version; } catch { /* try the next layout */ }
  }
  return 'unknown';
}
