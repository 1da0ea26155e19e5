// The account wizard's pure model (renderer/src/wizard/wizard-model.ts): the suggested account
// name, the field checks, what editing the server invalidates, when each step may be left, the
// draft that is saved, the fingerprint as shown, and the step order.
import { describe, expect, it } from 'vitest';
import type { TestResult } from '../../core/contract/bridge-contract.js';
import {
  EDIT_STEPS, STEPS, accountNameProblem, editState, applyDiscovery, blockedReason, cleanRules, editServer, emailProblem, formatFingerprint,
  initialState, nextStep, previousStep, serverProblems, suggestAccountName, testedFolders, toDraft, type WizardState,
} from '../../renderer/src/wizard/wizard-model.js';

const okTest: TestResult = { ok: true, capabilities: ['IMAP4rev1'], folders: ['INBOX', 'Sent'], separator: '/' };
const failedTest: TestResult = { ok: false, kind: 'auth-failed', message: 'The server refused the password.', fix: 'Check it.' };
const FP = 'ab'.repeat(32);

/** A wizard that has got as far as a tested, pinned server. */
function tested(over: Partial<WizardState> = {}): WizardState {
  return {
    ...initialState(),
    email: 'me@example.org', name: 'me-example', password: 'secret',
    server: { host: 'imap.example.org', port: 993, security: 'tls', user: 'me@example.org' },
    certFingerprint: FP, test: okTest,
    ...over,
  };
}

describe('suggestAccountName', () => {
  it('joins the local part and the first label of the domain, lower-cased', () => {
    expect(suggestAccountName('Work@Example.org', [])).toBe('work-example');
    expect(suggestAccountName('  me@mail.example.co.uk  ', [])).toBe('me-mail');
  });

  it('replaces runs of odd characters by one "-" and trims them at the ends', () => {
    expect(suggestAccountName('john.doe+lists@example.org', [])).toBe('john-doe-lists-example');
    expect(suggestAccountName('..odd..@example.org', [])).toBe('odd-example');
    expect(suggestAccountName('jörg@exämple.de', [])).toBe('j-rg-ex-mple');
    expect(suggestAccountName('under_score-dash@x.org', [])).toBe('under_score-dash-x');
  });

  it('falls back to "mail" when nothing usable is left', () => {
    expect(suggestAccountName('', [])).toBe('mail');
    expect(suggestAccountName('@', [])).toBe('mail');
    expect(suggestAccountName('+++@...', [])).toBe('mail');
  });

  it('keeps only the local part when there is no domain yet (the user is still typing)', () => {
    expect(suggestAccountName('me', [])).toBe('me');
    expect(suggestAccountName('me@', [])).toBe('me');
  });

  it('adds -2, -3, … until the name is not taken', () => {
    expect(suggestAccountName('me@example.org', ['me-example'])).toBe('me-example-2');
    expect(suggestAccountName('me@example.org', ['me-example', 'me-example-2'])).toBe('me-example-3');
    expect(suggestAccountName('me@example.org', ['me-example-2'])).toBe('me-example');
    expect(suggestAccountName('', ['mail'])).toBe('mail-2');
  });

  it('never suggests a name that the name check rejects', () => {
    const taken = ['me-example', 'mail', 'a-b'];
    for (const email of ['me@example.org', '', '@@', 'A B C@d e.f', `${'x'.repeat(100)}@${'y'.repeat(100)}.org`, 'ü@ö.de', 'a@b.c']) {
      const name = suggestAccountName(email, taken);
      expect(accountNameProblem(name, taken), `${email} -> ${name}`).toBeUndefined();
    }
  });

  it('caps the base at 48 characters', () => {
    expect(suggestAccountName(`${'x'.repeat(100)}@example.org`, [])).toBe('x'.repeat(48));
  });
});

describe('emailProblem', () => {
  it('asks for an address when there is none', () => {
    expect(emailProblem('')).toBe('Type your e-mail address.');
    expect(emailProblem('   ')).toBe('Type your e-mail address.');
  });

  it('rejects what is not an address', () => {
    for (const bad of ['me', 'me@', '@example.org', 'me@example', 'me @example.org', 'me@exa mple.org', 'a@b@c.org']) {
      expect(emailProblem(bad), bad).toMatch(/does not look like an e-mail address/);
    }
  });

  it('accepts an address, surrounding spaces included', () => {
    expect(emailProblem('me@example.org')).toBeUndefined();
    expect(emailProblem('  first.last+tag@mail.example.co.uk ')).toBeUndefined();
  });
});

