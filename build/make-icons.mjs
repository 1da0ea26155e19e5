// Draws Satchel's icons as PNG files with node:zlib only (no image tools needed):
// the app icon (build/icons/icon.png, 512 px) and one tray icon per state — colored
// tray-<state>.png (+ @2x) for Linux and Windows, black-and-alpha tray-<state>Template.png
// (+ @2x) for macOS, which tints template images itself. Run: node build/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'icons');
const STATES = {
  idle: [46, 160, 67],
  syncing: [31, 111, 235],
  offline: [110, 118, 129],
  paused: [191, 135, 0],
  error: [207, 34, 46],
  'auth-required': [130, 80, 223],
};

// --- PNG encoding (RGBA, 8 bit) ---
const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; // 8-bit RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// --- shapes in unit coordinates (0..1), tested by point ---
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r), cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
};
const inRing = (x, y, cx, cy, r0, r1) => { const d = Math.hypot(x - cx, y - cy); return d >= r0 && d <= r1; };
const nearSegment = (x, y, ax, ay, bx, by, w) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= w;
};

/** The bag: a rounded body with a flap line and a handle. */
const bag = (x, y) =>
  inRoundRect(x, y, 0.06, 0.3, 0.94, 0.92, 0.12) || (inRing(x, y, 0.5, 0.3, 0.15, 0.24) && y <= 0.3);
const flap = (x, y) => nearSegment(x, y, 0.06, 0.5, 0.94, 0.5, 0.035);

/** State glyph inside a badge centred at (0.72, 0.72), radius 0.28; u,v in -1..1 badge units. */
const BADGE = { cx: 0.72, cy: 0.72, r: 0.28 };
const GLYPHS = {
  idle: (u, v) => nearSegment(u, v, -0.5, 0.05, -0.15, 0.4, 0.17) || nearSegment(u, v, -0.15, 0.4, 0.5, -0.35, 0.17),
  syncing: (u, v) => inRing(u, v, 0, 0, 0.35, 0.62) && !(u > 0 && v < 0 && u > -v * 0.2),
  offline: (u, v) => nearSegment(u, v, -0.5, 0, 0.5, 0, 0.17),
  paused: (u, v) => (Math.abs(u + 0.25) <= 0.13 || Math.abs(u - 0.25) <= 0.13) && Math.abs(v) <= 0.5,
  error: (u, v) => nearSegment(u, v, 0, -0.55, 0, 0.12, 0.15) || Math.hypot(u, v - 0.45) <= 0.16,
  'auth-required': (u, v) => inRoundRect(u, v, -0.45, -0.05, 0.45, 0.6, 0.08) || (inRing(u, v, 0, -0.05, 0.2, 0.36) && v <= -0.05),
};

function draw(size, paint) {
  const buf = Buffer.alloc(size * size * 4);
  const S = 4; // 4x4 supersampling
  for (let py = 0; py < size; py++) for (let px = 0; px < size; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) {
      const c = paint((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size);
      if (c) { r += c[0] * c[3]; g += c[1] * c[3]; b += c[2] * c[3]; a += c[3]; }
    }
    const i = (py * size + px) * 4;
    if (a > 0) { buf[i] = Math.round(r / a); buf[i + 1] = Math.round(g / a); buf[i + 2] = Math.round(b / a); }
    buf[i + 3] = Math.round((a / (S * S)) * 255);
  }
  return png(size, buf);
}

function trayPainter(state, template) {
  const color = STATES[state];
  const body = template ? [0, 0, 0, 1] : [36, 41, 47, 1];
  return (x, y) => {
    const bu = (x - BADGE.cx) / BADGE.r, bv = (y - BADGE.cy) / BADGE.r;
    const inBadge = Math.hypot(bu, bv) <= 1;
    const inHalo = Math.hypot(bu, bv) <= 1.22;
    if (inBadge) {
      const glyph = GLYPHS[state](bu, bv);
      // Template: black badge with the glyph cut out. Color: state-colored badge, white glyph.
      if (template) return glyph ? null : [0, 0, 0, 1];
      return glyph ? [255, 255, 255, 1] : [...color, 1];
    }
    if (inHalo) return null; // a clear gap between bag and badge
    if (bag(x, y)) return flap(x, y) && !template ? [255, 255, 255, 0.9] : flap(x, y) ? null : body;
    return null;
  };
}

mkdirSync(OUT, { recursive: true });
for (const state of Object.keys(STATES)) {
  for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
    writeFileSync(join(OUT, `tray-${state}${suffix}.png`), draw(size, trayPainter(state, false)));
    writeFileSync(join(OUT, `tray-${state}Template${suffix}.png`), draw(size, trayPainter(state, true)));
  }
}
const appIcon = (x, y) => {
  if (!inRoundRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return null;
  const u = (x - 0.15) / 0.7, v = (y - 0.14) / 0.7; // the bag, inset
  if (bag(u, v)) return flap(u, v) ? [31, 111, 235, 1] : [255, 255, 255, 1];
  return [31, 111, 235, 1];
};
writeFileSync(join(OUT, 'icon.png'), draw(512, appIcon));
console.log(`icons written to ${OUT}`);
