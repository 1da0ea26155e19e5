// A failed bridge call as the sentence to show: the backend's message without the transport's
// wrapping (Electron's "Error invoking remote method 'bridge:x': Error: ..."). Pure.

export function errorText(e: unknown): string {
  const raw = e instanceof Error ? e.message : typeof e === 'string' ? e : 'Something went wrong.';
  return raw.replace(/^Error invoking remote method '[^']*': /, '').replace(/^(?:[A-Z][A-Za-z]*Error|Error): /, '').trim() || 'Something went wrong.';
}
