// The lambda idioms people write in folderfilter / nametrans / foldersort, translated to rule
// data and run on folder names: results must equal what Python gives for the same lambda
// (the expected values were worked out by hand from Python semantics), and unsupported
// shapes must be refused with the reason and a suggestion.

import { describe, it, expect } from 'vitest';
import { translateFilter, translateNametrans, translateSort, TranslateError } from '../../../core/rules/translate.js';
import { applySteps, matches } from '../../../core/rules/evaluate.js';
import { compileRules } from '../../../core/rules/compile-rules.js';

const nt = (src: string) => { const steps = translateNametrans(src); return (n: string) => applySteps(steps, n); };
const ff = (src: string) => { const rule = translateFilter(src); return (n: string) => matches(rule, n); };

describe('nametrans idioms', () => {
  it('the Gmail example of the OfflineIMAP docs (nested re.sub over .lower(), over several lines)', () => {
    const f = nt(`lambda foldername: re.sub ('^\\[gmail\\]', 'bak',
                               re.sub ('sent_mail', 'sent',
                               re.sub ('starred', 'flagged',
                               re.sub (' ', '_', foldername.lower()))))`);
    expect(f('[Gmail]/Sent Mail')).toBe('bak/sent');
    expect(f('[Gmail]/Starred')).toBe('bak/flagged');
    expect(f('INBOX')).toBe('inbox');
    expect(f('Work Stuff/Old')).toBe('work_stuff/old');
  });

  it('Courier/Cyrus INBOX. prefix strip: re.sub, slicing with a condition, .replace', () => {
    const sub = nt("lambda foldername: re.sub('^INBOX\\.', '', foldername)");
    expect(sub('INBOX.Sent')).toBe('Sent');
    expect(sub('INBOX')).toBe('INBOX');
    expect(sub('Archive.INBOX.x')).toBe('Archive.INBOX.x');
    const raw = nt("lambda f: re.sub(r'^INBOX\\.', '', f)");
    expect(raw('INBOX.Drafts')).toBe('Drafts');
    const slice = nt("lambda folder: folder[6:] if folder.startswith('INBOX.') else folder");
    expect(slice('INBOX.Sent')).toBe('Sent');
    expect(slice('INBOX')).toBe('INBOX');
    expect(nt("lambda f: f.replace('INBOX.', '')")('INBOX.Lists.INBOX.x')).toBe('Lists.x');
    expect(nt("lambda f: f.replace('INBOX.', '', 1)")('INBOX.Lists.INBOX.x')).toBe('Lists.INBOX.x');
    expect(nt("lambda f: 'INBOX' if f == 'INBOX' else f[-3:]")('abcdef')).toBe('def');
    const old = nt("lambda f: f.startswith('INBOX.') and f[6:] or f");
    expect([old('INBOX.Sent'), old('INBOX')]).toEqual(['Sent', 'INBOX']);
  });

  it('prefix and suffix with +, the reverse .replace of the Arch wiki, dict maps, re.sub with count and flags', () => {
    expect(nt("lambda f: 'INBOX.' + f")('Sent')).toBe('INBOX.Sent');
    expect(nt("lambda f: f + '.old'")('Sent')).toBe('Sent.old');
    expect(nt("lambda foldername: foldername.replace('bar', 'BAR')")('foo/bar/bar')).toBe('foo/BAR/BAR');
    const map = nt("lambda f: {'INBOX': 'inbox', '[Gmail]/Sent Mail': 'sent'}.get(f, f)");
    expect(map('[Gmail]/Sent Mail')).toBe('sent');
    expect(map('Other')).toBe('Other');
    expect(nt("lambda f: re.sub('a', 'X', f, 1)")('banana')).toBe('bXnana');
    expect(nt("lambda f: re.sub('a', 'X', f, count=2)")('banana')).toBe('bXnXna');
    expect(nt("lambda f: re.sub('^inbox', 'INBOX', f, flags=re.IGNORECASE)")('Inbox/x')).toBe('INBOX/x');
    expect(nt("lambda f: re.sub('(?i)^inbox', 'INBOX', f)")('InBoX')).toBe('INBOX');
  });

  it('Python regex syntax: named groups, \\g<name>, \\1, \\A, \\Z', () => {
    expect(nt("lambda f: re.sub(r'^(?P<top>[^/]+)/(?P<rest>.*)$', r'\\g<rest>@\\g<top>', f)")('Lists/debian')).toBe('debian@Lists');
    expect(nt("lambda f: re.sub(r'^(\\w+)\\.(\\w+)$', r'\\2-\\1', f)")('a.b')).toBe('b-a');
    expect(nt("lambda f: re.sub(r'\\A(?P<x>a)(?P=x)\\Z', 'double', f)")('aa')).toBe('double');
    expect(nt("lambda f: re.sub(r'\\A(?P<x>a)(?P=x)\\Z', 'double', f)")('aaa')).toBe('aaa');
  });
});

