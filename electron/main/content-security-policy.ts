// The desktop interface's Content-Security-Policy, in one place: the app:// protocol handler
// (app-protocol.ts) sends it with every file it serves, and secure-window.ts adds it to every
// other response of the window's session (a dev server's pages). Only the app's own origin, no
// inline or eval'd script, no plugins, no framing. It never widens per page or per window.

export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
