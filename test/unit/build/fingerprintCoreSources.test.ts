import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreBundleDirs, isCoreBundleCurrent, readCoreSourcesState, writeCoreBundleState } from '../../../build/fingerprintCoreSources.ts';

let root: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

/** What build/bundleCore.ts leaves after a build: both folders, each with the sources' state. */
function recordBuild(): void {
  const state = readCoreSourcesState(root);
  for (const dir of Object.values(coreBundleDirs)) {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeCoreBundleState(path.join(root, dir), state);
  }
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'core-fingerprint-'));
  write('electron/main.ts', 'main');
  write('electron/core/cli.ts', 'cli');
  write('package-lock.json', '{}');
  write('build/bundleCore.ts', 'bundler');
  write('build/fingerprintCoreSources.ts', 'fingerprint');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('isCoreBundleCurrent', () => {
  it('is false before any build and true right after one', () => {
    expect(isCoreBundleCurrent(root)).toBe(false);
    recordBuild();
    expect(isCoreBundleCurrent(root)).toBe(true);
  });

  it('is false when a source, the lock file or the bundler changed, or a source was added', () => {
    for (const [file, text] of [['electron/core/cli.ts', 'cli changed'], ['package-lock.json', '{"x":1}'], ['build/bundleCore.ts', 'bundler changed'], ['electron/core/new.ts', 'new']] as const) {
      recordBuild();
      write(file, text);
      expect(isCoreBundleCurrent(root), file).toBe(false);
    }
  });

  it('stays true when only file times changed (a checkout, npm ci): the content decides', () => {
    recordBuild();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'electron/main.ts'), later, later);
    expect(isCoreBundleCurrent(root)).toBe(true);
  });

  it('treats a missing package-lock.json as a state of its own instead of failing', () => {
    rmSync(path.join(root, 'package-lock.json'));
    recordBuild();
    expect(isCoreBundleCurrent(root)).toBe(true);
    write('package-lock.json', '{}');
    expect(isCoreBundleCurrent(root)).toBe(false);
  });

  it('is false when one of the two bundles was not built from these sources', () => {
    recordBuild();
    writeFileSync(path.join(root, coreBundleDirs.electron, 'fingerprint.txt'), 'other\nother\n');
    expect(isCoreBundleCurrent(root)).toBe(false);
  });
});
