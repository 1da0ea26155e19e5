// [mbnames] read from an OfflineIMAP file without evaluating Python: string literals for
// header/sep/footer (escapes, adjacent and +-joined), the raw peritem template, defaults,
// and clear errors for a missing filename, a Python expression or an unknown peritem field.

import { describe, it, expect } from 'vitest';
import { parsePythonStrings } from '../../../core/config/mbnames-reader.js';
import { fixture, MINIMAL } from '../config/config-fixture.js';

const rc = (mbnames: string) => `${MINIMAL}\n[mbnames]\n${mbnames}\n`;

describe('[mbnames] in the configuration', () => {
  it('reads the options as OfflineIMAP does (header/sep/footer as literals, peritem raw, filename expanded)', () => {
    const f = fixture(rc(`enabled = yes\nfilename = ~/.mutt/mailboxes\nheader = "set mbox_type=Maildir\\n" 'mailboxes '\n` +
      `peritem = +%(accountname)s/%(foldername)s\nsep = " \\\\\\n  "\nfooter = "\\n" + "# 100%%\\n"\nincremental = yes`));
    const { config, warnings } = f.load();
    expect(warnings).toEqual([]);
    expect(config.mbnames).toEqual({
      filename: `${f.home}/.mutt/mailboxes`, header: 'set mbox_type=Maildir\nmailboxes ', peritem: '+%(accountname)s/%(foldername)s',
      sep: ' \\\n  ', footer: '\n# 100%\n', incremental: true,
    });
  });

  it('is off unless enabled; defaults for what is not set', () => {
    expect(fixture(rc('enabled = no\nfilename = /x')).load().config.mbnames).toBeUndefined();
    expect(fixture(MINIMAL).load().config.mbnames).toBeUndefined();
    expect(fixture(rc('enabled = true\nfilename = /tmp/mb')).load().config.mbnames).toEqual({
      filename: '/tmp/mb', header: 'mailboxes ', peritem: '+%(accountname)s/%(foldername)s', sep: ' ', footer: '\n', incremental: false });
  });

  it('refuses a missing filename, Python code and unknown peritem fields, naming the line and the fix', () => {
    expect(fixture(rc('enabled = yes')).error().message).toContain('[mbnames] is enabled but has no filename. Add e.g. "filename = ~/.mutt/mailboxes"');
    const code = fixture(rc('enabled = yes\nfilename = /tmp/mb\nheader = "mailboxes " + os.environ["X"]')).error().message;
    expect(code).toMatch(/offlineimaprc:\d+.*\[mbnames\] header must be a quoted string .*Satchel accepts only string literals/s);
    expect(fixture(rc('enabled = yes\nfilename = /tmp/mb\nperitem = +%(account)s')).error().message)
      .toContain("[mbnames] peritem: '%(account)s' is not a known field. Use %(accountname)s, %(foldername)s, %(localfolders)s");
  });

  it('warns about folderfilter and sort_keyfunc (Python) by name', () => {
    const w = fixture(rc('enabled = yes\nfilename = /tmp/mb\nfolderfilter = lambda a, f: f != "Trash"\nsort_keyfunc = lambda d: d')).load().warnings.map((x) => x.message);
    expect(w).toEqual([
      expect.stringContaining("[mbnames] option 'folderfilter' is not supported and is ignored: Satchel never evaluates Python code; every synced folder is listed."),
      expect.stringContaining("[mbnames] option 'sort_keyfunc' is not supported and is ignored: Satchel never evaluates Python code"),
    ]);
  });
});

describe('parsePythonStrings', () => {
  it('joins literals and decodes escapes; refuses anything else', () => {
    expect(parsePythonStrings(`"a\\tb" 'c\\'d' + """e"f""" + r'\\n'`)).toBe('a\tbc\'de"f\\n');
    expect(parsePythonStrings(`"\\x41\\u00e9"`)).toBe('Aé');
    for (const bad of ['', 'mailboxes', '"a" +', '+ "a"', '"a" + + "b"', '"open', 'str(1)', '"a" * 3']) expect(parsePythonStrings(bad)).toBeUndefined();
  });
});
