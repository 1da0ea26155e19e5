// Folder rules at config load: lambdas become rule data next to their source, untranslatable
// ones are config errors with file:line, the expression, the reason and a suggestion, and the
// rule options are honoured (no "ignored" warning). Rule data from the GUI is checked too.

import { describe, it, expect } from 'vitest';
import { fixture, MINIMAL } from '../config/config-fixture.js';
import { validateConfig } from '../../../core/config/model.js';

describe('folder rules in the configuration file', () => {
  it('compiles folderfilter, nametrans and foldersort of both repositories; no warnings', () => {
    const f = fixture(MINIMAL.replace('localfolders = ~/Mail/personal', `localfolders = ~/Mail/personal
nametrans = lambda f: 'INBOX.' + f`) + `folderfilter = lambda folder: folder not in ['Spam',
    'Trash']
nametrans = lambda folder: re.sub('^INBOX\\.', '', folder)
foldersort = lambda x, y: -cmp(x, y)
`);
    const { config, warnings } = f.load();
    expect(warnings).toEqual([]);
    const { local, remote } = config.accounts[0]!;
    expect(remote.rules).toEqual({
      folderfilter: { op: 'not', of: { op: 'in', values: ['Spam', 'Trash'] } },
      nametrans: [{ op: 'sub', pattern: '^INBOX\\.', replacement: '' }],
      foldersort: { op: 'name', descending: true },
    });
    expect(remote.folderfilter).toEqual({ source: "lambda folder: folder not in ['Spam',\n'Trash']", line: 18 });
    expect(remote.foldersortSource).toEqual({ source: 'lambda x, y: -cmp(x, y)', line: 21 });
    expect(local.rules).toEqual({ nametrans: [{ op: 'addPrefix', value: 'INBOX.' }] });
    expect(validateConfig(JSON.parse(JSON.stringify(config)))).toEqual([]);
  });

  it('an untranslatable lambda stops its account (one line each, at its line, with the expression, why and a suggestion)', () => {
    const f = fixture(MINIMAL + `folderfilter = lambda f: f in
    get_folders()
nametrans = lambda f: re.sub('(?x) INBOX', '', f)
`);
    const r = f.load();
    expect(r.config.accounts).toEqual([]);
    expect(r.accountErrors.map((e) => e.message)).toEqual([
      `${f.rc}:17: cannot translate folderfilter "lambda f: f in get_folders()": 'f in get_folders()': the right side of 'in' must be a list of quoted names or a quoted string. Write it with in / not in lists, ==, re.search, re.match, startswith, endswith, and / or / not, e.g. lambda folder: folder not in ['Trash', 'Spam']. Account 'personal' is not synced; the other accounts are.`,
      `${f.rc}:19: cannot translate nametrans "lambda f: re.sub('(?x) INBOX', '', f)": a regular expression cannot be used: verbose mode (?x) is not supported; write the pattern on one line without (?x). Write it with re.sub, .replace, .lower(), slices, + and 'A if test else B' on the folder name, e.g. lambda folder: re.sub('^INBOX\\.', '', folder). Account 'personal' is not synced; the other accounts are.`,
    ]);
  });

  it('rule data edited outside the file is validated', () => {
    const f = fixture(MINIMAL);
    const config = JSON.parse(JSON.stringify(f.load().config));
    config.accounts[0].remote.rules = { nametrans: [{ op: 'eval', code: 'x' }] };
    config.accounts[0].local.rules = { folderfilter: { op: 'regex', mode: 'search', pattern: '(' } };
    expect(validateConfig(config).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'accounts[0].local.rules: it is not a valid regular expression (/(/: Unterminated group)',
      'accounts[0].remote.rules: unknown nametrans step "eval"',
    ]);
  });
});
