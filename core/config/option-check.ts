// Walks every section and option of an OfflineIMAP file and warns about each one that Satchel
// does not honour: known-but-unsupported options (with the reason), options in the wrong kind
// of section, unknown options and sections (with "did you mean"). Names used as %(name)s are
// variables, not typos. It only adds warnings; it never changes what was read.

import { referencedNames, type IniEntry } from './ini.js';
import { classifyDefaultOption, classifyOption, suggestSection, type OptionClass, type SectionKind } from './option-catalog.js';
import type { OptionReader } from './option-reader.js';
import { canonicalType } from './repository-reader.js';

export function warnAboutOptions(r: OptionReader): void {
  const doc = r.doc;
  const variables = referencedNames(doc);
  const report = (section: string, e: IniEntry, c: OptionClass) => {
    if (c.status === 'honoured') return;
    if (c.status === 'not-honoured') {
      r.warn(section, e.key, e, `option '${e.key}' is not supported and is ignored: ${c.reason}.`);
    } else if (c.status === 'elsewhere') {
      r.warn(section, e.key, e, `option '${e.key}' has no effect here and is ignored: it belongs in ${c.where}.`);
    } else {
      const hint = c.suggestion ? ` Did you mean '${c.suggestion}'?` : '';
      r.warn(section, e.key, e, `option '${e.key}' is not a known option and is ignored.${hint}`);
    }
  };

  for (const e of doc.defaults.entries.values()) {
    if (!variables.has(e.key)) report('DEFAULT', e, classifyDefaultOption(e.key));
  }
  for (const [name, section] of doc.sections) {
    const kind = sectionKind(r, name);
    if (kind === 'unknown') {
      const hint = suggestSection(name);
      r.warn(name, '', undefined, `is not a section OfflineIMAP or Satchel knows, so it is ignored${hint ? `. Did you mean [${hint}]?` : ' (sections are [general], [Account NAME], [Repository NAME], [mbnames] and [DEFAULT]).'}`);
      continue;
    }
    if (kind === 'skip') continue;
    for (const e of section.entries.values()) {
      if (!variables.has(e.key)) report(name, e, classifyOption(kind, e.key));
    }
  }
}

function sectionKind(r: OptionReader, name: string): SectionKind | 'unknown' | 'skip' {
  if (name === 'general') return 'general';
  if (name === 'mbnames') return 'mbnames';
  if (name.startsWith('Account ')) return 'account';
  if (name.startsWith('Repository ')) {
    const type = canonicalType(r.doc.sections.get(name)?.entries.get('type')?.raw ?? r.doc.defaults.entries.get('type')?.raw);
    if (!type) return 'skip'; // an unknown or missing type is reported when the repository is used
    return type === 'Maildir' || type === 'GmailMaildir' ? 'maildir' : 'imap';
  }
  return 'unknown';
}
