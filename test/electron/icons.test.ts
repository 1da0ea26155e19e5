// The committed icons in build/icons: one per tray state for Linux/Windows (+ @2x) and a
// macOS template (+ @2x), decoded here as real PNGs to check size and colors, and the app icon.
import { existsSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { STATE_PRECEDENCE as STATUS_PRECEDENCE } from '../../core/contract/account-states.js';
import { trayIconFile } from '../../electron/main/tray-icons.js';

function decode(file: string) {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])), file).toBe(true);
  let o = 8, w = 0, h = 0, colorType = -1;
  const idat: Buffer[] = [];
  while (o < b.length) {
    const len = b.readUInt32BE(o), type = b.toString('latin1', o + 4, o + 8);
    if (type === 'IHDR') { w = b.readUInt32BE(o + 8); h = b.readUInt32BE(o + 12); colorType = b[o + 17]!; }
    if (type === 'IDAT') idat.push(b.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const px: number[][] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) { const i = y * (w * 4 + 1) + 1 + x * 4; px.push([raw[i]!, raw[i + 1]!, raw[i + 2]!, raw[i + 3]!]); }
  return { w, h, colorType, px };
}

describe('icons', () => {
  it('the tray adapter finds an icon for every state on every platform', () => {
    for (const state of STATUS_PRECEDENCE) for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const f = trayIconFile('build/icons', state, platform);
      expect(existsSync(f), f).toBe(true);
      expect(existsSync(f.replace('.png', '@2x.png')), f).toBe(true);
    }
  });

  it('colored icons are 16/32 px RGBA, differ per state; templates are black with alpha only', () => {
    const seen = new Set<string>();
    for (const state of STATUS_PRECEDENCE) {
      for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
        const color = decode(`build/icons/tray-${state}${suffix}.png`);
        expect([color.w, color.h, color.colorType]).toEqual([size, size, 6]);
        expect(color.px.some((p) => p[3]! > 0 && (p[0] !== p[1] || p[1] !== p[2])), `${state} has color`).toBe(true);
        const tpl = decode(`build/icons/tray-${state}Template${suffix}.png`);
        expect([tpl.w, tpl.h]).toEqual([size, size]);
        expect(tpl.px.every((p) => p[3] === 0 || (p[0] === 0 && p[1] === 0 && p[2] === 0)), `${state} template is black`).toBe(true);
        expect(tpl.px.some((p) => p[3] === 255)).toBe(true);
        seen.add(tpl.px.map((p) => p[3]).join(','));
      }
    }
    expect(seen.size).toBe(STATUS_PRECEDENCE.length * 2); // every state's template shape differs
  });

  it('has a 512 px app icon for electron-builder', () => {
    const icon = decode('build/icons/icon.png');
    expect([icon.w, icon.h]).toEqual([512, 512]);
  });
});