describe('accountNameProblem', () => {
  it('asks for a name when there is none', () => {
    expect(accountNameProblem('', [])).toBe('Give the account a name.');
  });

  it('allows only letters, digits, - and _, at most 64', () => {
    expect(accountNameProblem('Work_2-mail', [])).toBeUndefined();
    expect(accountNameProblem('a'.repeat(64), [])).toBeUndefined();
    for (const bad of ['a'.repeat(65), 'my mail', 'me@example', 'a.b', 'a/b', ' work', 'jörg']) {
      expect(accountNameProblem(bad, []), bad).toBe('Use only letters, digits, - and _ (at most 64).');
    }
  });

  it('refuses a name already taken', () => {
    expect(accountNameProblem('work', ['home', 'work'])).toBe('There is already an account named "work".');
    expect(accountNameProblem('work2', ['home', 'work'])).toBeUndefined();
  });
});

describe('serverProblems', () => {
  const good = { host: 'imap.example.org', port: 993, security: 'tls' as const, user: 'me@example.org' };

  it('finds nothing wrong with complete settings', () => {
    expect(serverProblems(good, 'pw')).toEqual({});
    expect(serverProblems({ ...good, host: '  imap.example.org  ', user: ' me ' }, ' ')).toEqual({});
  });

  it('names every missing field', () => {
    const p = serverProblems({ host: '  ', port: 993, security: 'tls', user: ' ' }, '');
    expect(Object.keys(p).sort()).toEqual(['host', 'password', 'user']);
    expect(p.host).toMatch(/Type the IMAP server name/);
  });

  it('rejects a host with a space, a slash or a colon', () => {
    for (const host of ['imap.example.org:993', 'imaps://imap.example.org', 'imap example.org']) {
      expect(serverProblems({ ...good, host }, 'pw').host, host).toMatch(/no spaces, slashes or colons/);
    }
  });

  it('accepts ports 1 to 65535 only, whole numbers', () => {
    expect(serverProblems({ ...good, port: 1 }, 'pw').port).toBeUndefined();
    expect(serverProblems({ ...good, port: 65535 }, 'pw').port).toBeUndefined();
    for (const port of [0, -1, 65536, 993.5, Number.NaN]) {
      expect(serverProblems({ ...good, port }, 'pw').port, String(port)).toMatch(/from 1 to 65535/);
    }
  });
});

describe('editServer', () => {
  it('a host change drops the pinned certificate and the last test', () => {
    const next = editServer(tested(), { host: 'mail.example.org' });
    expect(next.server.host).toBe('mail.example.org');
    expect(next.certFingerprint).toBeUndefined();
    expect(next.test).toBeUndefined();
  });

  it('a port change drops the pinned certificate and the last test', () => {
    const next = editServer(tested(), { port: 143, security: 'starttls' });
    expect(next.server).toEqual({ host: 'imap.example.org', port: 143, security: 'starttls', user: 'me@example.org' });
    expect(next.certFingerprint).toBeUndefined();
    expect(next.test).toBeUndefined();
  });

  it('a password change keeps the pin but drops the test', () => {
    const next = editServer(tested(), { password: 'other' });
    expect(next.password).toBe('other');
    expect(next.certFingerprint).toBe(FP);
    expect(next.test).toBeUndefined();
    expect(next.server).toEqual(tested().server);
  });

  it('a user name change keeps the pin but drops the test', () => {
    const next = editServer(tested(), { user: 'someone' });
    expect(next.server.user).toBe('someone');
    expect(next.certFingerprint).toBe(FP);
    expect(next.test).toBeUndefined();
    expect(next.password).toBe('secret');
  });

  it('leaves the state it was given alone', () => {
    const before = tested();
    editServer(before, { host: 'x.example.org', password: 'new' });
    expect(before).toEqual(tested());
  });
});

