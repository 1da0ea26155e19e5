// identityMessageIdOf() reads only the start of a file, yet must give exactly what the
// identity's parse (extractMessageId over the whole message) gives, on real files of every
// shape: LF and CRLF, long headers, no Message-ID, a blank line only deep in the file, a
// Message-ID line in the body of a message whose header has none.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { identityMessageIdOf } from '../../../core/maildir/message-header.js';
import { extractMessageId } from '../../../core/store/raw-message.js';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'satchel-hdr-')); });
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const filler = (n: number, nl: string) => Array.from({ length: n }, (_, i) => `X-Filler-${i}: ${'y'.repeat(60)}`).join(nl) + nl;

const cases: Record<string, string> = {
  'LF, short': 'Subject: a\nMessage-ID: <a@x>\n\nbody\n',
  'CRLF, short': 'Subject: a\r\nMessage-ID: <a@x>\r\n\r\nbody\r\n',
  'folded': 'Message-ID:\n <fold@x>\n\nbody\n',
  'no Message-ID, LF, body with one': 'Subject: a\n\nMessage-ID: <body@x>\n',
  'no Message-ID, LF header, CRLF blank line later in the body': 'Subject: a\n\nbody\r\n\r\nMessage-ID: <later@x>\r\n',
  'no Message-ID at all': 'Subject: a\n\nbody\n',
  'header over 16 KB, LF': filler(300, '\n') + 'Message-ID: <deep@x>\n\nbody\n',
  'header over 16 KB, CRLF': filler(300, '\r\n') + 'Message-ID: <deep@x>\r\n\r\nbody\r\n',
  'header over 64 KB': filler(1200, '\n') + 'Message-ID: <toodeep@x>\n\nbody\n',
  'Message-ID first, 20 KB of LF header, a CRLF blank line in the body': 'Message-ID: <first@x>\n' + filler(300, '\n') + '\nbody\r\n\r\nMessage-ID: <b@x>\r\n',
  'no blank line, 30 KB': filler(450, '\n') + 'Message-ID: <nb@x>\n',
  'body over 64 KB, Message-ID in the body only': 'Subject: a\n\n' + 'z'.repeat(20000) + '\nMessage-ID: <zz@x>\n' + 'z'.repeat(60000) + '\n',
  'empty': '',
};

describe('identityMessageIdOf', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: the same as the whole-message parse`, () => {
      const file = path.join(dir, name.replace(/\W+/g, '_'));
      fs.writeFileSync(file, text, 'latin1');
      expect(identityMessageIdOf(file)).toBe(extractMessageId(Buffer.from(text, 'latin1')));
    });
  }
  it('a missing file throws ENOENT', () => {
    expect(() => identityMessageIdOf(path.join(dir, 'nope'))).toThrow(/ENOENT/);
  });
});
