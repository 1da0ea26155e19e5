// Linux launch at login: the pure .desktop writer (autostart-linux.ts) and the login-item
// adapter writing and reading back a real file under a temporary XDG_CONFIG_HOME / HOME.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartPath, desktopEntry, entryEnabled, launchCommand, quoteExecArg, XdgAutostart } from '../../electron/main/autostart-linux.js';
import { APP_ID, createLoginItem, startHidden } from '../../electron/main/login-item.js';

const execLine = (text: string) => text.split('\n').find((l) => l.startsWith('Exec='));

describe('launch command and Exec line', () => {
  it('uses the AppImage path when run from one, with --hidden', () => {
    const argv = launchCommand({ env: { APPIMAGE: '/home/al/Apps/Satchel-1.0.0.AppImage' }, execPath: '/tmp/.mount_Satch/satchel', isPackaged: true, appPath: '/tmp/.mount_Satch/resources/app.asar' });
    expect(argv).toEqual(['/home/al/Apps/Satchel-1.0.0.AppImage', '--hidden']);
    expect(execLine(desktopEntry({ name: 'Satchel', argv }))).toBe('Exec=/home/al/Apps/Satchel-1.0.0.AppImage --hidden');
  });

  it('uses the installed executable when packaged (deb), and electron + app path in development', () => {
    expect(launchCommand({ env: {}, execPath: '/opt/Satchel/satchel', isPackaged: true, appPath: '/opt/Satchel/resources/app.asar' })).toEqual(['/opt/Satchel/satchel', '--hidden']);
    expect(launchCommand({ env: {}, execPath: '/src/node_modules/electron/dist/electron', isPackaged: false, appPath: '/src' })).toEqual(['/src/node_modules/electron/dist/electron', '/src', '--hidden']);
  });

  it('quotes arguments with spaces and reserved characters per the Desktop Entry spec', () => {
    expect(quoteExecArg('/home/al/My Apps/Satchel.AppImage')).toBe('"/home/al/My Apps/Satchel.AppImage"');
    expect(quoteExecArg('/opt/a$b')).toBe('"/opt/a\\\\$b"');
    expect(quoteExecArg('/opt/100%')).toBe('/opt/100%%');
    expect(quoteExecArg('--hidden')).toBe('--hidden');
    const text = desktopEntry({ name: 'Satchel', argv: ['/home/al/My Apps/Satchel.AppImage', '--hidden'] });
    expect(execLine(text)).toBe('Exec="/home/al/My Apps/Satchel.AppImage" --hidden');
  });

  it('writes a complete entry that reads back as enabled', () => {
    const text = desktopEntry({ name: 'Satchel', comment: 'Keeps your mail\non your disk', argv: ['/usr/bin/satchel', '--hidden'], icon: 'satchel' });
    expect(text.split('\n')).toEqual([
      '[Desktop Entry]', 'Type=Application', 'Version=1.0', 'Name=Satchel', 'Comment=Keeps your mail on your disk',
      'Exec=/usr/bin/satchel --hidden', 'Icon=satchel', 'Terminal=false', 'X-GNOME-Autostart-enabled=true', '',
    ]);
    expect(entryEnabled(text)).toBe(true);
    expect(entryEnabled(text.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'))).toBe(false);
    expect(entryEnabled(`${text}Hidden=true\n`)).toBe(false);
    expect(entryEnabled('garbage')).toBe(false);
  });
});

describe('autostart file on a temporary home', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'satchel-autostart-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('lives in $XDG_CONFIG_HOME/autostart or ~/.config/autostart', () => {
    expect(autostartPath(APP_ID, {}, home)).toBe(join(home, '.config', 'autostart', `${APP_ID}.desktop`));
    expect(autostartPath(APP_ID, { XDG_CONFIG_HOME: join(home, 'cfg') }, home)).toBe(join(home, 'cfg', 'autostart', `${APP_ID}.desktop`));
    expect(autostartPath(APP_ID, { XDG_CONFIG_HOME: 'relative' }, home)).toBe(join(home, '.config', 'autostart', `${APP_ID}.desktop`));
  });

  it('the login item writes the file with the AppImage Exec, reads the truth back, and removes it', () => {
    const env = { APPIMAGE: '/home/al/Satchel.AppImage' };
    const fakeApp = {
      isPackaged: true,
      getAppPath: () => '/tmp/.mount/resources/app.asar',
      getLoginItemSettings: () => { throw new Error('not used on Linux'); },
      setLoginItemSettings: () => { throw new Error('not used on Linux'); },
    };
    const file = autostartPath(APP_ID, {}, home);
    const item = createLoginItem({ app: fakeApp as never, platform: 'linux', env, execPath: '/tmp/.mount/satchel', autostartFile: file });
    expect(item.get()).toBe(false);
    item.set(true);
    expect(existsSync(file)).toBe(true);
    expect(execLine(readFileSync(file, 'utf8'))).toBe('Exec=/home/al/Satchel.AppImage --hidden');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(item.get()).toBe(true);
    // The user disables it in their desktop's startup settings: the truth is read back.
    writeFileSync(file, readFileSync(file, 'utf8').replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
    expect(item.get()).toBe(false);
    item.set(false);
    expect(existsSync(file)).toBe(false);
    expect(item.get()).toBe(false);
    item.set(false); // idempotent
  });

  it('XdgAutostart leaves no temporary file behind', () => {
    const x = new XdgAutostart(join(home, 'a', 'autostart', 'x.desktop'));
    x.enable('[Desktop Entry]\nExec=/bin/true\n');
    expect(x.isEnabled()).toBe(true);
    expect(existsSync(join(home, 'a', 'autostart', `x.desktop.tmp-${process.pid}`))).toBe(false);
  });
});

describe('login item on macOS and Windows', () => {
  const recorder = () => {
    const calls: unknown[] = [];
    let open = false;
    return {
      calls,
      app: {
        isPackaged: true,
        getAppPath: () => '/x',
        getLoginItemSettings: (o?: unknown) => { calls.push(['get', o]); return { openAtLogin: open, wasOpenedAtLogin: true }; },
        setLoginItemSettings: (s: { openAtLogin: boolean }) => { calls.push(['set', s]); open = s.openAtLogin; },
      },
    };
  };

  it('Windows passes --hidden as args and reads back with the same args', () => {
    const r = recorder();
    const item = createLoginItem({ app: r.app as never, platform: 'win32', env: {}, execPath: 'C:\\Satchel.exe' });
    item.set(true);
    expect(item.get()).toBe(true);
    expect(r.calls).toEqual([['set', { openAtLogin: true, args: ['--hidden'] }], ['get', { args: ['--hidden'] }]]);
  });

  it('macOS uses setLoginItemSettings without args, and a login launch starts hidden', () => {
    const r = recorder();
    const item = createLoginItem({ app: r.app as never, platform: 'darwin', env: {}, execPath: '/Applications/Satchel.app' });
    item.set(true);
    expect(r.calls[0]).toEqual(['set', { openAtLogin: true }]);
    expect(startHidden([], 'darwin', r.app as never)).toBe(true);
    expect(startHidden([], 'linux', r.app as never)).toBe(false);
    expect(startHidden(['/opt/satchel', '--hidden'], 'linux', r.app as never)).toBe(true);
  });
});
