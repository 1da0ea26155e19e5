// The names of the command line's output modes and how OfflineIMAP's names map onto them:
// `-u` and `[general] ui` accept both the plain names (quiet, basic, ttyui, machineui,
// blinkenlights, syslog) and the old dotted ones (Curses.Blinkenlights, TTY.TTYUI, ...).
// Pure: it never prints and never reads the environment.

export type UiName = 'quiet' | 'basic' | 'ttyui' | 'machineui';

export interface UiChoice {
  ui: UiName;
  /** OfflineIMAP's `syslog` UI: basic output, and the log also goes to syslog. */
  syslog: boolean;
}

const NEAREST: Record<string, UiChoice> = {
  quiet: { ui: 'quiet', syslog: false },
  basic: { ui: 'basic', syslog: false },
  ttyui: { ui: 'ttyui', syslog: false },
  machineui: { ui: 'machineui', syslog: false },
  // curses is not offered: the live terminal display is its nearest equivalent
  blinkenlights: { ui: 'ttyui', syslog: false },
  syslog: { ui: 'basic', syslog: true },
};

export const UI_HELP = 'quiet, basic, ttyui, machineui (also blinkenlights, syslog and the dotted names such as TTY.TTYUI)';

/** The UI for an OfflineIMAP-style name, or undefined when it is not one. */
export function parseUiName(name: string): UiChoice | undefined {
  const last = name.trim().split('.').pop()!.toLowerCase();
  return NEAREST[last];
}
