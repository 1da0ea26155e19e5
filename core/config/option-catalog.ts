// The catalogue of OfflineIMAP options by section kind: which ones Satchel honours, which ones it
// knows but does not honour (with the reason shown to the user), and "did you mean" for typos.
// Every option of OfflineIMAP's reference configuration is listed, so none is silently ignored.
// It only classifies names; it never reads values.

import { closest } from './values.js';

export type SectionKind = 'general' | 'account' | 'maildir' | 'imap' | 'mbnames';

const EVAL = 'Satchel never evaluates Python code';
const LABELS = 'Gmail labels are not synced: each label is its own folder (as with synclabels off), no labels header is written into'
  + ' local files, and editing one changes nothing on the server';
const UTF8_NAMES = 'local folder names are always UTF-8 (what utf8foldernames = yes gives); a folder OfflineIMAP stored in'
  + ' modified UTF-7 is adopted under its existing name';

/** Options read into the model, per section kind. */
export const HONOURED: Record<SectionKind, readonly string[]> = {
  general: ['accounts', 'metadata', 'maxsyncaccounts', 'ui', 'fsync', 'filename_use_mail_timestamp', 'utime_from_header', 'pythonfile'],
  account: ['localrepository', 'remoterepository', 'autorefresh', 'quick', 'maxage', 'maxsize', 'maildir-windows-compatible', 'proxy', 'authproxy',
    'presynchook', 'postsynchook'],
  maildir: ['type', 'localfolders', 'sep', 'readonly', 'createfolders', 'sync_deletes', 'folderfilter', 'nametrans', 'folderincludes',
    'startdate', 'filename_use_mail_timestamp', 'utime_from_header'],
  imap: ['type', 'remotehost', 'remoteport', 'remoteuser', 'remotepass', 'remotepassfile', 'passcmd', 'ssl', 'starttls',
    'sslcacertfile', 'cert_fingerprint', 'maxconnections', 'readonly', 'createfolders', 'sync_deletes', 'expunge',
    'folderfilter', 'nametrans', 'folderincludes', 'foldersort', 'startdate', 'idlefolders',
    'remotehosteval', 'remoteporteval', 'remoteusereval', 'remotepasseval',
    'auth_mechanisms', 'oauth2_client_id', 'oauth2_client_secret', 'oauth2_refresh_token', 'oauth2_access_token', 'oauth2_request_url',
    'oauth2_scope', 'oauth2_authorize_url', 'oauth2_device_url'],
  mbnames: ['enabled', 'filename', 'header', 'peritem', 'sep', 'footer', 'incremental'],
};

/** Known OfflineIMAP options that Satchel reads but does not honour, with the reason. */
export const NOT_HONOURED: Record<SectionKind, Record<string, string>> = {
  general: {
    'ignore-readonly': 'Satchel does not warn about read-only IMAP folders in the first place',
    socktimeout: 'Satchel always uses its own network timeouts',
    'dry-run': 'use --dry-run on the command line',
    'ignore-keyring': 'not supported',
    'update-keyring': 'not supported',
  },
  account: {
    filterheaders: 'messages are uploaded byte for byte',
    status_backend: 'Satchel always keeps its state in its own SQLite database (OfflineIMAP 8 rejects this option too; remove it)',
    skipsleep: 'internal OfflineIMAP option',
    synclabels: LABELS,
    labelsheader: LABELS,
    ignorelabels: LABELS,
    utf8foldernames: UTF8_NAMES,
  },
  maildir: {
    restoreatime: 'the access time of Maildir folders is not restored',
    dynamic_folderfilter: 'folder filters are re-applied on every sync anyway',
  },
  imap: {
    ipv6: 'the address family is chosen automatically',
    remote_identity: 'SASL authorization identities are not supported',
    oauth2_client_id_eval: `${EVAL}; write the ID in oauth2_client_id`,
    oauth2_client_secret_eval: `${EVAL}; write the secret in oauth2_client_secret`,
    oauth2_access_token_eval: `${EVAL}; sign in once with "satchel login ACCOUNT" instead`,
    oauth2_refresh_token_eval: `${EVAL}; sign in once with "satchel login ACCOUNT" (or write the token in oauth2_refresh_token)`,
    preauthtunnel: 'tunnels are not supported; Satchel connects to remotehost:remoteport',
    transporttunnel: 'tunnels are not supported; Satchel connects to remotehost:remoteport',
    sslclientcert: 'client certificates are not supported',
    sslclientkey: 'client certificates are not supported',
    ssl_version: 'TLS 1.2 or newer is negotiated automatically',
    tls_level: 'TLS 1.2 or newer is negotiated automatically',
    reference: 'the personal namespace is used; folder paths are not prefixed',
    decodefoldernames: UTF8_NAMES,
    usecompression: 'compression is not used',
    singlethreadperfolder: 'messages are always handled in order within a folder',
    holdconnectionopen: 'connections are opened for each sync and closed after it; idlefolders keeps its own connections open, probed with NOOP after 4 minutes of quiet',
    keepalive: 'connections are opened for each sync and closed after it; idlefolders keeps its own connections open, probed with NOOP after 4 minutes of quiet',
    subscribedonly: 'all folders are listed, subscribed or not',
    newmail_hook: `${EVAL}; use postsynchook on the account`,
    retrycount: 'failed transfers are retried on the next sync',
    copy_ignore_eval: EVAL,
    dynamic_folderfilter: 'folder filters are re-applied on every sync anyway',
    sep: 'IMAP repositories always use the server\'s separator (OfflineIMAP ignores it too)',
    trashfolder: 'not used (OfflineIMAP does not use it either)',
    spamfolder: 'not used (OfflineIMAP does not use it either)',
    realdelete: 'removed from OfflineIMAP as harmful: deleting from a Gmail label folder removes the label, the mail stays in All Mail',
  },
  mbnames: {
    folderfilter: `${EVAL}; every synced folder is listed`,
    sort_keyfunc: `${EVAL}; the list is sorted by account, then folder name (OfflineIMAP's default)`,
  },
};

