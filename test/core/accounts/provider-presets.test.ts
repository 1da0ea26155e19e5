// Provider presets matched by the address's domain, and the folder-rule presets compiling.

import { describe, expect, it } from 'vitest';
import { findPreset, presetDiscovery, RULE_PRESETS } from '../../../core/accounts/provider-presets.js';
import { compileRules } from '../../../core/rules/compile-rules.js';

describe('provider presets', () => {
  it.each([
    ['someone@gmail.com', 'imap.gmail.com', 'someone@gmail.com'],
    ['Someone@GoogleMail.com', 'imap.gmail.com', 'Someone@GoogleMail.com'],
    ['a@fastmail.com', 'imap.fastmail.com', 'a@fastmail.com'],
    ['a@hotmail.com', 'outlook.office365.com', 'a@hotmail.com'],
    ['a@live.com', 'outlook.office365.com', 'a@live.com'],
    ['a@outlook.com', 'outlook.office365.com', 'a@outlook.com'],
    ['jane.doe@icloud.com', 'imap.mail.me.com', 'jane.doe'],
    ['jane@me.com', 'imap.mail.me.com', 'jane'],
    ['jane@mac.com', 'imap.mail.me.com', 'jane'],
    ['bob@yahoo.com', 'imap.mail.yahoo.com', 'bob@yahoo.com'],
    ['bob@ymail.com', 'imap.mail.yahoo.com', 'bob@ymail.com'],
  ])('%s → %s as %s on 993 with TLS', (email, host, user) => {
    expect(presetDiscovery(email)).toMatchObject({ source: 'preset', server: { host, port: 993, security: 'tls', user } });
  });

  it('gives app-password guidance for Gmail and Yahoo, and none matches an unknown domain', () => {
    expect(presetDiscovery('x@gmail.com')!.guidance).toMatch(/app password/i);
    expect(presetDiscovery('x@gmail.com')!.rules).toBe('gmail');
    expect(presetDiscovery('x@fastmail.com')!.rules).toBeUndefined();
    expect(presetDiscovery('x@yahoo.com')!.guidance).toMatch(/app password/i);
    expect(findPreset('x@example.org')).toBeUndefined();
    expect(findPreset('x@notgmail.com')).toBeUndefined();
  });

  it('rule presets are OfflineIMAP lambdas that compile without problems', () => {
    for (const p of RULE_PRESETS) {
      const { rules, problems } = compileRules({ folderfilter: p.rules.folderfilter, nametrans: p.rules.nametrans });
      expect(problems).toEqual([]);
      expect(rules.nametrans).toBeDefined();
    }
  });
});
