// The folder rules editor's pure model (renderer/src/rules/rules-model.ts): each preset run
// through the backend's real rules preview (core/accounts/rules-preview.ts) on Gmail-like and
// Courier-like folder lists, what a preview means for each row and for saving, and which preset
// a set of rules is.
import { describe, expect, it } from 'vitest';
import type { PreviewResult, PreviewRow, RuleSources } from '../../core/contract/bridge-contract.js';
import { previewRules } from '../../core/accounts/rules-preview.js';
import { RULE_PRESETS, presetOf, rowKind, sameRules, summarize } from '../../renderer/src/rules/rules-model.js';

const GMAIL = ['INBOX', '[Gmail]/All Mail', '[Gmail]/Sent Mail', '[Gmail]/Trash', 'Work'];
const COURIER = ['INBOX', 'INBOX.Sent', 'INBOX.Lists.dev'];

const preset = (id: string): RuleSources => {
  const p = RULE_PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`no preset ${id}`);
  return p.rules;
};
const gmail = (rules: RuleSources) => previewRules({ folders: GMAIL, separator: '/', localSeparator: '.', rules });
const courier = (rules: RuleSources) => previewRules({ folders: COURIER, separator: '.', localSeparator: '.', rules });
/** remote -> local name, for the synced rows only. */
const syncedNames = (p: PreviewResult) => Object.fromEntries(p.rows.filter((r) => r.synced).map((r) => [r.remote, r.local]));
const row = (p: PreviewResult, remote: string) => p.rows.find((r) => r.remote === remote);

describe('RULE_PRESETS through the real preview', () => {
  it('has the three presets with distinct ids', () => {
    expect(RULE_PRESETS.map((p) => p.id)).toEqual(['gmail', 'courier', 'none']);
  });

  it('every preset compiles without errors or problem rows on both folder lists', () => {
    for (const p of RULE_PRESETS) {
      for (const result of [gmail(p.rules), courier(p.rules)]) {
        expect(result.errors, p.id).toEqual([]);
        expect(result.rows.filter((r) => r.problem), p.id).toEqual([]);
        expect(summarize(result).canSave, p.id).toBe(true);
      }
    }
  });

  it('Gmail: lower-case names, "[Gmail]/" stripped, All Mail not synced', () => {
    const result = gmail(preset('gmail'));
    expect(syncedNames(result)).toEqual({
      INBOX: 'inbox',
      '[Gmail]/Sent Mail': 'sent mail',
      '[Gmail]/Trash': 'trash',
      Work: 'work',
    });
    const allMail = row(result, '[Gmail]/All Mail');
    expect(allMail?.synced).toBe(false);
    expect(allMail?.reason).toMatch(/folderfilter/);
    expect(rowKind(allMail!)).toBe('skipped');
    expect(summarize(result)).toMatchObject({ synced: 4, skipped: 1, problems: 0, ruleErrors: 0, collisions: [], canSave: true });
  });

  it('Gmail in the UK and Germany: "[Google Mail]/" is stripped and its All Mail skipped too', () => {
    const result = previewRules({ folders: ['INBOX', '[Google Mail]/All Mail', '[Google Mail]/Sent Mail'], separator: '/', localSeparator: '.', rules: preset('gmail') });
    expect(syncedNames(result)).toEqual({ INBOX: 'inbox', '[Google Mail]/Sent Mail': 'sent mail' });
    expect(row(result, '[Google Mail]/All Mail')?.synced).toBe(false);
  });

  it('Courier / Cyrus: the "INBOX." prefix is stripped, INBOX itself kept', () => {
    const result = courier(preset('courier'));
    expect(syncedNames(result)).toEqual({ INBOX: 'INBOX', 'INBOX.Sent': 'Sent', 'INBOX.Lists.dev': 'Lists.dev' });
    expect(result.rows).toHaveLength(3);
  });

  it('Courier / Cyrus leaves a server without the prefix alone (names translated to the local separator)', () => {
    expect(syncedNames(gmail(preset('courier')))).toEqual({
      INBOX: 'INBOX', '[Gmail]/All Mail': '[Gmail].All Mail', '[Gmail]/Sent Mail': '[Gmail].Sent Mail', '[Gmail]/Trash': '[Gmail].Trash', Work: 'Work',
    });
  });

  it('No rules: every folder, with its server name', () => {
    expect(syncedNames(courier(preset('none')))).toEqual({ INBOX: 'INBOX', 'INBOX.Sent': 'INBOX.Sent', 'INBOX.Lists.dev': 'INBOX.Lists.dev' });
    const g = gmail(preset('none'));
    expect(g.rows.every((r) => r.synced)).toBe(true);
    expect(syncedNames(g)).toEqual({
      INBOX: 'INBOX', '[Gmail]/All Mail': '[Gmail].All Mail', '[Gmail]/Sent Mail': '[Gmail].Sent Mail', '[Gmail]/Trash': '[Gmail].Trash', Work: 'Work',
    });
  });
});

