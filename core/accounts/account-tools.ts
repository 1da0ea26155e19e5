// The six account-setup tools of the bridge (discover, testConnection, checkLocalFolder,
// accountFolders, previewRules, importOfflineImap) bound to the current configuration and the
// secret getter, with the SatchelBridge signatures, for whichever process runs them: the
// Electron engine process or `satchel ui`. It adds no logic; each tool lives in its own module.

import { ACCOUNT_TOOL_NAMES, type AccountToolName, type SatchelBridge } from '../contract/bridge-contract.js';
import type { SatchelConfig } from '../config/model.js';
import type { SecretGetter } from '../engine/store-factory.js';
import { listAccountFolders } from './account-folders.js';
import { testConnection, type ConnectionTestOptions } from './connection-test.js';
import { discover, type DiscoveryOptions } from './discovery.js';
import { importOfflineImap, type ImportOptions } from './import-report.js';
import { checkLocalFolder } from './local-folder-check.js';
import { previewRules } from './rules-preview.js';

export { ACCOUNT_TOOL_NAMES, type AccountToolName };
export type AccountTools = Pick<SatchelBridge, AccountToolName>;

export interface AccountToolDeps {
  /** The configuration now in force (null before the first account). */
  config: () => SatchelConfig | null;
  getSecret: SecretGetter;
  discovery?: DiscoveryOptions;
  connection?: ConnectionTestOptions;
  importing?: ImportOptions;
  home?: string;
}

export function isAccountTool(name: unknown): name is AccountToolName {
  return typeof name === 'string' && (ACCOUNT_TOOL_NAMES as readonly string[]).includes(name);
}

export function createAccountTools(deps: AccountToolDeps): AccountTools {
  const accounts = () => (deps.config()?.accounts ?? []).map((a) => ({
    name: a.name, localfolders: a.local.type === 'maildir' ? a.local.localfolders : undefined,
  }));
  return {
    discover: (email) => discover(email, deps.discovery),
    testConnection: (draft) => testConnection(draft, deps.connection),
    checkLocalFolder: async (p, account) => checkLocalFolder(p, account, { accounts: accounts(), ...(deps.home ? { home: deps.home } : {}) }),
    accountFolders: (account) => {
      const config = deps.config();
      if (!config) return Promise.reject(new Error(`There is no account "${account}".`));
      return listAccountFolders(config, account, deps.getSecret);
    },
    previewRules: async (req) => previewRules(req),
    importOfflineImap: async (file) => importOfflineImap(file, deps.importing),
  };
}
