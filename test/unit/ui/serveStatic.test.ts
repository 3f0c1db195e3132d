import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStaticFile, resolveStaticPath } from '../../../electron/core/ui/serveStatic.ts';

let root: string;

beforeAll(async () => {
  const base = await mkdtemp(path.join(tmpdir(), 'gmd-static-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'export {}');
  await writeFile(path.join(base, 'secret.txt'), 'outside');
});

afterAll(async () => {
  await rm(path.dirname(root), { recursive: true, force: true });
});

describe('resolveStaticPath', () => {
  it('maps the mount point and folders to index.html', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '')).toBe(path.join(root, 'index.html'));
  });

  it('refuses paths that leave the renderer folder, encoded or not', () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/a%00b', '/..\\secret.txt', '/%E0%A4%A']) {
      expect(resolveStaticPath(root, attempt), attempt).toBeUndefined();
    }
  });
});

describe('readStaticFile', () => {
  it('reads a file with its content type', async () => {
    const file = await readStaticFile(root, '/assets/app.js');
    expect(file?.contentType).toBe('text/javascript; charset=utf-8');
    expect(file?.body.toString()).toBe('export {}');
  });

  it('returns undefined for a missing file or a folder without index.html', async () => {
    expect(await readStaticFile(root, '/missing.js')).toBeUndefined();
    expect(await readStaticFile(root, '/assets/')).toBeUndefined();
  });
});
