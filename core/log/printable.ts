// The one sanitizer for text that reaches a terminal or a log file: control characters
// (C0 but tab, DEL, C1 — so ESC sequences, carriage returns, backspaces, bells) and the Unicode
// bidirectional overrides are shown as visible escapes (\x1b, \u202e) instead of acting.
// Folder names, error texts and capabilities come from servers and may carry any of these.
// Used at the output edges only (CLI output modes, log sinks, IMAP trace); it never drops text.

const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
};

/** `text` with every control character made visible; `multiline` keeps '\n' (for messages of several lines Satchel wrote itself). */
export function printable(text: string, opts: { multiline?: boolean } = {}): string {
  return text.replace(opts.multiline ? UNSAFE_BUT_NEWLINE : UNSAFE, visible);
}
