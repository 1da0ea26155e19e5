// What each tray menu action does, once, for the desktop shell: the service's own calls (sync,
// pause, resume, try again, the mail folder) and the shell's few powers (show a view of the
// window, open a folder in the file manager, quit) passed in. A failure is written to the log
// the user sees, never thrown into the tray. It never touches Electron itself.

import type { AppService } from './app-service.js';
import type { TrayAction } from './tray-menu.js';

/** The window's views the shell can show (the renderer's navigation targets). */
export type DesktopView = 'accounts' | 'account' | 'edit' | 'wizard' | 'errors' | 'preferences' | 'log';

export interface ShellPowers {
  showWindow(view?: DesktopView, account?: string): void;
  /** Opens a directory in the file manager; resolves with an error text ('' when it worked). */
  openPath(dir: string): Promise<string>;
  quit(): void;
}

type Service = Pick<AppService, 'syncNow' | 'pause' | 'resume' | 'retry' | 'mailFolder' | 'note'>;

export async function runTrayAction(a: TrayAction, service: Service, shell: ShellPowers): Promise<void> {
  const attempt = async (what: string, p: () => Promise<unknown>) => {
    try { await p(); } catch (e) { service.note('error', `${what} failed: ${(e as Error).message}`); }
  };
  switch (a.kind) {
    case 'sync-now': return attempt('Sync', () => service.syncNow(a.account));
    case 'pause': return attempt('Pause', () => service.pause());
    case 'resume': return attempt('Resume', () => service.resume());
    case 'retry': return attempt('Try again', () => service.retry());
    case 'open-folder': return attempt(`Opening the mail folder of ${a.account}`, async () => {
      const dir = await service.mailFolder(a.account);
      const err = await shell.openPath(dir);
      if (err) throw new Error(`${dir}: ${err}`);
    });
    case 'edit-account': return shell.showWindow('edit', a.account);
    case 'add-account': return shell.showWindow('wizard');
    case 'show-errors': return shell.showWindow('errors');
    case 'preferences': return shell.showWindow('preferences');
    case 'show-log': return shell.showWindow('log');
    case 'quit': return shell.quit();
  }
}
