// Modified UTF-7 (RFC 3501 §5.1.3), the IMAP wire form of non-ASCII folder names. Satchel
// stores folder names in UTF-8 on disk; this encoder only serves to recognise a local folder
// that an earlier tool (OfflineIMAP without utf8foldernames, mbsync) stored in wire form.

export function encodeMutf7(name: string): string {
  let out = '';
  let run = '';
  const flush = () => {
    if (!run) return;
    const utf16 = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
    out += '&' + utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
    run = '';
  };
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) {
      flush();
      out += ch === '&' ? '&-' : ch;
    } else {
      run += ch;
    }
  }
  flush();
  return out;
}
