// nametrans / folderfilter / foldersort naming functions of the pythonfile, and the lambda
// idioms real files use: each becomes the same rule data as a lambda, checked by running the
// rules on folder names; foldersort functions are read as "these first" with a warning; what
// cannot be translated stops the account. Also: a repeated option and [mbnames] comments.

import { describe, it, expect } from 'vitest';
import { fixture } from '../config/config-fixture.js';
import { applySteps, matches } from '../../../core/rules/evaluate.js';
import { compileRules } from '../../../core/rules/compile-rules.js';

const PY = `import re

mapping = {'INBOX': 'inbox', '[Gmail]/Sent Mail': 'sent', '[Gmail]/Drafts': 'drafts'}
reverse = {v: k for k, v in mapping.items()}
reverse2 = dict((v, k) for k, v in mapping.items())
excluded = ['[Gmail]/All Mail', '[Gmail]/Spam']

def nt_remote(folder):
    try:
        return mapping[folder]
    except KeyError:
        return folder

def nt_local(folder):
    if folder in reverse:
        return reverse[folder]
    return folder

def nt_local2(folder):
    return reverse2.get(folder, folder)

def nt_chain(folder):
    folder = re.sub('^INBOX\\\\.', '', folder)
    folder = re.sub(' ', '_', folder)
    return folder.lower()

def keep(folder):
    return folder not in excluded and not re.search('^Trash', folder)

def dotted(name):
    if name == 'INBOX':
        return name
    return '.' + name

def inbox_first(x, y):
    if x == 'INBOX':
        return -1
    elif y == 'INBOX':
        return 1
    return cmp(x, y)

def prio_sort(x, y):
    order = ['INBOX', 'Sent', 'Archive']
    for f in order:
        pass
    return cmp(x, y)

def bad(folder):
    for part in folder.split('/'):
        return part
`;

function repo(options: string): string {
  return `[general]\naccounts = a, b\npythonfile = ~/rules.py\n\n[Account a]\nlocalrepository = la\nremoterepository = ra\n[Repository la]\ntype = Maildir\nlocalfolders = ~/Mail/a\nnametrans = nt_local\n[Repository ra]\ntype = IMAP\nremotehost = h\nremoteuser = u\nremotepass = p\n${options}\n\n` +
    `[Account b]\nlocalrepository = lb\nremoterepository = rb\n[Repository lb]\ntype = Maildir\nlocalfolders = ~/Mail/b\n[Repository rb]\ntype = IMAP\nremotehost = h\nremoteuser = u\nremotepass = p\n`;
}

function load(options: string) {
  const f = fixture(repo(options));
  f.write('home/rules.py', PY);
  return { f, ...f.load() };
}

describe('folder rules from pythonfile functions', () => {
  it('a dict looked up with try/except KeyError, and its inverse built by a comprehension, are a map each way', () => {
    const { config, accountErrors } = load('nametrans = nt_remote\nfolderfilter = keep');
    expect(accountErrors).toEqual([]);
    const [a] = config.accounts;
    const nt = a!.remote.rules!.nametrans!, back = a!.local.rules!.nametrans!;
    expect(['INBOX', '[Gmail]/Sent Mail', 'Lists/dev'].map((n) => applySteps(nt, n))).toEqual(['inbox', 'sent', 'Lists/dev']);
    expect(['inbox', 'sent', 'Lists.dev'].map((n) => applySteps(back, n))).toEqual(['INBOX', '[Gmail]/Sent Mail', 'Lists.dev']);
    const filter = a!.remote.rules!.folderfilter!;
    expect(['INBOX', '[Gmail]/All Mail', 'Trash/old', 'Work'].map((n) => matches(filter, n))).toEqual([true, false, false, true]);
    expect(a!.remote.ruleNotes?.nametrans).toMatch(/^lambda folder: .* — from nt_remote \(it calls nt_remote\(\) of .*rules\.py:8\)$/);
  });

  it('dict((v, k) for ...) .get(f, f), chained re.sub with reassignments, and "\'.\' + name unless INBOX"', () => {
    const rules = (src: string) => load(`nametrans = ${src}`).config.accounts[0]!.remote.rules!.nametrans!;
    expect(applySteps(rules('nt_local2'), 'sent')).toBe('[Gmail]/Sent Mail');
    expect(applySteps(rules('nt_chain'), 'INBOX.My Lists')).toBe('my_lists');
    expect(['INBOX', 'Work'].map((n) => applySteps(rules('lambda f: dotted(f)'), n))).toEqual(['INBOX', '.Work']);
  });

  it('foldersort functions put their names first (with a warning); sorting never changes what is synced', () => {
    const r1 = load('foldersort = inbox_first');
    expect(r1.config.accounts[0]!.remote.rules!.foldersort).toEqual({ op: 'name', first: ['INBOX'] });
    expect(r1.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/foldersort = inbox_first \(it calls inbox_first\(\) of .*rules\.py:\d+\) cannot be read exactly \(.*\); folders are synced with INBOX first, then by name\./));
    const r2 = load('foldersort = prio_sort');
    expect(r2.config.accounts[0]!.remote.rules!.foldersort).toEqual({ op: 'name', first: ['INBOX', 'Sent', 'Archive'] });
  });

  it('a function that cannot be translated stops that account with its line; the other account loads', () => {
    const { f, config, accountErrors } = load('nametrans = bad');
    expect(config.accounts.map((a) => a.name)).toEqual(['b']);
    expect(accountErrors.map((e) => e.message)).toEqual([expect.stringMatching(new RegExp(
      `^${f.rc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: cannot translate nametrans "bad" \\(it calls bad\\(\\) of .*rules\\.py:\\d+\\): a 'for' statement cannot be translated into a folder rule \\(.*rules\\.py:\\d+\\)\\. Write it as a lambda, .* Account 'a' is not synced; the other accounts are\\.$`))]);
  });
});