describe('folderfilter idioms', () => {
  it('in / not in lists (written over several lines), and a string on the right of in', () => {
    const only = ff(`lambda foldername: foldername in
      ['INBOX', 'Sent Mail',
       'Drafts']`);
    expect(['INBOX', 'Sent Mail', 'Drafts', 'Spam'].map(only)).toEqual([true, true, true, false]);
    const except = ff("lambda foldername: foldername not in ['Spam', 'Junk']");
    expect(['Spam', 'Junk', 'INBOX'].map(except)).toEqual([false, false, true]);
    // Python: `x not in 'a string'` is a substring test (the Arch wiki's Gmail filter relies on it).
    const arch = ff("lambda foldername: foldername not in '[Gmail]/All Mail'");
    expect(['[Gmail]/All Mail', '[Gmail]/Sent Mail', 'Mail'].map(arch)).toEqual([false, true, false]);
    expect(ff("lambda f: 'Trash' in f")('Old/Trash/2019')).toBe(true);
  });

  it('re.search / re.match / not, and / or, startswith (one or a tuple), ==, lower()', () => {
    const sd = ff("lambda folder: re.search('^(Sent|Drafts)$', folder)");
    expect(['Sent', 'Drafts', 'Sent/Old', 'MySent'].map(sd)).toEqual([true, true, false, false]);
    const trash = ff("lambda foldername: not re.search('(^Trash$|Del)', foldername)");
    expect(['Trash', 'Deleted', 'INBOX', 'Trash/x'].map(trash)).toEqual([false, false, true, true]);
    expect(ff("lambda f: re.match('Lists', f)")('Lists/x')).toBe(true);
    expect(ff("lambda f: re.match('Lists', f)")('Old/Lists')).toBe(false);
    const combo = ff("lambda f: f.startswith('INBOX') and not f.startswith(('INBOX.Trash', 'INBOX.Spam')) or f == 'Archive'");
    expect(['INBOX', 'INBOX.Work', 'INBOX.Trash', 'INBOX.Spam.x', 'Archive', 'Other'].map(combo)).toEqual([true, true, false, false, true, false]);
    expect(ff("lambda f: f.lower() in ['inbox', 'sent']")('Sent')).toBe(true);
    expect(ff("lambda f: re.search('spam', f, re.I) is None")('SPAM')).toBe(false);
    expect(ff("lambda f: f.endswith('.old') or f != 'x'")('x')).toBe(false);
    expect(ff('lambda f: True')('anything')).toBe(true);
    expect(ff("lambda f: not re.compile('^(Trash|Spam)$', re.I).match(f)")('spam')).toBe(false);
    expect(ff("lambda f: not re.compile('^(Trash|Spam)$', re.I).match(f)")('Spammy')).toBe(true);
    expect(nt("lambda f: re.compile(r'^INBOX\.').sub('', f)")('INBOX.Sent')).toBe('Sent');
  });
});

describe('foldersort idioms', () => {
  it('cmp and key forms', () => {
    expect(translateSort('lambda x, y: -cmp(x, y)')).toEqual({ op: 'name', descending: true });
    expect(translateSort('lambda x, y: cmp(x, y)')).toEqual({ op: 'name' });
    expect(translateSort('lambda x, y: cmp(y, x)')).toEqual({ op: 'name', descending: true });
    expect(translateSort('lambda f: f.lower()')).toEqual({ op: 'name', ignoreCase: true });
  });
});

