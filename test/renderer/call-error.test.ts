// A failed bridge call as the sentence shown (renderer/src/bridge/call-error.ts): Electron's
// "Error invoking remote method 'bridge:x': Error: " wrapper is removed, the message kept.
import { describe, expect, it } from 'vitest';
import { errorText } from '../../renderer/src/bridge/call-error.js';

describe('errorText', () => {
  it("strips Electron's invoke wrapper and the error's class name", () => {
    const e = new Error("Error invoking remote method 'bridge:saveAccount': Error: There is already an account named \"work\".");
    expect(errorText(e)).toBe('There is already an account named "work".');
  });

  it('strips a named error class too', () => {
    expect(errorText(new Error("Error invoking remote method 'bridge:testConnection': TypeError: host must be a string"))).toBe('host must be a string');
    expect(errorText(new Error("Error invoking remote method 'bridge:x': BridgeError: Not allowed"))).toBe('Not allowed');
  });

  it('strips the wrapper when what was thrown was not an Error', () => {
    expect(errorText(new Error("Error invoking remote method 'bridge:x': plain words"))).toBe('plain words');
  });

  it('keeps a message that has no wrapper, and later "Error: " inside it', () => {
    expect(errorText(new Error('The folder ~/Mail is not writable.'))).toBe('The folder ~/Mail is not writable.');
    expect(errorText(new Error('Login failed: Error: bad password'))).toBe('Login failed: Error: bad password');
    expect(errorText('Timed out')).toBe('Timed out');
  });

  it('strips a bare "Error: " prefix (browser mode)', () => {
    expect(errorText(new Error('Error: Cannot reach the server'))).toBe('Cannot reach the server');
  });

  it('falls back to a sentence for what has no message', () => {
    expect(errorText(undefined)).toBe('Something went wrong.');
    expect(errorText({ message: 'not an Error' })).toBe('Something went wrong.');
    expect(errorText(new Error(''))).toBe('Something went wrong.');
    expect(errorText(new Error("Error invoking remote method 'bridge:x': Error: "))).toBe('Something went wrong.');
  });
});
