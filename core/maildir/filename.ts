// Maildir file names: parses any Maildir name (OfflineIMAP, mbsync, mutt, Dovecot) into its
// unique part, fields and flags, and builds names byte-compatible with OfflineIMAP
// (`<T>_<N>.<PID>.<HOST>,U=<uid>,FMD5=<md5>:2,<FLAGS>`). Pure string functions: this module
// must never touch the file system, and a rename it builds must never change the unique part
// (the message id) nor drop flag letters it does not know. The info separator is ':' or, with
// OfflineIMAP's maildir-windows-compatible, '!' ("!2,FS"); both are recognised when reading.

import crypto from 'node:crypto';
import os from 'node:os';
import { FLAG_LETTERS, normalizeFlags } from '../store/mail-store.js';

export interface ParsedName {
  /** The whole file name. */
  name: string;
  /** Everything before the first ',' or ':' — the message id; stable through every rename. */
  unique: string;
  /** The name without its info part (everything before the first ':'). */
  base: string;
  /** The ','-separated fields between the unique part and the info, e.g. ['U=923', 'FMD5=…', 'S=1234']. */
  fields: string[];
  /** The text after the first ':' (e.g. '2,FS'), or null when the name has none. */
  info: string | null;
  /** The engine's flags (letters of DFRST only), sorted. */
  flags: string;
  /** Other letters of the `:2,` part (custom lowercase flags, 'P', …), kept on renames. */
  extraFlags: string;
  /** The number of a `U=` field, when there is one. */
  uid?: number;
  /** The value of an `FMD5=` field, when there is one. */
  fmd5?: string;
}

/** The info separator written into new and renamed names: ':' or '!' (maildir-windows-compatible). */
export type InfoSeparator = ':' | '!';

/** Where the info part starts: the first ':', else a '!' followed by "2," (windows-compatible names). */
export function infoStart(name: string): number {
  const colon = name.indexOf(':');
  return colon >= 0 ? colon : name.indexOf('!2,');
}

/** md5 hex of a folder name (UTF-8), OfflineIMAP's FMD5. */
export function folderMd5(folderName: string): string {
  return crypto.createHash('md5').update(folderName, 'utf8').digest('hex');
}