describe('summarize', () => {
  it('a nametrans that maps every folder to one name cannot be saved', () => {
    const result = gmail({ nametrans: "lambda folder: 'same'" });
    const s = summarize(result);
    expect(s.canSave).toBe(false);
    expect(s.synced).toBe(0);
    expect(s.problems).toBe(GMAIL.length);
    expect(result.rows.every((r) => rowKind(r) === 'problem')).toBe(true);
  });

  it('a rule that does not compile is counted and blocks saving', () => {
    const result = gmail({ nametrans: "lambda folder: re.sub('(', '', folder)" });
    expect(result.errors.length).toBeGreaterThan(0);
    const s = summarize(result);
    expect(s.ruleErrors).toBe(result.errors.length);
    expect(s.canSave).toBe(false);
  });

  it('counts synced, skipped and problem rows', () => {
    const p: PreviewResult = {
      rows: [
        { remote: 'INBOX', local: 'INBOX', synced: true },
        { remote: 'Sent', local: 'Sent', synced: true },
        { remote: 'Spam', local: 'Spam', synced: false, reason: 'filtered' },
        { remote: 'x/', local: '', synced: false, problem: 'empty local name' },
      ],
      errors: [],
    };
    expect(summarize(p)).toEqual({ synced: 2, skipped: 1, problems: 1, ruleErrors: 0, collisions: [], canSave: false });
    expect(summarize({ rows: p.rows.slice(0, 3), errors: [] }).canSave).toBe(true);
  });

  it('reports local names shared by synced folders as collisions', () => {
    const p: PreviewResult = {
      rows: [
        { remote: 'A', local: 'same', synced: true },
        { remote: 'B', local: 'same', synced: true },
        { remote: 'C', local: 'other', synced: true },
        { remote: 'D', local: 'other', synced: false, reason: 'filtered' },
      ],
      errors: [],
    };
    const s = summarize(p);
    expect(s.collisions).toEqual(['same']);
    expect(s.problems).toBe(0);
    expect(s.canSave).toBe(false);
  });

  it('errors alone block saving', () => {
    const s = summarize({ rows: [{ remote: 'INBOX', local: 'INBOX', synced: true }], errors: [{ field: 'folderfilter', message: 'bad' }] });
    expect(s).toMatchObject({ synced: 1, ruleErrors: 1, canSave: false });
  });

  it('an empty preview can be saved', () => {
    expect(summarize({ rows: [], errors: [] })).toEqual({ synced: 0, skipped: 0, problems: 0, ruleErrors: 0, collisions: [], canSave: true });
  });
});

describe('rowKind', () => {
  const r = (over: Partial<PreviewRow>): PreviewRow => ({ remote: 'A', local: 'A', synced: true, ...over });
  it('a problem wins over synced; otherwise synced or skipped', () => {
    expect(rowKind(r({}))).toBe('synced');
    expect(rowKind(r({ synced: false, reason: 'filtered' }))).toBe('skipped');
    expect(rowKind(r({ synced: false, problem: 'collision' }))).toBe('problem');
    expect(rowKind(r({ synced: true, problem: 'collision' }))).toBe('problem');
  });
});

describe('presetOf and sameRules', () => {
  it('recognizes each preset by its rules', () => {
    for (const p of RULE_PRESETS) expect(presetOf({ ...p.rules })).toBe(p.id);
  });

  it('ignores surrounding whitespace and empty fields', () => {
    const g = preset('gmail');
    expect(presetOf({ folderfilter: `  ${g.folderfilter}\n`, nametrans: ` ${g.nametrans} `, folderincludes: '  ' })).toBe('gmail');
    expect(presetOf({ folderfilter: '', nametrans: ' ' })).toBe('none');
  });

  it('rules that differ in any field are no preset', () => {
    const g = preset('gmail');
    expect(presetOf({ ...g, folderincludes: "['Work']" })).toBeUndefined();
    expect(presetOf({ nametrans: g.nametrans })).toBeUndefined();
    expect(presetOf({ folderfilter: "lambda folder: folder != 'Spam'" })).toBeUndefined();
  });

  it('sameRules compares field by field', () => {
    expect(sameRules({}, {})).toBe(true);
    expect(sameRules({ nametrans: 'x' }, { nametrans: ' x ' })).toBe(true);
    expect(sameRules({ nametrans: 'x' }, { folderfilter: 'x' })).toBe(false);
    expect(sameRules({ folderincludes: "['A']" }, { folderincludes: "['B']" })).toBe(false);
  });
});
