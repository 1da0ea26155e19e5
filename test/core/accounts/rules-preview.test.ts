// The rules editor's live preview: the Gmail and Courier presets on realistic folder lists,
// an invalid regex, a collision, folderincludes and names a Maildir cannot hold.

import { describe, expect, it } from 'vitest';
import { previewRules } from '../../../core/accounts/rules-preview.js';
import { rulePreset } from '../../../core/accounts/provider-presets.js';

const GMAIL = ['INBOX', '[Gmail]/All Mail', '[Gmail]/Drafts', '[Gmail]/Sent Mail', '[Gmail]/Spam', '[Gmail]/Starred', '[Gmail]/Trash', 'Receipts', 'Work/Projects'];
const COURIER = ['INBOX', 'INBOX.Sent', 'INBOX.Drafts', 'INBOX.Lists.dev'];

describe('previewRules', () => {
  it('Gmail preset: lower-case, [Gmail]/ stripped, All Mail skipped', () => {
    const r = previewRules({ folders: GMAIL, separator: '/', localSeparator: '.', rules: rulePreset('gmail').rules });
    expect(r.errors).toEqual([]);
    const by = Object.fromEntries(r.rows.map((x) => [x.remote, x]));
    expect(by['INBOX']).toMatchObject({ local: 'inbox', synced: true });
    expect(by['[Gmail]/Sent Mail']).toMatchObject({ local: 'sent mail', synced: true });
    expect(by['Work/Projects']).toMatchObject({ local: 'work.projects', synced: true });
    expect(by['[Gmail]/All Mail']).toMatchObject({ synced: false, reason: expect.stringContaining('folderfilter') });
    expect(r.rows.filter((x) => x.problem)).toEqual([]);
    expect(r.rows).toHaveLength(GMAIL.length);
  });

  it('Courier preset strips INBOX. and keeps INBOX', () => {
    const r = previewRules({ folders: COURIER, separator: '.', localSeparator: '/', rules: rulePreset('courier').rules });
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => [x.remote, x.local, x.synced])).toEqual([
      ['INBOX', 'INBOX', true], ['INBOX.Sent', 'Sent', true], ['INBOX.Drafts', 'Drafts', true], ['INBOX.Lists.dev', 'Lists/dev', true],
    ]);
  });

  it('reports an invalid regular expression on its field and still previews the rest', () => {
    const r = previewRules({ folders: ['INBOX', 'Trash'], separator: '/', localSeparator: '.',
      rules: { folderfilter: "lambda f: not re.search('(Trash', f)", nametrans: 'lambda f: f.lower()' } });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ field: 'folderfilter', message: expect.stringMatching(/regular expression/) });
    expect(r.rows.map((x) => x.local)).toEqual(['inbox', 'trash']);
  });

  it('marks two server folders that map to one local name as a collision', () => {
    const r = previewRules({ folders: ['Work', 'work', 'Home'], separator: '/', localSeparator: '.', rules: { nametrans: 'lambda f: f.lower()' } });
    const work = r.rows.filter((x) => x.local === 'work');
    expect(work).toHaveLength(2);
    for (const w of work) expect(w).toMatchObject({ synced: false, problem: expect.stringMatching(/"Work" and "work"/) });
    expect(r.rows.find((x) => x.remote === 'Home')).toMatchObject({ synced: true, local: 'home' });
  });

  it('marks names that cannot map back, and lists folderincludes', () => {
    const r = previewRules({ folders: ['INBOX', 'a/b'], separator: '.', localSeparator: '.',
      rules: { nametrans: "lambda f: re.sub('^INBOX', '', f)", folderincludes: "['debug']" } });
    expect(r.rows.find((x) => x.remote === 'INBOX')).toMatchObject({ synced: false, problem: expect.stringMatching(/empty local name/) });
    expect(r.rows.find((x) => x.remote === 'a/b')).toMatchObject({ synced: false, problem: expect.stringMatching(/contains "\/"/) });
    expect(r.rows.find((x) => x.remote === 'debug')).toMatchObject({ synced: true });
    const bad = previewRules({ folders: [], separator: '/', localSeparator: '.', rules: { folderincludes: '[os.listdir()]' } });
    expect(bad.errors[0]).toMatchObject({ field: 'folderincludes' });
  });
});