describe('applyDiscovery and testedFolders', () => {
  it('discovery replaces the server and forgets an earlier test and pin', () => {
    const server = { host: 'imap.gmail.com', port: 993, security: 'tls' as const, user: 'me@gmail.com' };
    const next = applyDiscovery(tested(), { source: 'preset', provider: 'Gmail', server });
    expect(next.server).toEqual(server);
    expect(next.server).not.toBe(server);
    expect(next.test).toBeUndefined();
    expect(next.certFingerprint).toBeUndefined();
  });

  it("proposes the provider's folder-rule preset (Gmail's), but never over rules the user wrote", () => {
    const server = { host: 'imap.gmail.com', port: 993, security: 'tls' as const, user: 'me@gmail.com' };
    const proposed = applyDiscovery(initialState(), { source: 'preset', provider: 'Gmail', server, rules: 'gmail' });
    expect(proposed.rules.folderfilter).toContain('[Gmail]/All Mail');
    expect(proposed.rules.nametrans).toContain('folder.lower()');
    const mine = { nametrans: 'lambda f: f' };
    expect(applyDiscovery({ ...initialState(), rules: mine }, { source: 'preset', provider: 'Gmail', server, rules: 'gmail' }).rules).toEqual(mine);
    expect(applyDiscovery(initialState(), { source: 'guess', server }).rules).toEqual({});
  });

  it('the folders come only from a successful test', () => {
    expect(testedFolders(tested())).toEqual({ folders: ['INBOX', 'Sent'], separator: '/' });
    expect(testedFolders(tested({ test: failedTest }))).toBeUndefined();
    expect(testedFolders(tested({ test: undefined }))).toBeUndefined();
  });
});

describe('blockedReason', () => {
  it('address: needs a valid address and a free, valid name', () => {
    const s = { ...initialState(), step: 'address' as const };
    expect(blockedReason({ ...s, email: '', name: 'x' }, [])).toBe('Type your e-mail address.');
    expect(blockedReason({ ...s, email: 'nope', name: 'x' }, [])).toMatch(/does not look like an e-mail address/);
    expect(blockedReason({ ...s, email: 'me@example.org', name: '' }, [])).toBe('Give the account a name.');
    expect(blockedReason({ ...s, email: 'me@example.org', name: 'bad name' }, [])).toMatch(/Use only letters/);
    expect(blockedReason({ ...s, email: 'me@example.org', name: 'work' }, ['work'])).toBe('There is already an account named "work".');
    expect(blockedReason({ ...s, email: 'me@example.org', name: 'work' }, ['home'])).toBeUndefined();
  });

  it('server: needs a successful connection test', () => {
    const s = tested({ step: 'server' });
    expect(blockedReason({ ...s, test: undefined }, [])).toBe('Test the connection first: it must succeed.');
    expect(blockedReason({ ...s, test: failedTest }, [])).toBe('Test the connection first: it must succeed.');
    expect(blockedReason(s, [])).toBeUndefined();
    // Editing after a good test blocks again.
    expect(blockedReason(editServer(s, { password: 'changed' }), [])).toBe('Test the connection first: it must succeed.');
  });

  it('folders: blocked while the rules have errors', () => {
    const s = tested({ step: 'folders' });
    expect(blockedReason(s, [])).toBeUndefined();
    expect(blockedReason(s, [], 0)).toBeUndefined();
    expect(blockedReason(s, [], 2)).toBe('Fix the folder rules marked in red first.');
  });

  it('local: needs a checked local folder', () => {
    const s = tested({ step: 'local', localfolders: '~/Mail/me' });
    expect(blockedReason(s, [])).toBe('Check the local folder first.');
    expect(blockedReason({ ...s, localOk: false }, [])).toBe('Check the local folder first.');
    expect(blockedReason({ ...s, localOk: true }, [])).toBeUndefined();
  });

  it('review: never blocked', () => {
    expect(blockedReason({ ...initialState(), step: 'review' }, [], 3)).toBeUndefined();
  });
});

