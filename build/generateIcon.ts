// Draws the app icon (build/icon.png, 512 px, for electron-builder), the tray icon (build/trayIcon.png, 32 px) and one
// tray icon per tray state (build/tray/<state>.png: a status dot, or a grey tile when not serving) without image tools: signed distances per pixel, written as an RGBA PNG. Run: node build/generateIcon.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Point = readonly [number, number];

// Same drawing as renderer/public/favicon.svg, on a 64-unit grid.
const hexagon: Point[] = [[32, 12], [49, 22], [49, 42], [32, 52], [15, 42], [15, 22]];
type Rgb = readonly [number, number, number];
const background: Rgb = [0x3b, 0x4f, 0xd8];

/** How a tray state changes the icon: the tile's colour and an optional status dot in the corner. */
interface Variant { tile: Rgb; dot?: Rgb }
const grey: Rgb = [0x6b, 0x72, 0x80];
const trayVariants: Record<string, Variant> = {
  serving: { tile: background },
  'signed-out': { tile: grey },
  warning: { tile: background, dot: [0xf5, 0x9e, 0x0b] },
  pending: { tile: background, dot: [0xdc, 0x26, 0x26] },
  paused: { tile: grey, dot: [0xe5, 0xe7, 0xeb] },
};

function segmentDistance(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function roundedSquareDistance(p: Point, radius: number): number {
  const qx = Math.abs(p[0] - 32) - (32 - radius);
  const qy = Math.abs(p[1] - 32) - (32 - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Coverage of the white glyph, the tile, the dot and its white ring at one point, antialiased over `unit`. */
function shade(p: Point, unit: number, withDot: boolean): [number, number, number, number] {
  const edge = Math.min(...hexagon.map((a, i) => segmentDistance(p, a, hexagon[(i + 1) % hexagon.length] as Point)));
  const glyph = Math.min(edge - 2, Math.hypot(p[0] - 32, p[1] - 32) - 6);
  const coverage = (distance: number) => Math.max(0, Math.min(1, 0.5 - distance / unit));
  const dot = Math.hypot(p[0] - 50, p[1] - 50) - 12;
  return [coverage(glyph), coverage(roundedSquareDistance(p, 14)), withDot ? coverage(dot) : 0, withDot ? coverage(dot - 3) : 0];
}

function drawIcon(size: number, variant: Variant = { tile: background }): Buffer {
  const unit = 64 / size;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      const [white, tile, dot, ring] = shade([(x + 0.5) * unit, (y + 0.5) * unit], unit, variant.dot !== undefined);
      const colour = (i: 0 | 1 | 2) => {
        const base = variant.tile[i] * (1 - white) + 255 * white;
        const ringed = base * (1 - ring) + 255 * ring;
        return Math.round(ringed * (1 - dot) + (variant.dot?.[i] ?? 0) * dot);
      };
      row.set([colour(0), colour(1), colour(2), Math.round(255 * Math.max(tile, ring))], 1 + x * 4);
    }
    rows.push(row);
  }
  return encodePng(size, Buffer.concat(rows));
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** @see https://www.w3.org/TR/png-3/ (8-bit RGBA, no interlace) */
function encodePng(size: number, scanlines: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const dir = new URL('.', import.meta.url);
writeFileSync(new URL('icon.png', dir), drawIcon(512));
writeFileSync(new URL('trayIcon.png', dir), drawIcon(32));
mkdirSync(new URL('tray/', dir), { recursive: true });
for (const [state, variant] of Object.entries(trayVariants)) writeFileSync(new URL(`tray/${state}.png`, dir), drawIcon(32, variant));