const KIND_LABEL: Record<SectionKind, string> = {
  general: '[general]',
  account: 'an [Account NAME] section',
  maildir: 'a Maildir [Repository NAME] section',
  imap: 'an IMAP [Repository NAME] section',
  mbnames: '[mbnames]',
};

export type OptionClass =
  | { status: 'honoured' }
  | { status: 'not-honoured'; reason: string }
  | { status: 'elsewhere'; where: string }
  | { status: 'unknown'; suggestion?: string };

function known(kind: SectionKind, key: string): 'honoured' | 'not-honoured' | undefined {
  if (HONOURED[kind].includes(key)) return 'honoured';
  if (key in NOT_HONOURED[kind] || (kind === 'maildir' && /^customflag_[a-z]$/.test(key))) return 'not-honoured';
  return undefined;
}

export function classifyOption(kind: SectionKind, key: string): OptionClass {
  const k = known(kind, key);
  if (k === 'honoured') return { status: 'honoured' };
  if (k === 'not-honoured') {
    const reason = NOT_HONOURED[kind][key] ?? 'custom Maildir flags are not supported; keywords stay on the server';
    return { status: 'not-honoured', reason };
  }
  let kinds = (Object.keys(HONOURED) as SectionKind[]).filter((o) => o !== kind && known(o, key));
  if (kinds.length > 1) kinds = kinds.filter((o) => o !== 'mbnames');
  if (kinds.length) return { status: 'elsewhere', where: kinds.map((o) => KIND_LABEL[o]).join(' or ') };
  const sameKind = [...HONOURED[kind], ...Object.keys(NOT_HONOURED[kind])];
  const everywhere = (Object.keys(HONOURED) as SectionKind[]).flatMap((o) => [...HONOURED[o], ...Object.keys(NOT_HONOURED[o])]);
  return { status: 'unknown', suggestion: closest(key, sameKind) ?? closest(key, everywhere) };
}

/** How a [DEFAULT] option is classified: it is fine when some section kind honours it. */
export function classifyDefaultOption(key: string): OptionClass {
  const kinds = Object.keys(HONOURED) as SectionKind[];
  if (kinds.some((k) => known(k, key) === 'honoured')) return { status: 'honoured' };
  const kind = kinds.find((k) => known(k, key) === 'not-honoured');
  if (kind) return classifyOption(kind, key);
  return { status: 'unknown', suggestion: closest(key, kinds.flatMap((k) => [...HONOURED[k], ...Object.keys(NOT_HONOURED[k])])) };
}

/** The section-name prefixes OfflineIMAP knows, for "did you mean" on unknown sections. */
export function suggestSection(name: string): string | undefined {
  const word = name.split(' ')[0]!;
  const hit = closest(word, ['general', 'Account', 'Repository', 'mbnames', 'DEFAULT']);
  if (!hit) return undefined;
  return name.includes(' ') ? `${hit}${name.slice(word.length)}` : hit;
}
