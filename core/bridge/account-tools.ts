// The six account tools the bridge backend calls through (discovery, connection test, local
// folder check, server folder list, rules preview, .offlineimaprc import), built in core/accounts
// with the same signatures as SatchelBridge. Until they are wired, unavailableTools() answers
// each call with a clear error; it never pretends to have done the work.

import { SyncError } from '../errors.js';
import type { SatchelBridge } from './bridge-contract.js';

export type AccountTools = Pick<SatchelBridge, 'discover' | 'testConnection' | 'checkLocalFolder' | 'accountFolders' | 'previewRules' | 'importOfflineImap'>;

export const ACCOUNT_TOOL_NAMES = ['discover', 'testConnection', 'checkLocalFolder', 'accountFolders', 'previewRules', 'importOfflineImap'] as const;

export function unavailableTools(): AccountTools {
  const fail = (what: string) => async (): Promise<never> => {
    throw new SyncError('not-available', `${what} is not available in this build of satchel ui.`, { scope: 'fatal', retry: 'needs-user' });
  };
  return {
    discover: fail('Server discovery'),
    testConnection: fail('The connection test'),
    checkLocalFolder: fail('The local folder check'),
    accountFolders: fail('The server folder list'),
    previewRules: fail('The rules preview'),
    importOfflineImap: fail('The .offlineimaprc import'),
  };
}
