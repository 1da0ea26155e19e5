// Translates between IMAP system flags and the store's Maildir flag letters
// (\Draft D, \Flagged F, \Answered R, \Seen S, \Deleted T). Keywords and \Recent are
// dropped on the way in and never produced on the way out. Pure functions.

const LETTER_BY_FLAG: Record<string, string> = {
  '\\draft': 'D', '\\flagged': 'F', '\\answered': 'R', '\\seen': 'S', '\\deleted': 'T',
};
const FLAG_BY_LETTER: Record<string, string> = {
  D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted',
};

/** IMAP flags (any case) -> sorted letters, e.g. {\Seen, \Flagged, $Junk} -> "FS". */
export function flagsToLetters(flags: Iterable<string> | undefined): string {
  if (!flags) return '';
  let letters = '';
  for (const f of flags) {
    const l = LETTER_BY_FLAG[f.toLowerCase()];
    if (l && !letters.includes(l)) letters += l;
  }
  return letters.length < 2 ? letters : [...letters].sort().join('');
}

/** Letters -> IMAP flags in letter order; unknown letters are ignored. */
export function lettersToFlags(letters: string): string[] {
  return [...new Set(letters)].sort().map((l) => FLAG_BY_LETTER[l]).filter((f): f is string => !!f);
}
