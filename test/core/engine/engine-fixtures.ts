// Shared fixtures for engine tests against a real Dovecot: a configuration model for one
// account (Maildir or a second IMAP user as the near side), and readers that describe both
// sides as comparable snapshots (folder -> sorted "flags|Message-ID" lines).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SatchelConfig, ImapRepositoryConfig, MaildirRepositoryConfig } from '../../../core/config/model.js';
import type { DovecotServer } from '../../helpers/dovecot.js';

export function tempDir(prefix = 'satchel-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function imapRepo(server: Pick<DovecotServer, 'port'>, user: string, password: string, extra: Partial<ImapRepositoryConfig> = {}): ImapRepositoryConfig {
  return {
    type: 'imap', name: `${user}-remote`, host: '127.0.0.1', port: server.port, user,
    password: { kind: 'inline', value: password }, ssl: false, starttls: false, maxConnections: 2,
    readonly: false, createFolders: true, syncDeletes: true, expunge: true, gmail: false, ...extra,
  };
}

export function maildirRepo(root: string, extra: Partial<MaildirRepositoryConfig> = {}): MaildirRepositoryConfig {
  return { type: 'maildir', name: 'local', localfolders: root, sep: '.', fsync: true, readonly: false, createFolders: true, syncDeletes: true, ...extra };
}

export function configFor(stateDir: string, remote: ImapRepositoryConfig, local: MaildirRepositoryConfig | ImapRepositoryConfig): SatchelConfig {
  return {
    general: { metadata: stateDir, maxSyncAccounts: 1, fsync: true },
    accounts: [{ name: 'acct', local, remote }],
  };
}

const FLAG_LETTER: Record<string, string> = { '\\Seen': 'S', '\\Answered': 'R', '\\Flagged': 'F', '\\Deleted': 'T', '\\Draft': 'D' };

/** Server side: folder (UTF-8, '/'-separated) -> sorted "flags|message-id". */
export async function imapSnapshot(server: DovecotServer, user: string): Promise<Record<string, string[]>> {
  const client = await server.client(user);
  try {
    const out: Record<string, string[]> = {};
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const lock = await client.getMailboxLock(box.path);
      try {
        const lines: string[] = [];
        if ((client.mailbox as { exists: number }).exists > 0) {
          for await (const m of client.fetch('1:*', { flags: true, envelope: true })) {
            const flags = [...(m.flags ?? [])].map((f) => FLAG_LETTER[f] ?? '').sort().join('');
            lines.push(`${flags}|${m.envelope?.messageId ?? ''}`);
          }
        }
        out[box.path] = lines.sort();
      } finally {
        lock.release();
      }
    }
    return out;
  } finally {
    await client.logout();
  }
}

/** Local side: folder (with '.' turned into '/') -> sorted "flags|message-id"; checks new/ vs cur/. */
export function maildirSnapshot(root: string, sep = '.'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (dir: string, name: string) => {
    if (fs.existsSync(path.join(dir, 'cur'))) {
      const lines: string[] = [];
      for (const sub of ['new', 'cur']) {
        for (const f of fs.readdirSync(path.join(dir, sub))) {
          const flags = (/:2,([A-Za-z]*)$/.exec(f)?.[1] ?? '').replace(/[^DFRST]/g, '').split('').sort().join('');
          if (sub === 'new' && flags.includes('S')) throw new Error(`seen message in new/: ${f}`);
          const text = fs.readFileSync(path.join(dir, sub, f), 'latin1');
          const mid = /^message-id:\s*(<[^>]*>)/im.exec(text)?.[1] ?? '';
          lines.push(`${flags}|${mid}`);
        }
      }
      out[name.split(sep).join('/')] = lines.sort();
    }
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !['cur', 'new', 'tmp'].includes(e.name)) walk(path.join(dir, e.name), name ? `${name}${sep === '/' ? '/' : sep}${e.name}` : e.name);
    }
  };
  walk(root, '');
  return out;
}

export function localFiles(root: string, folder: string): string[] {
  return ['new', 'cur'].flatMap((sub) => fs.readdirSync(path.join(root, folder, sub)).map((f) => `${sub}/${f}`)).sort();
}
