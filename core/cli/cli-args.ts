// Parses satchel's command line, OfflineIMAP-style (-c FILE -o -a ACCTS -f FOLDERS -k OPT
// -u UI --dry-run ...). Pure: returns the options or a usage error message; never exits.

export interface CliOptions {
  configFile?: string;
  oneshot: boolean;
  accounts?: string[];
  folders?: string[];
  overrides: string[];
  ui: 'quiet' | 'basic' | 'ttyui' | 'machineui';
  dryRun: boolean;
  quick: boolean;
  allowMassDelete: boolean;
  help: boolean;
  version: boolean;
  debug: string[];
  /** --info: print server capabilities, folder rules and the folder mapping; no sync. */
  info?: boolean;
}

export const USAGE = `Usage: satchel [options]

Two-way sync of IMAP accounts with local Maildir folders, reading an OfflineIMAP-style config.

  -c FILE          configuration file (default: $XDG_CONFIG_HOME/offlineimap/config, ~/.offlineimaprc)
  -o               sync once and exit (no autorefresh loop)
  -a ACCOUNTS      only these accounts (comma separated)
  -f FOLDERS       only these remote folders (comma separated)
  -k [SECTION:]OPTION=VALUE
                   override a configuration option (repeatable)
  -u UI            output: quiet (errors only), basic (default), ttyui, machineui (JSON lines)
  -q               quick sync (accepted; unchanged folders are always skipped cheaply)
  -d TYPES         debug output (accepted: imap, maildir, all)
  --dry-run        show what would be done; change nothing anywhere
  --info           per account: server capabilities, folder rules and the folder list
                   (remote -> local, filtered ones marked); no sync, nothing written
  --allow-mass-delete
                   let a sync delete many messages from a side whose other side looks empty
  -V, --version    print the version
  -h, --help       this help

Exit codes: 0 everything synced; 1 some folder or account failed (see the messages);
2 bad command line or configuration.`;

export function parseArgs(argv: string[]): CliOptions | { error: string } {
  const o: CliOptions = { oneshot: false, overrides: [], ui: 'basic', dryRun: false, quick: false, allowMassDelete: false, help: false, version: false, debug: [] };
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
        case '-1': break; // OfflineIMAP's "single-threaded": accepted, we are always safe to run in parallel
        case '-a': o.accounts = list(value()); break;
        case '-f': o.folders = list(value()); break;
        case '-k': o.overrides.push(value()); break;
        case '-q': o.quick = true; break;
        case '-d': o.debug = list(value()); break;
        case '-u': {
          const ui = value().toLowerCase();
          if (!['quiet', 'basic', 'ttyui', 'machineui'].includes(ui)) throw new Error(`unknown UI "${ui}" (use quiet, basic, ttyui or machineui)`);
          o.ui = ui as CliOptions['ui'];
          break;
        }
        case '--dry-run': o.dryRun = true; break;
        case '--info': o.info = true; break;
        case '--allow-mass-delete': o.allowMassDelete = true; break;
        case '-h': case '--help': o.help = true; break;
        case '-V': case '--version': o.version = true; break;
        default: throw new Error(`unknown option "${arg}"`);
      }
    } catch (e) {
      return { error: `${(e as Error).message}. Run "satchel --help" for the options.` };
    }
  }
  return o;
}