describe('lambda idioms', () => {
  const nt = (src: string) => compileRules({ nametrans: src }).rules.nametrans!;
  const ff = (src: string) => compileRules({ folderfilter: src }).rules.folderfilter!;
  it("Python 2's decode('imap4-utf-7').encode('utf-8') (Satchel's names are already UTF-8), capitalize, len() == 0, dict(...).get", () => {
    expect(applySteps(nt("lambda f: f.decode('imap4-utf-7').encode('utf-8')"), 'Entwürfe')).toBe('Entwürfe');
    expect(applySteps(nt('lambda f: f.capitalize()'), 'sENT mail')).toBe('Sent mail');
    expect(['', 'Work'].map((n) => applySteps(nt("lambda f: 'INBOX' if len(f) == 0 else f"), n))).toEqual(['INBOX', 'Work']);
    expect(['', 'Work'].map((n) => matches(ff('lambda f: len(f) > 0'), n))).toEqual([false, true]);
    expect(['sent', 'x'].map((n) => applySteps(nt("lambda f: dict(sent='Sent Items', trash='Deleted').get(f, f)"), n))).toEqual(['Sent Items', 'x']);
    expect(['a', 'x'].map((n) => applySteps(nt("lambda f: dict([('a', 'A')]).get(f, f)"), n))).toEqual(['A', 'x']);
  });
});

describe('OfflineIMAP 7 leniencies', () => {
  it('an option written twice in a section: the later value, with a warning naming both lines', () => {
    const f = fixture('[general]\naccounts = a\n[Account a]\nlocalrepository = l\nremoterepository = r\nautorefresh = 5\nautorefresh = 10\n[Repository l]\ntype = Maildir\nlocalfolders = ~/M\n[Repository r]\ntype = IMAP\nremotehost = h\nremoteuser = u\nremotepass = p\n');
    const r = f.load();
    expect(r.config.accounts[0]!.autorefresh).toBe(10);
    expect(r.warnings.map((w) => w.message)).toContain(`${f.rc}:7: [Account a] option 'autorefresh' is set twice in this section, at lines 6 and 7; the value at line 7 is used, as OfflineIMAP 7 did (offlineimap3 refuses the file). Remove one of them.`);
  });

  it('[mbnames] values followed by a Python comment', () => {
    const f = fixture('[general]\naccounts = a\n[mbnames]\nenabled = yes\nfilename = ~/mb\nheader = "" # "mailboxes "\nsep = " "  # between\n[Account a]\nlocalrepository = l\nremoterepository = r\n[Repository l]\ntype = Maildir\nlocalfolders = ~/M\n[Repository r]\ntype = IMAP\nremotehost = h\nremoteuser = u\nremotepass = p\n');
    const m = f.load().config.mbnames!;
    expect([m.header, m.sep]).toEqual(['', ' ']);
  });
});
