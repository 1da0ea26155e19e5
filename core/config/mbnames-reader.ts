// Reads [mbnames] (OfflineIMAP's mailbox-list file for mutt) into the model: enabled, filename,
// header/sep/footer (Python string literals in OfflineIMAP, which evals them: here only string
// literals, adjacent or joined with +, are accepted), peritem (raw %(name)s template) and
// incremental. It never evaluates anything; folderfilter/sort_keyfunc are reported elsewhere.

import type { MbnamesConfig } from './model.js';
import type { OptionReader } from './option-reader.js';

const S = 'mbnames';

/** OfflineIMAP's documented example values, used when an option is missing. */
export const MBNAMES_DEFAULTS = { header: 'mailboxes ', peritem: '+%(accountname)s/%(foldername)s', sep: ' ', footer: '\n' };

export function readMbnames(r: OptionReader): MbnamesConfig | undefined {
  if (!r.doc.sections.has(S) || !r.bool(S, 'enabled', false)) return undefined;
  const filename = r.nonEmpty(S, 'filename') !== undefined ? r.path(S, 'filename') : undefined;
  if (filename === undefined) {
    if (!r.has(S, 'filename')) r.problem(S, 'enabled', '[mbnames] is enabled but has no filename. Add e.g. "filename = ~/.mutt/mailboxes", or set enabled = no.');
    return undefined;
  }
  const literal = (key: 'header' | 'sep' | 'footer'): string | undefined => {
    const v = r.str(S, key);
    if (v === undefined) return MBNAMES_DEFAULTS[key];
    const parsed = parsePythonStrings(v);
    if (parsed === undefined) {
      r.problem(S, key, `[mbnames] ${key} must be a quoted string such as ${JSON.stringify(key === 'header' ? 'mailboxes ' : key === 'sep' ? ' ' : '\n').replace(/^"|"$/g, "'")} ` +
        `(OfflineIMAP evaluates it as Python; Satchel accepts only string literals, optionally joined with +).`);
    }
    return parsed;
  };
  const header = literal('header'), sep = literal('sep'), footer = literal('footer');
  const peritem = r.entry(S, 'peritem')?.raw ?? MBNAMES_DEFAULTS.peritem;
  const bad = /%(?!%|\((accountname|foldername|localfolders)\)s)/.exec(peritem);
  if (bad) {
    r.problem(S, 'peritem', `[mbnames] peritem: '${peritem.slice(bad.index, bad.index + 16)}' is not a known field. Use %(accountname)s, %(foldername)s, %(localfolders)s, or %% for a literal %.`);
    return undefined;
  }
  if (header === undefined || sep === undefined || footer === undefined) return undefined;
  return { filename, header, peritem, sep, footer, incremental: r.bool(S, 'incremental', false) };
}

/**
 * A Python expression made only of string literals ('...', "...", r'...', triple quotes),
 * adjacent or joined with +, optionally followed by a # comment. Returns the joined value, or
 * undefined for anything else.
 */
export function parsePythonStrings(src: string): string | undefined {
  let i = 0, out = '', count = 0, needPlus = false, sawPlus = false;
  const ws = () => { while (i < src.length && /\s/.test(src[i]!)) i++; };
  for (;;) {
    ws();
    // A Python comment after the expression (`header = "" # "mailboxes "`): eval ignores it.
    if (i >= src.length || (src[i] === '#' && needPlus)) return count && !(sawPlus && !needPlus) ? out : undefined;
    if (src[i] === '+') { if (!needPlus) return undefined; needPlus = false; sawPlus = true; i++; continue; }
    const m = /^([rRuUbB]?)('''|"""|'|")/.exec(src.slice(i));
    if (!m) return undefined;
    const rawPrefix = /[rR]/.test(m[1]!);
    const quote = m[2]!;
    i += m[0].length;
    let closed = false;
    while (i < src.length) {
      if (src.startsWith(quote, i)) { i += quote.length; closed = true; break; }
      const c = src[i]!;
      if (quote.length === 1 && c === '\n') return undefined;
      if (c === '\\' && i + 1 < src.length) {
        const n = src[i + 1]!;
        if (rawPrefix) { out += c + n; i += 2; continue; }
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };
        if (n in simple) { out += simple[n]; i += 2; continue; }
        const hex = /^x([0-9a-fA-F]{2})|^u([0-9a-fA-F]{4})/.exec(src.slice(i + 1));
        if (hex) { out += String.fromCharCode(parseInt(hex[1] ?? hex[2]!, 16)); i += 1 + hex[0].length; continue; }
        out += c; i++; continue;
      }
      out += c; i++;
    }
    if (!closed) return undefined;
    count++;
    needPlus = true;
    sawPlus = false;
  }
}
