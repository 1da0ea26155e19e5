// The account wizard's knowledge of the big providers: IMAP server settings matched by the
// address's domain (Gmail, Fastmail, Outlook/Microsoft 365, iCloud, Yahoo), the advice shown
// for each (app passwords), and the folder-rule presets (Gmail, Courier/Cyrus) written as
// OfflineIMAP lambdas so the rules editor shows the same text a user would put in the file.
// Data only: it never connects anywhere and never sees a password.

import type { DiscoveryResult } from '../contract/bridge-contract.js';
import { RULE_PRESETS, type RulePreset, type RulePresetId } from '../contract/rule-presets.js';

export interface ProviderPreset {
  id: 'gmail' | 'fastmail' | 'outlook' | 'icloud' | 'yahoo';
  provider: string;
  domains: string[];
  host: string;
  port: number;
  /** How the login name derives from the address: the whole address, or the part before @. */
  user: 'address' | 'localpart';
  guidance?: string;
  /** The folder-rule preset that suits this provider, if any. */
  rules?: RulePresetId;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'gmail', provider: 'Gmail', domains: ['gmail.com', 'googlemail.com'], host: 'imap.gmail.com', port: 993, user: 'address',
    guidance: 'Sign in with Google (recommended). Or use an app password, never your Google password: app passwords need ' +
      '2-Step Verification; create one at https://myaccount.google.com/apppasswords and paste its 16 letters here. ' +
      'Google Workspace admins can forbid app passwords or IMAP for the whole domain.',
    rules: 'gmail',
  },
  {
    id: 'fastmail', provider: 'Fastmail', domains: ['fastmail.com', 'fastmail.fm', 'messagingengine.com'], host: 'imap.fastmail.com',
    port: 993, user: 'address',
    guidance: 'Fastmail needs an app password: Settings → Privacy & Security → App passwords, with IMAP access.',
  },
  {
    id: 'outlook', provider: 'Outlook / Microsoft 365', domains: ['outlook.com', 'hotmail.com', 'hotmail.co.uk', 'live.com', 'msn.com', 'outlook.de', 'hotmail.de', 'hotmail.fr', 'live.fr'],
    host: 'outlook.office365.com', port: 993, user: 'address',
    guidance: 'Outlook.com and Microsoft 365 accept only "Sign in with Microsoft" (OAuth2) for IMAP: passwords and app ' +
      'passwords are refused. A Microsoft 365 administrator may have to allow IMAP for your mailbox.',
  },
  {
    id: 'icloud', provider: 'iCloud', domains: ['icloud.com', 'me.com', 'mac.com'], host: 'imap.mail.me.com', port: 993, user: 'localpart',
    guidance: 'iCloud needs an app-specific password: https://account.apple.com → Sign-In and Security → App-Specific Passwords. ' +
      'The user name is the part of the address before the @.',
  },
  {
    id: 'yahoo', provider: 'Yahoo', domains: ['yahoo.com', 'ymail.com', 'rocketmail.com', 'yahoo.co.uk', 'yahoo.de', 'yahoo.fr', 'yahoo.co.jp'],
    host: 'imap.mail.yahoo.com', port: 993, user: 'address',
    guidance: 'Yahoo needs an app password: Account Info → Account security → Generate app password.',
  },
];

/** The domain of an address, lower case ('' when there is no @). */
export function domainOf(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1).trim().toLowerCase().replace(/\.$/, '');
}

export function localPartOf(email: string): string {
  const at = email.lastIndexOf('@');
  return (at < 0 ? email : email.slice(0, at)).trim();
}

export function findPreset(email: string): ProviderPreset | undefined {
  const d = domainOf(email);
  return PROVIDER_PRESETS.find((p) => p.domains.includes(d));
}

/** The wizard's guess for an address that matches a preset. */
export function presetDiscovery(email: string): DiscoveryResult | undefined {
  const p = findPreset(email);
  if (!p) return undefined;
  const user = p.user === 'localpart' ? localPartOf(email) : email.trim();
  return {
    source: 'preset', provider: p.provider, server: { host: p.host, port: p.port, security: 'tls', user },
    ...(p.guidance ? { guidance: p.guidance } : {}), ...(p.rules ? { rules: p.rules } : {}),
  };
}

export { RULE_PRESETS, type RulePreset, type RulePresetId } from '../contract/rule-presets.js';

export function rulePreset(id: RulePresetId): RulePreset {
  return RULE_PRESETS.find((p) => p.id === id)!;
}
