// The folder-rule presets offered by the interface and proposed by provider discovery: Gmail
// (lower-case, strip "[Gmail]/" or "[Google Mail]/", skip All Mail) and Courier/Cyrus (strip
// "INBOX."), written as OfflineIMAP lambdas so the rules editor shows the text a user would put
// in ~/.offlineimaprc. Data only (a type from the bridge contract): shared by core/ and renderer/.

import type { RuleSources } from './bridge-contract.js';

export type RulePresetId = 'gmail' | 'courier';

export interface RulePreset {
  id: RulePresetId;
  label: string;
  description: string;
  rules: RuleSources;
}

export const RULE_PRESETS: readonly RulePreset[] = [
  {
    id: 'gmail', label: 'Gmail',
    description: 'Lower-case names, strip "[Gmail]/" (or "[Google Mail]/") and skip All Mail (every message is already in another folder), ' +
      'as in the OfflineIMAP documentation.',
    rules: {
      folderfilter: "lambda folder: folder not in ['[Gmail]/All Mail', '[Google Mail]/All Mail']",
      nametrans: "lambda folder: re.sub(r'^\\[(gmail|google mail)\\]/', '', folder.lower())",
    },
  },
  {
    id: 'courier', label: 'Courier / Cyrus',
    description: 'Strip the "INBOX." prefix these servers put before every folder.',
    rules: { nametrans: "lambda folder: re.sub(r'^INBOX\\.', '', folder)" },
  },
];
