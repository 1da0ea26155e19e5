// Launch at login on Linux: the XDG autostart entry ~/.config/autostart/<app-id>.desktop.
// The text is built by a pure function (Exec = the AppImage when run from one, else the
// executable [+ app path in development], always with --hidden); a small file adapter writes,
// removes and reads it back. It never touches anything outside $XDG_CONFIG_HOME/autostart.

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LaunchCommandInput {
  env: Record<string, string | undefined>;
  /** process.execPath (the Electron binary or the installed app). */
  execPath: string;
  /** app.isPackaged: false when run as `electron <appPath>`. */
  isPackaged: boolean;
  /** app.getAppPath(), needed when not packaged. */
  appPath: string;
}

/** The argv that starts the app hidden at login. */
export function launchCommand(i: LaunchCommandInput): string[] {
  const appImage = i.env.APPIMAGE;
  if (appImage) return [appImage, '--hidden'];
  return i.isPackaged ? [i.execPath, '--hidden'] : [i.execPath, i.appPath, '--hidden'];
}

/**
 * One Exec argument per the Desktop Entry spec: quoted when it holds a reserved character,
 * with ", `, $ and \ escaped inside the quotes; % doubled; then the string-level escaping
 * of backslashes that every .desktop value gets.
 */
export function quoteExecArg(arg: string): string {
  let a = arg.replace(/%/g, '%%');
  if (/[\s"'\\><~|&;$*?#()`]/.test(a)) a = `"${a.replace(/(["`$\\])/g, '\\$1')}"`;
  return a.replace(/\\/g, '\\\\');
}

export interface DesktopEntryInput {
  name: string;
  comment?: string;
  argv: string[];
  /** Icon name or absolute path. */
  icon?: string;
}

export function desktopEntry(i: DesktopEntryInput): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    `Name=${oneLine(i.name)}`,
    ...(i.comment ? [`Comment=${oneLine(i.comment)}`] : []),
    `Exec=${i.argv.map(quoteExecArg).join(' ')}`,
    ...(i.icon ? [`Icon=${oneLine(i.icon)}`] : []),
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Whether an autostart file's text says it runs: not Hidden=true, not disabled for GNOME. */
export function entryEnabled(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (!lines.includes('[Desktop Entry]')) return false;
  if (lines.some((l) => /^Hidden\s*=\s*true$/i.test(l))) return false;
  if (lines.some((l) => /^X-GNOME-Autostart-enabled\s*=\s*false$/i.test(l))) return false;
  return lines.some((l) => /^Exec\s*=\s*\S/.test(l));
}

export function autostartPath(appId: string, env: Record<string, string | undefined> = process.env, home = homedir()): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(base, 'autostart', `${appId}.desktop`);
}

export class XdgAutostart {
  constructor(readonly path: string) {}

  isEnabled(): boolean {
    if (!existsSync(this.path)) return false;
    return entryEnabled(readFileSync(this.path, 'utf8'));
  }

  enable(text: string): void {
    mkdirSync(join(this.path, '..'), { recursive: true });
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    chmodSync(tmp, 0o644);
    renameSync(tmp, this.path);
  }

  disable(): void {
    rmSync(this.path, { force: true });
  }
}
