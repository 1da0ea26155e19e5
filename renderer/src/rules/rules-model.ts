// The folder rules editor's logic, without React: the presets (Gmail and Courier/Cyrus, as in
// OfflineIMAP's documentation), the fields with their help, and what the preview means for each
// row (synced, skipped, a problem) and for saving (rule errors, collisions, names that would not
// survive the round trip). Pure: the preview itself comes from the backend's rules compiler.

import type { PreviewResult, PreviewRow, RuleSources } from '../../../core/contract/bridge-contract.js';
import { RULE_PRESETS as SHARED_PRESETS, type RulePreset as SharedPreset } from '../../../core/contract/rule-presets.js';

export type RuleField = keyof RuleSources;

export const RULE_FIELDS: Array<{ field: RuleField; label: string; help: string; placeholder: string }> = [
  {
    field: 'folderfilter', label: 'Folder filter',
    help: 'Which server folders to sync, on the server names. Empty: every folder.',
    placeholder: "lambda folder: folder not in ['Trash', 'Spam']",
  },
  {
    field: 'nametrans', label: 'Name translation (nametrans)',
    help: 'The local name of each server folder. Satchel derives the reverse for folders you create locally.',
    placeholder: "lambda folder: re.sub('^INBOX\\.', '', folder)",
  },
  {
    field: 'folderincludes', label: 'Always include',
    help: 'Server folders synced whatever the filter says, as a list.',
    placeholder: "['Lists/important']",
  },
];

/** A shared preset, or the editor's own "No rules". */
export type RulePreset = Omit<SharedPreset, 'id'> & { id: SharedPreset['id'] | 'none' };

/** The shared presets, and "No rules" to clear them. */
export const RULE_PRESETS: RulePreset[] = [
  ...SHARED_PRESETS,
  { id: 'none', label: 'No rules', description: 'Every folder, with its server name.', rules: {} },
];

export type RowKind = 'synced' | 'skipped' | 'problem';

export function rowKind(r: PreviewRow): RowKind {
  if (r.problem) return 'problem';
  return r.synced ? 'synced' : 'skipped';
}

export interface PreviewSummary {
  synced: number;
  skipped: number;
  problems: number;
  ruleErrors: number;
  /** Local names that two or more synced server folders would share. */
  collisions: string[];
  /** Save only when nothing is wrong. */
  canSave: boolean;
}

export function summarize(p: PreviewResult): PreviewSummary {
  const count = (k: RowKind) => p.rows.filter((r) => rowKind(r) === k).length;
  const byLocal = new Map<string, number>();
  for (const r of p.rows) if (r.synced) byLocal.set(r.local, (byLocal.get(r.local) ?? 0) + 1);
  const collisions = [...byLocal].filter(([, n]) => n > 1).map(([name]) => name);
  const problems = count('problem');
  return {
    synced: count('synced'), skipped: count('skipped'), problems, ruleErrors: p.errors.length, collisions,
    canSave: p.errors.length === 0 && problems === 0 && collisions.length === 0,
  };
}

export function sameRules(a: RuleSources, b: RuleSources): boolean {
  const norm = (r: RuleSources) => JSON.stringify([r.folderfilter?.trim() ?? '', r.nametrans?.trim() ?? '', r.folderincludes?.trim() ?? '']);
  return norm(a) === norm(b);
}

/** The preset whose rules are exactly these, if any (to show it as chosen). */
export function presetOf(r: RuleSources): string | undefined {
  return RULE_PRESETS.find((p) => sameRules(p.rules, r))?.id;
}
