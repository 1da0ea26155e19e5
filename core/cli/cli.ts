// The command line front end: reads an OfflineIMAP-style configuration, runs the engine
// once and reports in the chosen UI, with OfflineIMAP's exit codes (exit-code.ts). It is the
// twin of the utility-process adapter: same engine, another front. It never prints a password.

import fs from 'node:fs';
import { findDefaultConfigPath, loadOfflineImapConfig, type AccountLoadError } from '../config/offlineimaprc.js';
import { createRepositorySecrets } from '../config/repository-secret.js';
import type { ImapRepositoryConfig, SatchelConfig } from '../config/model.js';
import { isSyncError } from '../errors.js';
import { createEngine, type EngineDeps } from '../engine/engine.js';
import { createStore } from '../engine/store-factory.js';
import { createImapTraceLogger } from '../log/imap-trace.js';
import { openLogFile, teeSinks, type LogSink } from '../log/log-sink.js';
import { openSyslog } from '../log/syslog-sink.js';
import { parseArgs, USAGE, type CliOptions } from './cli-args.js';
import { createReporter } from './cli-report.js';
import { EXIT_ERROR, EXIT_OK, exitCodeOf } from './exit-code.js';
import { parseUiName } from './ui-names.js';
import { versionText } from './version.js';
import { passwordCommand } from './password-command.js';
import { loginCommand } from './login-command.js';
import { systemdCommand } from './systemd-units.js';
import { uiCommand } from './ui-command.js';
import { runDaemon } from './cli-daemon.js';
import { printInfo } from './cli-info.js';
import { printable } from '../log/printable.js';

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr, env: process.env }): Promise<number> {
  if (argv[0] === 'password') return passwordCommand(argv.slice(1), io);
  if (argv[0] === 'systemd') return systemdCommand(argv.slice(1), io);
  if (argv[0] === 'ui') return uiCommand(argv.slice(1), io);
  if (argv[0] === 'login') return loginCommand(argv.slice(1), io);
  const parsed = parseArgs(argv);
  if ('error' in parsed) { io.err.write(`satchel: ${parsed.error}\n`); return EXIT_ERROR; }
  const opts: CliOptions = parsed;
  if (opts.help) { io.out.write(USAGE + '\n'); return EXIT_OK; }
  if (opts.version) { io.out.write(versionText(opts.version === 'long') + '\n'); return EXIT_OK; }

  let config: SatchelConfig;
  let warnings: string[];
  let accountErrors: AccountLoadError[];
  try {
    const file = opts.configFile ?? findDefaultConfigPath(io.env, io.env.HOME ?? '');
    if (!file || !fs.existsSync(file)) {
      io.err.write(`satchel: no configuration file${file ? ` at ${file}` : ''}. Write one (see README: Configuration) or pass -c FILE.\n`);
      return EXIT_ERROR;
    }
    const loaded = loadOfflineImapConfig(file, { overrides: opts.overrides, env: io.env, home: io.env.HOME, accounts: opts.accounts });
    config = loaded.config;
    warnings = loaded.warnings.map((w) => w.message);
    accountErrors = loaded.accountErrors;
  } catch (e) {
    io.err.write(printable(`satchel: ${(e as Error).message}`, { multiline: true }) + '\n');
    return EXIT_ERROR;
  }
  const fromConfig = config.general.ui ? parseUiName(config.general.ui) : undefined;
  const ui = opts.ui ?? fromConfig?.ui ?? 'basic';
  // OfflineIMAP: debug output forces single-threading unless "thread" is among the types
  if (opts.singleThread || (opts.debug.length && !opts.debug.includes('thread'))) singleThreaded(config);
  let log: LogSink | undefined;
  try {
    log = await openLogs(opts.logFile, opts.syslog || (!opts.ui && !!fromConfig?.syslog), (m) => io.err.write(`satchel: ${m}\n`));
  } catch (e) {
    io.err.write(`satchel: ${(e as Error).message}\n`);
    return EXIT_ERROR;
  }
  const reporter = createReporter({ ui, dryRun: opts.dryRun, debug: opts.debug.length > 0 }, io, log);
  for (const w of warnings) reporter.warning(w);
  // An account whose configuration cannot be translated does not run; the others do, and the exit code says so.
  for (const a of accountErrors) {
    reporter.ui.event('error', { account: a.account, scope: 'account', retry: 'needs-user', code: 'config-untranslatable', message: a.message });
    log?.write('error', a.message);
  }
  const loadFailed = accountErrors.length > 0;
  const getSecret = createRepositorySecrets({ env: io.env });
  if (opts.info) {
    const code = await printInfo(config.accounts, { getSecret, out: io.out, fsync: config.general.fsync, folders: opts.folders });
    await log?.close();
    return loadFailed ? EXIT_ERROR : code;
  }
  const deps: EngineDeps = { config, getSecret };
  if (opts.debug.includes('imap')) {
    const trace = log ? (line: string) => log!.write('debug', line) : (line: string) => io.err.write(printable(line) + '\n');
    const imapLogger = createImapTraceLogger(trace);
    deps.storeFactory = (a, side) => createStore(side === 'far' ? a.remote : a.local, deps.getSecret, { fsync: config.general.fsync, imapLogger });
  }
  const engine = createEngine(deps);
  reporter.attach(engine);
  // autorefresh without -o: the daemon (scheduler, IDLE, OfflineIMAP's signals).
  if (!opts.oneshot && !opts.dryRun && !opts.folders && config.accounts.some((a) => a.autorefresh)) {
    const code = Math.max(await runDaemon(engine, { err: io.err }), loadFailed ? EXIT_ERROR : 0);
    reporter.exit(code);
    await log?.close();
    return code;
  }
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(130);
    stopping = true;
    io.err.write('satchel: stopping after the current step (press Ctrl-C again to quit at once)\n');
    void engine.stop(30_000);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const reports = await engine.syncNow({ folders: opts.folders, dryRun: opts.dryRun, allowMassDelete: opts.allowMassDelete, quick: opts.quick });
    reporter.finish(reports);
    const synced = exitCodeOf(reports.flatMap((r) => r.errors));
    const code = loadFailed ? EXIT_ERROR : synced;
    reporter.exit(code);
    return code;
  } catch (e) {
    io.err.write(printable(`satchel: ${isSyncError(e) ? e.message : (e as Error).stack}`, { multiline: true }) + '\n');
    log?.write('error', isSyncError(e) ? e.message : String(e));
    reporter.exit(EXIT_ERROR);
    return EXIT_ERROR;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await log?.close();
  }
}

/** -1: one account and one IMAP connection at a time. */
function singleThreaded(config: SatchelConfig): void {
  config.general.maxSyncAccounts = 1;
  for (const a of config.accounts) {
    for (const repo of [a.remote, a.local]) if (repo.type === 'imap') repo.maxConnections = 1;
  }
}

async function openLogs(file: string | undefined, syslog: boolean, onError: (m: string) => void): Promise<LogSink | undefined> {
  const sinks: LogSink[] = [];
  if (file) sinks.push(openLogFile(file));
  if (syslog) {
    try {
      sinks.push(await openSyslog({ onError }));
    } catch (e) {
      await Promise.all(sinks.map((s) => s.close()));
      throw e;
    }
  }
  return sinks.length ? teeSinks(sinks) : undefined;
}