describe('cleanRules and toDraft', () => {
  it('cleanRules trims and leaves out empty rules', () => {
    expect(cleanRules({})).toEqual({});
    expect(cleanRules({ folderfilter: '  ', nametrans: '', folderincludes: '\n' })).toEqual({});
    const r = cleanRules({ folderfilter: '  lambda f: f != "Trash"\n', nametrans: ' ', folderincludes: " ['A'] " });
    expect(r).toEqual({ folderfilter: 'lambda f: f != "Trash"', folderincludes: "['A']" });
    expect('nametrans' in r).toBe(false);
  });

  it('toDraft trims the address, server, user and local folder, and carries the password as typed', () => {
    const d = toDraft(tested({
      email: ' me@example.org ', password: ' pass word ', localfolders: '  ~/Mail/me  ',
      server: { host: ' imap.example.org ', port: 993, security: 'tls', user: ' me@example.org ' },
    }));
    expect(d).toMatchObject({
      name: 'me-example', email: 'me@example.org', password: ' pass word ', localfolders: '~/Mail/me',
      server: { host: 'imap.example.org', port: 993, security: 'tls', user: 'me@example.org' },
    });
  });

  it('toDraft has certFingerprint only when one is pinned', () => {
    expect(toDraft(tested()).certFingerprint).toBe(FP);
    const unpinned = toDraft(tested({ certFingerprint: undefined }));
    expect('certFingerprint' in unpinned).toBe(false);
    expect('certFingerprint' in toDraft(tested({ certFingerprint: '' }))).toBe(false);
  });

  it('toDraft sends the rules written, trimmed, and {} when none (so that an edit can clear them)', () => {
    expect(toDraft(tested({ rules: {} })).rules).toEqual({});
    expect(toDraft(tested({ rules: { folderfilter: '   ', nametrans: '' } })).rules).toEqual({});
    expect(toDraft(tested({ rules: { nametrans: " lambda folder: re.sub('^INBOX\\.', '', folder) ", folderfilter: ' ' } })).rules)
      .toEqual({ nametrans: "lambda folder: re.sub('^INBOX\\.', '', folder)" });
  });

  it('toDraft does not carry the wizard-only state', () => {
    const d = toDraft(tested({ step: 'review', localOk: true, localMessage: 'fine' }));
    expect(Object.keys(d).sort()).toEqual(['certFingerprint', 'email', 'localfolders', 'name', 'password', 'rules', 'server']);
  });
});

describe('formatFingerprint', () => {
  it('upper-cases and groups by two with colons', () => {
    expect(formatFingerprint('abcdef01')).toBe('AB:CD:EF:01');
    const f = formatFingerprint(FP);
    expect(f.split(':')).toHaveLength(32);
    expect(f).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('handles the empty and odd-length cases without throwing', () => {
    expect(formatFingerprint('')).toBe('');
    expect(formatFingerprint('abc')).toBe('AB:C');
  });
});

describe('step order', () => {
  it('next and previous walk the steps in order', () => {
    expect(STEPS).toEqual(['address', 'server', 'folders', 'local', 'review']);
    for (let i = 0; i < STEPS.length - 1; i++) {
      expect(nextStep(STEPS[i]!)).toBe(STEPS[i + 1]);
      expect(previousStep(STEPS[i + 1]!)).toBe(STEPS[i]);
    }
  });

  it('stops at the ends', () => {
    expect(nextStep('review')).toBe('review');
    expect(previousStep('address')).toBe('address');
  });

  it('editing a saved account skips the address and the local folder', () => {
    expect(nextStep('server', EDIT_STEPS)).toBe('folders');
    expect(nextStep('folders', EDIT_STEPS)).toBe('review');
    expect(previousStep('server', EDIT_STEPS)).toBe('server');
  });
});

describe('editState', () => {
  it('fills in the saved account, keeps its pin and local folder, and asks for the password again', () => {
    const s = editState({
      name: 'work', email: 'me@example.org', certFingerprint: 'ab'.repeat(32), localfolders: '/home/me/Mail/work',
      server: { host: 'imap.example.org', port: 993, security: 'tls', user: 'me' }, rules: { nametrans: 'lambda f: f.lower()' },
    });
    expect(s).toMatchObject({ step: 'server', name: 'work', email: 'me@example.org', password: '', localOk: true, certFingerprint: 'ab'.repeat(32) });
    expect(s.rules).toEqual({ nametrans: 'lambda f: f.lower()' });
    expect(blockedReason(s, ['work'])).toMatch(/Test the connection/);
    expect(toDraft({ ...s, password: 'new' })).toMatchObject({ name: 'work', localfolders: '/home/me/Mail/work', certFingerprint: 'ab'.repeat(32) });
  });
});