/** Parses a file name of cur/ or new/; null for names to skip (dot files, empty). Hot: 10k names in a few ms. */
export function parseName(name: string): ParsedName | null {
  if (name === '' || name.charCodeAt(0) === 0x2e /* . */) return null;
  const colon = infoStart(name);
  const base = colon < 0 ? name : name.slice(0, colon);
  const info = colon < 0 ? null : name.slice(colon + 1);
  const comma = base.indexOf(',');
  const unique = comma < 0 ? base : base.slice(0, comma);
  const fields = comma < 0 ? [] : base.slice(comma + 1).split(',');
  let flags = '', extraFlags = '';
  if (info !== null && info.startsWith('2,')) {
    let sorted = true, prev = -1;
    for (let i = 2; i < info.length; i++) {
      const c = info[i]!;
      if (FLAG_LETTERS.includes(c)) {
        if (flags.includes(c)) continue;
        if (c.charCodeAt(0) < prev) sorted = false;
        prev = c.charCodeAt(0);
        flags += c;
      } else if (!extraFlags.includes(c)) {
        extraFlags += c;
      }
    }
    if (!sorted) flags = normalizeFlags(flags);
  }
  const parsed: ParsedName = { name, unique, base, fields, info, flags, extraFlags };
  let sawUid = false, sawMd5 = false;
  for (const f of fields) {
    if (!sawUid && f.startsWith('U=')) {
      sawUid = true;
      let n = 0, i = 2;
      for (; i < f.length; i++) {
        const d = f.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (i > 2 && Number.isSafeInteger(n) && n > 0) parsed.uid = n;
    } else if (!sawMd5 && f.startsWith('FMD5=')) {
      sawMd5 = true;
      parsed.fmd5 = f.slice(5);
    }
  }
  return parsed;
}

/** What a listing needs of a name, without the allocations of parseName(); same rules. */
export interface ListedName {
  unique: string;
  flags: string;
  uid?: number;
  fmd5?: string;
}

/** parseName() for the hot path of listing 10k names: unique part, engine flags, U= and FMD5=. */
export function listedName(name: string): ListedName | null {
  if (name === '' || name.charCodeAt(0) === 0x2e /* . */) return null;
  let colon = infoStart(name);
  if (colon < 0) colon = name.length;
  const comma = name.indexOf(',');
  const uniqueEnd = comma >= 0 && comma < colon ? comma : colon;
  const out: ListedName = { unique: name.slice(0, uniqueEnd), flags: '' };
  if (name.startsWith('2,', colon + 1)) {
    let flags = '', sorted = true, prev = -1;
    for (let i = colon + 3; i < name.length; i++) {
      const c = name[i]!;
      if (!FLAG_LETTERS.includes(c) || flags.includes(c)) continue;
      if (c.charCodeAt(0) < prev) sorted = false;
      prev = c.charCodeAt(0);
      flags += c;
    }
    out.flags = sorted ? flags : normalizeFlags(flags);
  }
  if (uniqueEnd < colon) {
    const u = name.indexOf(',U=', uniqueEnd);
    if (u >= 0 && u < colon) {
      let n = 0, i = u + 3;
      for (; i < colon; i++) {
        const d = name.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (i > u + 3 && Number.isSafeInteger(n) && n > 0) out.uid = n;
    }
    const m = name.indexOf(',FMD5=', uniqueEnd);
    if (m >= 0 && m < colon) {
      let end = name.indexOf(',', m + 6);
      if (end < 0 || end > colon) end = colon;
      out.fmd5 = name.slice(m + 6, end);
    }
  }
  return out;
}

/** The `:2,` suffix of a set of letters: ASCII-sorted and de-duplicated, as OfflineIMAP writes it. */
export function infoOf(flags: string, extraFlags = '', sep: InfoSeparator = ':'): string {
  return sep + '2,' + normalizeFlags(flags + extraFlags);
}

/** The name after a flag change: same base (unique part and fields), new `:2,` part, unknown letters kept. */
export function withFlags(p: ParsedName, flags: string, sep: InfoSeparator = ':'): string {
  return p.base + infoOf(onlyEngineFlags(flags), p.extraFlags, sep);
}

/**
 * The name after linking to a far UID: `<unique>,U=<uid>,FMD5=<md5>` followed by the other
 * fields (S=, W=, …) and the unchanged info part. Any earlier U=/FMD5= fields are replaced.
 */
export function withFarUid(p: ParsedName, uid: number, fmd5: string, sep: InfoSeparator = ':'): string {
  const others = p.fields.filter((f) => f !== '' && !f.startsWith('U=') && !f.startsWith('FMD5='));
  const base = [p.unique, `U=${uid}`, `FMD5=${fmd5}`, ...others].join(',');
  return p.info === null ? base + infoOf(p.flags, p.extraFlags, sep) : `${base}${p.name[p.base.length]}${p.info}`;
}

/** Keeps the letters D F R S T of a flag string, sorted. */
export function onlyEngineFlags(flags: string): string {
  return normalizeFlags([...flags].filter((c) => FLAG_LETTERS.includes(c)).join(''));
}

/**
 * The host part of a new name: os.hostname() with the path separator replaced by '-' as
 * OfflineIMAP does, and ':' and ',' too (they would end the unique part).
 */
export function safeHostname(host: string = os.hostname()): string {
  const safe = host.replace(/[/:,\\\x00-\x1f\x7f]/g, '-');
  return safe === '' ? 'localhost' : safe;
}

let counter = 0;

/**
 * A fresh unique part `<T>_<N>.<PID>.<HOST>`. N counts up for the whole process (OfflineIMAP
 * restarts it for every second; a process-wide count is the same format and never repeats).
 */
export function newUnique(host: string, now: number = Date.now(), pid: number = process.pid): string {
  return `${Math.floor(now / 1000)}_${counter++}.${pid}.${host}`;
}

/**
 * A new OfflineIMAP file name: `<unique>,U=<uid>,FMD5=<md5>:2,<FLAGS>` with a far UID,
 * `<unique>:2,<FLAGS>` without.
 */
export function buildName(unique: string, flags: string, far?: { uid: number; fmd5: string }, sep: InfoSeparator = ':'): string {
  const fields = far ? `,U=${far.uid},FMD5=${far.fmd5}` : '';
  return unique + fields + infoOf(onlyEngineFlags(flags), '', sep);
}