describe('refused shapes, with the exact message', () => {
  const msg = (key: 'folderfilter' | 'nametrans' | 'foldersort', src: string) => compileRules({ [key]: src }).problems[0]?.message;

  it('names the expression, the reason and a suggestion', () => {
    expect(msg('nametrans', "lambda f: os.getenv('X') + f")).toBe(
      `cannot translate nametrans "lambda f: os.getenv('X') + f": 'os.getenv('X') + f' joins two computed names; only a quoted prefix or suffix can be added. ` +
      "Write it with re.sub, .replace, .lower(), slices, + and 'A if test else B' on the folder name, e.g. lambda folder: re.sub('^INBOX\\.', '', folder).");
    expect(msg('folderfilter', 'lambda f: len(f) > 3')).toBe(
      `cannot translate folderfilter "lambda f: len(f) > 3": the comparison '>' in 'len(f) > 3' is not supported. ` +
      "Write it with in / not in lists, ==, re.search, re.match, startswith, endswith, and / or / not, e.g. lambda folder: folder not in ['Trash', 'Spam'].");
    expect(msg('nametrans', 'my_nametrans')).toBe(
      `cannot translate nametrans "my_nametrans": 'my_nametrans' names a function (from pythonfile?), which Satchel cannot run; write the rule as a lambda. ` +
      "Write it with re.sub, .replace, .lower(), slices, + and 'A if test else B' on the folder name, e.g. lambda folder: re.sub('^INBOX\\.', '', folder).");
    // foldersort only orders the sync: what cannot be read exactly is a warning, and INBOX goes first.
    const sort = compileRules({ foldersort: 'lambda x, y: cmp(prio(x), prio(y))' });
    expect(sort.problems).toEqual([]);
    expect(sort.rules.foldersort).toEqual({ op: 'name', first: ['INBOX'] });
    expect(sort.warnings[0]?.message).toMatch(/^foldersort = lambda x, y: cmp\(prio\(x\), prio\(y\)\) cannot be read exactly \(the comparison 'cmp\(prio\(x\), prio\(y\)\)' is not supported\); folders are synced with INBOX first, then by name\./);
  });

  it('refuses what cannot be translated instead of guessing', () => {
    const why = (key: 'folderfilter' | 'nametrans', src: string) => {
      try { (key === 'nametrans' ? translateNametrans : translateFilter)(src); } catch (e) { return (e as TranslateError).why; }
      return 'accepted';
    };
    expect(why('nametrans', "lambda f: re.sub('(?x) a b', '', f)")).toBe('a regular expression cannot be used: verbose mode (?x) is not supported; write the pattern on one line without (?x)');
    expect(why('nametrans', "lambda f: re.sub('a(?i)b', '', f)")).toBe('a regular expression cannot be used: inline flags are only supported at the very start of the pattern, e.g. (?i)');
    expect(why('nametrans', "lambda f: re.sub('(', '', f)")).toMatch(/^a regular expression cannot be used: it is not a valid regular expression/);
    expect(why('nametrans', "lambda f: re.sub('a', '\\\\q', f)")).toBe('a regular expression cannot be used: bad escape \\q in the replacement');
    expect(why('folderfilter', 'lambda f: f')).toBe("'f' is a name, not a yes/no test");
    expect(why('folderfilter', 'lambda f: folder in []')).toBe("'folder' is not known here (only the lambda's parameter 'f' can be used)");
    expect(why('nametrans', "lambda f: f.split('.')[1]")).toBe("'f.split('.')[1]': indexing is not supported (slices like name[6:] are)");
    expect(why('nametrans', "lambda f: f.split('.')")).toBe('the method .split() is not supported in nametrans');
    expect(why('nametrans', "lambda f: __import__('os').system('rm -rf ~')")).toBe('the method .system() is not supported in nametrans');
    expect(why('nametrans', "lambda f: __import__('os')")).toBe('the function __import__() is not supported');
    expect(why('nametrans', "lambda f: os.getenv('X')")).toBe('the function os.getenv() is not supported');
    expect(why('nametrans', "lambda f: f'{f.upper()}!'")).toBe('accepted');
    expect(why('nametrans', "lambda f: f'{f!r}'")).toBe('f-string conversions and format specifications are not supported (at "{f!r}\'")');
    expect(why('folderfilter', "lambda f: f in ['a', 'b'")).toBe("expected ',' but found the end of the expression (at \"\")");
  });
});
