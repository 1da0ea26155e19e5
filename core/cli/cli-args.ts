// Parses satchel's command line, OfflineIMAP-style (-c FILE -o -a ACCTS -f FOLDERS -k OPT
// -u UI --dry-run ...). Pure: returns the options or a usage error message; never exits.

import { parseUiName, UI_HELP, type UiName } from './ui-names.js';

export interface CliOptions {
  configFile?: string;
  oneshot: boolean;
  accounts?: string[];
  folders?: string[];
  overrides: string[];
  /** Undefined: [general] ui from the configuration, else basic. */
  ui?: UiName;
  /** -1: one account and one connection at a time. */
  singleThread: boolean;
  /** -l FILE: append a timestamped log here. */
  logFile?: string;
  /** -s (or -u syslog): the log also goes to syslog. */
  syslog: boolean;
  dryRun: boolean;
  quick: boolean;
  allowMassDelete: boolean;
  help: boolean;
  /** 'short' for --version, 'long' for -V (adds Node, OpenSSL and imapflow). */
  version?: 'short' | 'long';
  debug: string[];
  /** --info: print server capabilities, folder rules and the folder mapping; no sync. */
  info?: boolean;
}

export const USAGE = `Usage: satchel [options]

Two-way sync of IMAP accounts with local Maildir folders, reading an OfflineIMAP-style config.

  -c FILE          configuration file (default: $XDG_CONFIG_HOME/offlineimap/config, ~/.offlineimaprc)
  -o               sync once and exit (no autorefresh loop)
  -1               one account and one IMAP connection at a time (maxsyncaccounts = maxconnections = 1)
  -a ACCOUNTS      only these accounts (comma separated)
  -f FOLDERS       only these remote folders (comma separated)
  -k [SECTION:]OPTION=VALUE
                   override a configuration option (repeatable)
  -u UI            output: quiet (errors only), basic (a line per account and changed folder),
                   ttyui (live progress on a terminal, basic otherwise), machineui (JSON lines);
                   also blinkenlights (= ttyui), syslog (= basic -s) and dotted names (TTY.TTYUI).
                   Default: [general] ui, else basic
  -q               quick sync: new and deleted mail only; flag changes wait for a full sync
  -l FILE          append a timestamped log (info, debug and errors) to FILE
  -s               send the log to syslog too (through the logger command)
  -d TYPES         debug output, comma separated: imap (protocol trace, passwords redacted),
                   maildir, thread, all
  --dry-run        show what would be done; change nothing anywhere
  --info           per account: server capabilities, folder rules and the folder list
                   (remote -> local, filtered ones marked); no sync, nothing written
  --allow-mass-delete
                   let a sync delete many messages from a side whose other side looks empty
  --version        print the version
  -V               print the version and those of Node, OpenSSL and imapflow
  -h, --help       this help

Commands:
  satchel password set|delete ACCOUNT
                   store (from a prompt or stdin) or remove ACCOUNT's password in the system keyring
  satchel login [--device] [-c FILE] ACCOUNT
                   sign ACCOUNT in with OAuth2 (Gmail, Microsoft 365, other OAuth2 servers): in a browser,
                   or with --device by entering a code on another device; the token goes to the keyring
  satchel systemd [--install] [--timer-interval 5min]
                   print (or install) systemd user units: a timer, or a long-running service
  satchel ui [--port N] [--no-open] [-c FILE]
                   serve the interface on http://127.0.0.1 with a random token (browser mode)

Exit codes (as OfflineIMAP): 0 everything synced; 1 an error (a folder or account failed,
or a bad command line or configuration; one line per error says what to do);
2 no other error, but at least one folder was skipped because its UIDVALIDITY changed.`;

const DEBUG_TYPES = ['imap', 'maildir', 'thread', 'all'];

export function parseArgs(argv: string[]): CliOptions | { error: string } {
  const o: CliOptions = { oneshot: false, overrides: [], singleThread: false, syslog: false, dryRun: false, quick: false, allowMassDelete: false, help: false, debug: [] };
  const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`option ${arg} needs a value`);
      return v;
    };
    try {
      switch (arg) {
        case '-c': o.configFile = value(); break;
        case '-o': o.oneshot = true; break;
        case '-1': o.singleThread = true; break;
        case '-a': o.accounts = list(value()); break;
        case '-f': o.folders = list(value()); break;
        case '-k': o.overrides.push(value()); break;
        case '-q': o.quick = true; break;
        case '-d': {
          o.debug = list(value()).map((t) => t.toLowerCase());
          const bad = o.debug.find((t) => !DEBUG_TYPES.includes(t));
          if (bad) throw new Error(`unknown debug type "${bad}" (use ${DEBUG_TYPES.join(', ')})`);
          if (o.debug.includes('all')) o.debug = ['imap', 'maildir', 'thread'];
          break;
        }
        case '-l': o.logFile = value(); break;
        case '-s': o.syslog = true; break;
        case '-u': {
          const name = value();
          const choice = parseUiName(name);
          if (!choice) throw new Error(`unknown UI "${name}" (use ${UI_HELP})`);
          o.ui = choice.ui;
          if (choice.syslog) o.syslog = true;
          break;
        }
        case '--dry-run': o.dryRun = true; break;
        case '--info': o.info = true; break;
        case '--allow-mass-delete': o.allowMassDelete = true; break;
        case '-h': case '--help': o.help = true; break;
        case '--version': o.version = 'short'; break;
        case '-V': o.version = 'long'; break;
        default: throw new Error(`unknown option "${arg}"`);
      }
    } catch (e) {
      return { error: `${(e as Error).message}. Run "satchel --help" for the options.` };
    }
  }
  return o;
}
