// Drafts from the wizard and rules from the editor into the configuration model, and back.

import { describe, expect, it } from 'vitest';
import type { AccountDraft } from '../../../core/contract/bridge-contract.js';
import { validateConfig } from '../../../core/config/model.js';
import { accountFromDraft, DraftError, parseIncludes, summaryOf, withRules } from '../../../core/accounts/account-draft.js';
import { rulePreset } from '../../../core/accounts/provider-presets.js';

const draft = (over: Partial<AccountDraft> = {}): AccountDraft => ({
  name: 'gmail', email: 'me@gmail.com', server: { host: 'imap.gmail.com', port: 993, security: 'tls', user: 'me@gmail.com' },
  password: 'app-password-xyz', localfolders: '/home/me/Mail/gmail', rules: rulePreset('gmail').rules, ...over,
});

describe('account drafts', () => {
  it('builds a valid account with the password in the keyring only and the rules compiled', () => {
    const a = accountFromDraft(draft(), { localSeparator: '.' });
    const config = { general: { metadata: '/home/me/.local/state/satchel', maxSyncAccounts: 1, fsync: true }, accounts: [a] };
    expect(validateConfig(config)).toEqual([]);
    expect(a.remote).toMatchObject({ type: 'imap', ssl: true, starttls: false, gmail: true, password: { kind: 'keyring', service: 'Satchel', account: 'gmail' } });
    expect(a.remote.rules?.nametrans?.[0]).toEqual({ op: 'lower' });
    expect(a.local).toMatchObject({ type: 'maildir', sep: '.', localfolders: '/home/me/Mail/gmail' });
    expect(JSON.stringify(a)).not.toContain('app-password-xyz');
  });

  it('keeps the options of a saved account, pins a certificate, refuses relative paths and bad rules', () => {
    const first = { ...accountFromDraft(draft(), { localSeparator: '/' }), autorefresh: 10 };
    const again = accountFromDraft(draft({ certFingerprint: 'ab'.repeat(32), rules: undefined }), { localSeparator: '.', previous: first });
    expect(again).toMatchObject({ autorefresh: 10, local: { sep: '/' }, remote: { certFingerprints: ['ab'.repeat(32)] } });
    expect(() => accountFromDraft(draft({ localfolders: 'Mail' }), { localSeparator: '.' })).toThrow(DraftError);
    expect(() => withRules(first.remote, { folderfilter: "lambda f: re.search('(', f)" })).toThrow(/regular expression/);
  });

  it('reads folderincludes as a list literal only, and shows the rules back as written', () => {
    expect(parseIncludes(`['INBOX', "Sent"]`)).toEqual(['INBOX', 'Sent']);
    expect(() => parseIncludes('[os.listdir()]')).toThrow(DraftError);
    const r = withRules(accountFromDraft(draft(), { localSeparator: '.' }).remote, { folderincludes: "['it''s']".replace("''", "\\'"), nametrans: '' });
    expect(r.folderincludes).toEqual(["it's"]);
    expect(r.nametransSource).toBeUndefined();
    const s = summaryOf({ ...accountFromDraft(draft(), { localSeparator: '.' }), remote: r });
    expect(s).toMatchObject({ name: 'gmail', email: 'me@gmail.com', server: { security: 'tls' }, rules: { folderincludes: "['it\\'s']" } });
    expect(parseIncludes(s.rules!.folderincludes!)).toEqual(["it's"]);
  });

  it('the summary carries the SHA-256 pin back (for editing the account), never a SHA-1 pin the bridge would refuse', () => {
    const sha256 = 'ab'.repeat(32);
    const a = accountFromDraft({ ...draft(), certFingerprint: sha256 }, { localSeparator: '.' });
    expect(summaryOf(a).certFingerprint).toBe(sha256);
    expect(summaryOf(accountFromDraft(draft(), { localSeparator: '/' })).localSeparator).toBe('/');
    const sha1Only = { ...a, remote: { ...a.remote, certFingerprints: ['cd'.repeat(20)] } };
    expect(summaryOf(sha1Only).certFingerprint).toBeUndefined();
  });
});
